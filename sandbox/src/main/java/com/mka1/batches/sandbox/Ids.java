package com.mka1.batches.sandbox;

import java.util.UUID;

/** Random ids in the API's shapes. */
final class Ids {
    private Ids() {}

    /** 32 lowercase hex digits. */
    static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static String batch() {
        return "batch_" + hex();
    }

    static String file() {
        return "file_" + hex().substring(0, 24);
    }
}
