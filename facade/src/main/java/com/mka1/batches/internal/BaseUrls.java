package com.mka1.batches.internal;

import java.io.IOException;
import java.net.InetAddress;
import okhttp3.HttpUrl;

/**
 * Checks a client's base URL as {@code Mka1Client.Builder.baseUrl} documents it: an http(s) URL
 * without query or fragment, plain http only to a loopback host unless allowed; a path prefix is
 * kept and given its trailing {@code /}.
 */
public final class BaseUrls {
    private BaseUrls() {}

    /**
     * @return the URL, ending in {@code /}
     * @throws IllegalArgumentException if the base URL is not a usable http(s) URL
     */
    public static HttpUrl checked(String baseUrl, boolean allowInsecureHttp) {
        String trimmed = baseUrl.trim();
        if (!trimmed.regionMatches(true, 0, "http://", 0, 7) && !trimmed.regionMatches(true, 0, "https://", 0, 8)) {
            throw new IllegalArgumentException("baseUrl must be an http or https URL, was '" + baseUrl + "'");
        }
        HttpUrl url = HttpUrl.parse(trimmed);
        if (url == null) {
            throw new IllegalArgumentException("baseUrl is not a valid URL: '" + baseUrl + "'");
        }
        if (url.query() != null || url.fragment() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query or fragment, was '" + baseUrl + "'");
        }
        if (!url.isHttps() && !allowInsecureHttp && !isLoopback(url.host())) {
            throw new IllegalArgumentException("baseUrl uses plain http to the non-loopback host '" + url.host()
                    + "': use https, or allowInsecureHttp(true) if you really mean it");
        }
        String path = url.encodedPath();
        return path.endsWith("/")
                ? url
                : url.newBuilder().encodedPath(path + "/").build();
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean literal = host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
