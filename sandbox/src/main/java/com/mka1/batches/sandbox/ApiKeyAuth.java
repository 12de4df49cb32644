package com.mka1.batches.sandbox;

import java.util.Set;

/** Who a call is: its bearer key, checked against the sandbox's keys, and the scope it works in. */
final class ApiKeyAuth {
    private final Set<String> apiKeys;

    ApiKeyAuth(Set<String> apiKeys) {
        this.apiKeys = apiKeys;
    }

    /**
     * The scope a call's batches and files live in: its API key and its X-On-Behalf-Of user, if any.
     *
     * @throws ApiError a 401 for a missing or unknown key
     */
    String scope(SandboxCall.HeaderLookup headers) {
        String authorization = headers.get("Authorization");
        String key = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).trim();
        }
        if (key == null || !apiKeys.contains(key)) {
            throw ApiError.unauthorized();
        }
        return SandboxState.scope(key, headers.get("X-On-Behalf-Of"));
    }
}
