package com.mka1.bench;

/** What every contestant does with each batch it returns or walks: read its id and status. */
final class Blackholes {
    private Blackholes() {
    }

    /** The check keeps both reads (and any lazy parsing behind them) from being optimised away. */
    static void touch(Object id, Object status) {
        if (id == null || status == null) {
            throw new IllegalStateException("a batch came back without id or status");
        }
    }
}
