package com.mka1.batches.cli;

import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.AuthenticationException;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.PermissionDeniedException;
import com.mka1.batches.errors.RateLimitException;
import com.mka1.batches.errors.WaitTimeoutException;

/** The process exit codes of {@code mka1-batches}, as its help and README document them. */
final class ExitCodes {
    static final int OK = 0;
    /** The API rejected the request (a 4xx answer other than 401, 403 and 429), or an unexpected error. */
    static final int API_ERROR = 1;
    /** Bad command line or configuration (picocli's default for usage errors), e.g. no API key. */
    static final int USAGE = 2;
    /** The API could not be reached, or did not answer in time. */
    static final int NETWORK = 3;
    /** The API failed (a 5xx answer, or a response the client could not read). */
    static final int SERVER_ERROR = 4;
    /** {@code wait}: the batch ended failed, expired or cancelled. */
    static final int BATCH_UNSUCCESSFUL = 5;
    /**
     * {@code results} and {@code run}: a request failed, or has no result because its batch ended
     * failed, expired or cancelled; the same code as {@link #BATCH_UNSUCCESSFUL}, as both say "not everything
     * succeeded".
     */
    static final int REQUESTS_FAILED = 5;
    /** {@code wait} and {@code run}: a batch was still running when {@code --timeout} ran out. */
    static final int WAIT_TIMED_OUT = 6;
    /**
     * A file on this machine could not be created, read, written, moved or locked (the disk full,
     * a permission missing): retrying does not help until the local cause is mended.
     */
    static final int LOCAL_FILE = 7;
    /**
     * The API refused the credentials: the key is missing, wrong or revoked (401), or may not do
     * this (403, e.g. acting for another user). Retrying does not help until the key is mended.
     */
    static final int NOT_AUTHORIZED = 8;
    /** The API kept answering 429 (rate limited) after the client's retries: try again later. */
    static final int RATE_LIMITED = 9;

    private ExitCodes() {}

    static int of(Throwable e) {
        if (e instanceof CliUsageException || e instanceof IllegalArgumentException) {
            return USAGE;
        }
        if (e instanceof WaitTimeoutException) {
            return WAIT_TIMED_OUT;
        }
        if (e instanceof LocalFileException) {
            return LOCAL_FILE;
        }
        if (e instanceof Mka1IoException) {
            return NETWORK;
        }
        if (e instanceof AuthenticationException || e instanceof PermissionDeniedException) {
            return NOT_AUTHORIZED;
        }
        if (e instanceof RateLimitException) {
            return RATE_LIMITED;
        }
        if (e instanceof ApiException) {
            return ((ApiException) e).statusCode() >= 500 ? SERVER_ERROR : API_ERROR;
        }
        if (e instanceof InvalidResponseException) {
            return SERVER_ERROR;
        }
        return API_ERROR;
    }
}
