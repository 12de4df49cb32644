package com.mka1.bench;

/**
 * The JSON the canned server answers: batches shaped like the spec's example (every field set,
 * nullable ones null), with the fields openai-java's {@code Batch} requires. Deterministic: batch
 * {@code n} is always the same bytes.
 */
public final class CannedBatches {
    /** Batches per list page. */
    public static final int PAGE_SIZE = 100;
    /** The batch {@code GET /batches/{id}} answers. */
    static final int GET_INDEX = 42;

    private CannedBatches() {}

    /** @return the id of batch {@code n} */
    public static String id(int n) {
        return String.format("batch_%06d", n);
    }

    /** @return the id the get benchmarks ask for */
    public static String getId() {
        return id(GET_INDEX);
    }

    /** @return the page that follows the batch {@code after}, or -1 if it does not end a page */
    static int pageAfter(String after) {
        if (!after.startsWith("batch_")) {
            return -1;
        }
        int n;
        try {
            n = Integer.parseInt(after.substring(6));
        } catch (NumberFormatException e) {
            return -1;
        }
        return (n + 1) % PAGE_SIZE == 0 ? (n + 1) / PAGE_SIZE : -1;
    }

    static String batch(int n) {
        long created = 1704067200L + n;
        return "{\"id\":\"" + id(n) + "\","
                + "\"object\":\"batch\","
                + "\"endpoint\":\"/v1/chat/completions\","
                + "\"errors\":null,"
                + "\"input_file_id\":\"file_abc123\","
                + "\"completion_window\":\"24h\","
                + "\"status\":\"completed\","
                + "\"output_file_id\":\"file_def456\","
                + "\"error_file_id\":null,"
                + "\"created_at\":" + created + ","
                + "\"in_progress_at\":" + (created + 60) + ","
                + "\"expires_at\":" + (created + 86400) + ","
                + "\"finalizing_at\":" + (created + 3600) + ","
                + "\"completed_at\":" + (created + 3660) + ","
                + "\"failed_at\":null,"
                + "\"expired_at\":null,"
                + "\"cancelling_at\":null,"
                + "\"cancelled_at\":null,"
                + "\"request_counts\":{\"total\":3,\"completed\":3,\"failed\":0},"
                + "\"metadata\":{\"description\":\"evaluation job\"}}";
    }

    static String page(int page, int pages) {
        int first = page * PAGE_SIZE;
        StringBuilder json = new StringBuilder(PAGE_SIZE * 700).append("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < PAGE_SIZE; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(batch(first + i));
        }
        return json.append("],\"first_id\":\"")
                .append(id(first))
                .append("\",\"last_id\":\"")
                .append(id(first + PAGE_SIZE - 1))
                .append("\",\"has_more\":")
                .append(page < pages - 1)
                .append('}')
                .toString();
    }
}
