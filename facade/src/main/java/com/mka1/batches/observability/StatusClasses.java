package com.mka1.batches.observability;

/** The status class of a status code, shared by the results. */
final class StatusClasses {
    private static final String[] CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx", "7xx", "8xx", "9xx"};

    private StatusClasses() {}

    static String of(int statusCode) {
        return CLASSES[statusCode / 100];
    }

    /** A status as OkHttp reads it: three digits; 0 stands for none. */
    static int checked(int statusCode) {
        if (statusCode != 0 && (statusCode < 100 || statusCode > 999)) {
            throw new IllegalArgumentException("statusCode must be 0 (none) or 100..999, was " + statusCode);
        }
        return statusCode;
    }
}
