package com.mka1.batches.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578) split into its parts, read from the raw bytes so
 * that a file part's content comes back byte for byte.
 *
 * <p>Why not WireMock's own parsing ({@code Request.getParts()}, commons-fileupload inside), measured
 * on WireMock 3.13.2 (issue 24): its parts are byte-exact (all 256 byte values, CRLF inside and at
 * the end of a file, an empty file, lines starting {@code --}, 3 MB of random bytes: each came back
 * equal), but it would not replace this class. {@code Request.Part} has no filename, so the
 * Content-Disposition parameters ({@link #dispositionParams}) stay ours; a body without the
 * boundary gives {@code null} parts, not a reason for the 400; and {@link ApiRouter} is driven
 * without WireMock, from raw bytes, by the router fuzz target and {@code RequestParsingTest}. (A
 * truncated body, with no closing boundary, never reaches this class: WireMock parses it before
 * the sandbox's transformer runs and answers its own HTML 500.)
 */
final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"([^\"]+)\"|[^;\\s]+)");

    /** One part of the body. */
    static final class Part {
        final String name;
        /** The {@code filename} parameter of its Content-Disposition, or null if it has none. */
        final String filename;
        /** Its Content-Type, or null if it has none. */
        final String contentType;

        final byte[] content;

        Part(String name, String filename, String contentType, byte[] content) {
            this.name = name;
            this.filename = filename;
            this.contentType = contentType;
            this.content = content;
        }

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** Thrown for a body that is not well-formed multipart. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    private Multipart() {}

    /**
     * The boundary of a {@code multipart/form-data} content type.
     *
     * @return the boundary, or null if the type is not multipart/form-data with a boundary
     */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        Matcher matcher = BOUNDARY.matcher(contentType);
        if (!matcher.find()) {
            return null;
        }
        return matcher.group(2) != null ? matcher.group(2) : matcher.group(1);
    }

    /** The parts in body order; a name that occurs twice keeps its first part. */
    static Map<String, Part> parse(byte[] body, String boundary) throws MalformedException {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new MalformedException("no multipart boundary in the body");
        }
        Map<String, Part> parts = new LinkedHashMap<>();
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = at + delimiter.length;
        while (true) {
            if (startsWith(body, pos, "--")) {
                return Collections.unmodifiableMap(parts); // the closing delimiter
            }
            if (!startsWith(body, pos, "\r\n")) {
                throw new MalformedException("malformed multipart delimiter");
            }
            pos += 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
            if (headersEnd < 0) {
                throw new MalformedException("a multipart part has no end of headers");
            }
            Map<String, String> headers = headers(new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8));
            int contentStart = headersEnd + 4;
            int end = indexOf(body, next, contentStart);
            if (end < 0) {
                throw new MalformedException("the multipart body has no closing boundary");
            }
            Part part = part(headers, Arrays.copyOfRange(body, contentStart, end));
            parts.putIfAbsent(part.name, part);
            pos = end + next.length;
        }
    }

    private static Part part(Map<String, String> headers, byte[] content) throws MalformedException {
        String disposition = headers.get("content-disposition");
        if (disposition == null || !disposition.trim().toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw new MalformedException("a multipart part has no Content-Disposition: form-data");
        }
        Map<String, String> params = dispositionParams(disposition);
        String name = params.get("name");
        if (name == null) {
            throw new MalformedException("a multipart part has no name");
        }
        return new Part(name, params.get("filename"), headers.get("content-type"), content);
    }

    /**
     * The parameters of a Content-Disposition, {@code ; name=token} or {@code ; name="quoted"}
     * ({@code \\} escaping the next character), names in lower case, the first of a name kept.
     * Read by hand: a regular expression for the quoted form recursed once per character and
     * overflowed the stack on a filename of a few thousand characters.
     */
    static Map<String, String> dispositionParams(String header) {
        Map<String, String> params = new LinkedHashMap<>();
        int length = header.length();
        int i = header.indexOf(';');
        while (i >= 0 && i < length) {
            i++;
            while (i < length && Character.isWhitespace(header.charAt(i))) {
                i++;
            }
            int nameStart = i;
            while (i < length && isNameChar(header.charAt(i))) {
                i++;
            }
            String name = header.substring(nameStart, i).toLowerCase(Locale.ROOT);
            if (name.isEmpty() || i == length || header.charAt(i) != '=') {
                i = header.indexOf(';', i);
                continue;
            }
            i++;
            StringBuilder value = new StringBuilder();
            if (i < length && header.charAt(i) == '"') {
                for (i++; i < length && header.charAt(i) != '"'; i++) {
                    char c = header.charAt(i);
                    value.append(c == '\\' && i + 1 < length ? header.charAt(++i) : c);
                }
                if (i == length) {
                    break; // a quote never closed: no parameter after it can be told apart
                }
                i++;
            } else {
                for (; i < length && header.charAt(i) != ';' && !Character.isWhitespace(header.charAt(i)); i++) {
                    value.append(header.charAt(i));
                }
            }
            if (value.length() > 0 || header.charAt(i - 1) == '"') {
                params.putIfAbsent(name, value.toString());
            }
            i = header.indexOf(';', i);
        }
        return params;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*';
    }

    private static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : block.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static boolean startsWith(byte[] body, int pos, String ascii) {
        if (pos + ascii.length() > body.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (body[pos + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
