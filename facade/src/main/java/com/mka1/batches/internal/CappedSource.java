package com.mka1.batches.internal;

import java.io.IOException;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

/**
 * A source that fails once more than a set number of bytes have come through it: a body read into
 * memory (a JSON answer) can then never grow past the cap, however much the server sends.
 */
final class CappedSource extends ForwardingSource {
    /** More bytes arrived than the cap allows. */
    static final class Exceeded extends IOException {
        private static final long serialVersionUID = 1L;

        Exceeded(long cap) {
            super("more than " + cap + " bytes");
        }
    }

    private final long cap;
    private long read;

    CappedSource(Source source, long cap) {
        super(source);
        this.cap = cap;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
        long n = super.read(sink, Math.min(byteCount, cap + 1 - read));
        if (n > 0) {
            read += n;
            if (read > cap) {
                throw new Exceeded(cap);
            }
        }
        return n;
    }
}
