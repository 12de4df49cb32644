package com.mka1.bench;

/**
 * What every contestant does with each batch it returns or walks, and each result line it reads:
 * read its id and status.
 */
final class Blackholes {
    private Blackholes() {}

    /** The check keeps both reads (and any lazy parsing behind them) from being optimised away. */
    static void touch(Object id, Object status) {
        if (id == null || status == null) {
            throw new IllegalStateException("a batch or result came back without id or status");
        }
    }

    /** The same, for a status read as an {@code int} (negative when absent), without boxing it. */
    static void touch(Object id, int status) {
        if (id == null || status < 0) {
            throw new IllegalStateException("a result came back without custom_id or status");
        }
    }
}
