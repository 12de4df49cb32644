package com.mka1.batches.cli;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tool's own checks of what it was given, made before the client sees a value: the client
 * checks the same things, but its messages name its Java parameters ({@code batchId},
 * {@code allowInsecureHttp(true)}), while these name the tool's ({@code BATCH_ID}, {@code --limit},
 * {@code MKA1_BASE_URL}). Each failure is a {@link CliUsageException} (exit 2).
 */
final class ArgumentChecks {
    /** The flag that lets {@code --base-url} use plain http to a host other than this machine. */
    static final String ALLOW_INSECURE_HTTP = "--allow-insecure-http";

    private ArgumentChecks() {}

    /** {@code value} unless it is blank; null passes (picocli leaves an absent option null). */
    static String notBlank(String value, String name) {
        if (value != null && value.trim().isEmpty()) {
            throw new CliUsageException(name + " must not be blank");
        }
        return value;
    }

    /** A batch id goes into one path segment of the URL, as the client requires. */
    static String batchId(String value, String name) {
        return pathSegment(value, name);
    }

    /** A file id goes into one path segment of the URL, as the client requires. */
    static String fileId(String value, String name) {
        return pathSegment(value, name);
    }

    private static String pathSegment(String value, String name) {
        notBlank(value, name);
        if (".".equals(value) || "..".equals(value)) {
            throw new CliUsageException(name + " must not be '.' or '..', was '" + value + "'");
        }
        return value;
    }

    /**
     * A local file to read, e.g. one to upload.
     *
     * @param given the path as the user wrote it, for the message
     * @param resolved the same path resolved against the working directory
     */
    static Path readableFile(Path given, Path resolved, String name) {
        if (!Files.isRegularFile(resolved) || !Files.isReadable(resolved)) {
            throw new CliUsageException(name + " " + given + " is not a readable file");
        }
        return resolved;
    }

    /** A batch endpoint path as the API takes it: not blank, starting with '/'. */
    static String endpoint(String value, String name) {
        notBlank(value, name);
        if (!value.startsWith("/")) {
            throw new CliUsageException(name + " must be a path starting with '/', was '" + value + "'");
        }
        return value;
    }

    /** {@code value} unless it is outside {@code min..max}; null passes. */
    static Integer between(Integer value, int min, int max, String name) {
        if (value != null && (value < min || value > max)) {
            throw new CliUsageException(name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /**
     * The API key as the client will take it, checked without ever echoing it.
     *
     * @param source where it came from: {@code --api-key} or {@code MKA1_API_KEY}
     */
    static String apiKey(String key, String source) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new CliUsageException(source + " contains a whitespace or non-ASCII character at index " + i);
            }
        }
        return key;
    }

    /**
     * The end user to act for, sent as {@code X-On-Behalf-Of}: one header value, so no control
     * characters and nothing outside Latin-1.
     *
     * @param source where it came from: {@code --on-behalf-of} or {@code MKA1_ON_BEHALF_OF}
     */
    static String onBehalfOf(String value, String source) {
        notBlank(value, source);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new CliUsageException(source + " contains a character not allowed in an HTTP header (code point "
                        + (int) c + " at index " + i + ")");
            }
        }
        return value;
    }

    /**
     * An http(s) base URL without query or fragment; plain http only to this machine unless
     * {@code allowInsecureHttp}, since the API key would cross the network in clear.
     *
     * @param source where it came from: {@code --base-url} or {@code MKA1_BASE_URL}
     */
    static String baseUrl(String url, String source, boolean allowInsecureHttp) {
        String trimmed = url.trim();
        boolean https = trimmed.regionMatches(true, 0, "https://", 0, 8);
        if (!https && !trimmed.regionMatches(true, 0, "http://", 0, 7)) {
            throw new CliUsageException(source + " must be an http or https URL, was '" + url + "'");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new CliUsageException(source + " is not a valid URL: '" + url + "'");
        }
        if (uri.getHost() == null) {
            throw new CliUsageException(source + " is not a valid URL: '" + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new CliUsageException(source + " must not have a query or fragment, was '" + url + "'");
        }
        if (!https && !allowInsecureHttp && !isLoopback(uri.getHost())) {
            throw new CliUsageException(source + " uses plain http to the non-loopback host '" + uri.getHost()
                    + "': use https, or add " + ALLOW_INSECURE_HTTP + " if you really mean it");
        }
        return url;
    }

    /** As the client decides it: {@code localhost}, or a loopback IP literal (no DNS lookup). */
    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = bare.indexOf(':') >= 0 || bare.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
