package com.mka1.batches.sandbox;

import com.mka1.batches.models.FilePurpose;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request's query string: the first value of each parameter, and the list parameters read as the
 * API reads them; a bad value is a 400 naming the parameter.
 */
final class QueryParams {
    private final Map<String, String> params;
    /** A pair whose percent-encoding is broken, answered 400 once the call is authenticated; or null. */
    final String malformed;

    private QueryParams(Map<String, String> params, String malformed) {
        this.params = params;
        this.malformed = malformed;
    }

    /**
     * Reads a query string; a pair with broken percent-encoding (URLDecoder throws for it) is left
     * out, and the first such pair kept as {@link #malformed}.
     *
     * @param query the part after {@code ?}, or null for none
     */
    static QueryParams parse(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        String malformed = null;
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                malformed = malformed == null ? pair : malformed;
            }
        }
        return new QueryParams(params, malformed);
    }

    /** The cursor {@code after}, or null when absent or empty. */
    String after() {
        String after = params.get("after");
        return after == null || after.isEmpty() ? null : after;
    }

    /** {@code limit}: {@code defaultLimit} when absent, else an integer from 1 to {@code max}. */
    int limit(int defaultLimit, int max) {
        String raw = params.get("limit");
        if (raw == null) {
            return defaultLimit;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > max) {
            throw ApiError.invalid(
                    "invalid_value",
                    "limit",
                    "Invalid limit '" + raw + "': expected an integer from 1 to " + max + ".");
        }
        return limit;
    }

    /** {@code order}: {@code asc} (true), or {@code desc} and absent (false). */
    boolean ascending() {
        String order = params.get("order");
        if (order == null || order.equals("desc")) {
            return false;
        }
        if (order.equals("asc")) {
            return true;
        }
        throw ApiError.invalid("invalid_value", "order", "Invalid order '" + order + "': expected asc or desc.");
    }

    /** {@code purpose}, any known one; null when absent. */
    FilePurpose purpose() {
        String raw = params.get("purpose");
        if (raw == null) {
            return null;
        }
        FilePurpose purpose = FilePurpose.fromValue(raw);
        if (!purpose.isKnown()) {
            throw ApiError.invalid(
                    "invalid_value",
                    "purpose",
                    "Invalid purpose '" + raw + "': expected one of " + ApiRouter.UPLOAD_PURPOSES + ", evals.");
        }
        return purpose;
    }
}
