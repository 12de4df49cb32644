package com.mka1.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP/1.1 server answering with bytes computed once at start, or generated from
 * buffers computed once ({@link CannedFiles}), so every contestant reads exactly the same bytes
 * and the server costs the same for each. Keep-alive, one thread per connection, no parsing
 * beyond the request line, the headers it needs and the framing of request bodies (which are
 * read through a 64 KiB buffer and never held).
 *
 * <ul>
 *   <li>{@code GET /api/v1/llm/batches/{id}} answers one batch (always the same bytes: a completed
 *       batch whose output file is {@value CannedFiles#RESULTS_ID});</li>
 *   <li>{@code GET /api/v1/llm/batches?limit=100[&after=batch_N]} answers the page after
 *       {@code batch_N}: {@value CannedBatches#PAGE_SIZE} batches, {@code has_more} false on the
 *       last of {@code pages} pages. Any other limit, or a cursor not at a page end, is a 400;</li>
 *   <li>{@code GET /api/v1/llm/files/file_download/content} answers the download file of
 *       {@link Builder#download(long)} bytes, honouring one {@code Range: bytes=N-} or
 *       {@code bytes=N-M} (206, or 416 past the end); {@link #cutNextDownloadAt(long)} makes the
 *       next such answer stop after that many bytes of its body and close the connection;</li>
 *   <li>{@code GET /api/v1/llm/files/file_def456/content} answers the results file of
 *       {@link Builder#results(int)} lines (a 200 whatever the {@code Range});</li>
 *   <li>{@code POST /api/v1/llm/files} takes a {@code multipart/form-data} upload of a file of
 *       {@link Builder#upload(long)} bytes, sized or chunked: it counts the body as it reads it,
 *       checks that the body holds the whole file (its length, a part named {@code file}, the
 *       closing delimiter) and answers a file object, or a 400 saying what was wrong.</li>
 * </ul>
 */
public final class CannedServer implements AutoCloseable {
    private static final String BATCHES = "/api/v1/llm/batches";
    private static final String FILES = "/api/v1/llm/files";
    private static final String CONTENT = "/content";
    private static final int BUFFER = 64 * 1024;
    /** What a multipart body may hold besides the file: delimiters, part headers, the purpose. */
    private static final int MULTIPART_OVERHEAD_MAX = 2048;

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");

    private final ServerSocket socket;
    private final byte[] getResponse;
    private final byte[][] pageResponses;
    private final long downloadBytes;
    private final int resultLines;
    private final long uploadBytes;
    private final LongAdder requests = new LongAdder();
    private final LongAdder contentBytes = new LongAdder();
    private final LongAdder uploadedBytes = new LongAdder();
    private final AtomicLong cutAt = new AtomicLong(-1);
    private final Thread acceptor;
    private volatile boolean closed;

    private CannedServer(Builder builder) throws IOException {
        this.getResponse = response(200, CannedBatches.batch(CannedBatches.GET_INDEX));
        this.pageResponses = new byte[builder.pages][];
        for (int page = 0; page < builder.pages; page++) {
            pageResponses[page] = response(200, CannedBatches.page(page, builder.pages));
        }
        this.downloadBytes = builder.downloadBytes;
        this.resultLines = builder.resultLines;
        this.uploadBytes = builder.uploadBytes;
        this.socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "canned-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @param pages how many list pages of {@value CannedBatches#PAGE_SIZE} the server holds (0 for
     *     a server that only answers single batches)
     * @return a started server on an ephemeral loopback port, without files
     */
    public static CannedServer start(int pages) {
        return builder().pages(pages).start();
    }

    /** @return a builder of a server with no pages and no files */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code http://127.0.0.1:PORT}, without a trailing slash */
    public String rootUrl() {
        return "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** @return the requests answered so far, errors included */
    public long requests() {
        return requests.sum();
    }

    /** @return the bytes of file content (download and results bodies) written so far, cut answers included */
    public long contentBytes() {
        return contentBytes.sum();
    }

    /** @return the file bytes of the uploads accepted so far */
    public long uploadedBytes() {
        return uploadedBytes.sum();
    }

    /**
     * Makes the next answer carrying the download file stop after {@code bytes} bytes of its body,
     * then close the connection (the body is shorter than its {@code Content-Length} said). Once.
     */
    public void cutNextDownloadAt(long bytes) {
        cutAt.set(bytes);
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                Thread worker = new Thread(() -> serve(connection), "canned-server-conn");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                if (!closed) {
                    e.printStackTrace();
                }
            }
        }
    }

    private void serve(Socket connection) {
        try (Socket c = connection;
                InputStream in = new BufferedInputStream(c.getInputStream(), BUFFER);
                OutputStream out = c.getOutputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            byte[] buffer = new byte[BUFFER];
            while (!closed) {
                Request request = Request.read(in, line);
                if (request == null) {
                    return;
                }
                Reply reply = isUpload(request) ? upload(request, in, line, buffer) : route(request, in, line, buffer);
                requests.increment();
                boolean keepOpen = reply.write(out);
                out.flush();
                if (!keepOpen) {
                    c.shutdownOutput();
                    return;
                }
                if (request.close) {
                    return;
                }
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException e) {
            if (!closed) {
                e.printStackTrace();
            }
        }
    }

    private static boolean isUpload(Request request) {
        return request.method.equals("POST") && request.target.equals(FILES);
    }

    private Reply route(Request request, InputStream in, ByteArrayOutputStream line, byte[] buffer) throws IOException {
        Body.read(in, request, line, buffer, (b, off, len) -> {});
        if (!request.method.equals("GET")) {
            return fixed(error(405, "only GET is served, and POST " + FILES));
        }
        String target = request.target;
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        if (path.startsWith(FILES + "/") && path.endsWith(CONTENT)) {
            return content(path.substring(FILES.length() + 1, path.length() - CONTENT.length()), request.range);
        }
        if (path.startsWith(BATCHES + "/") && path.length() > BATCHES.length() + 1) {
            return fixed(getResponse);
        }
        if (!path.equals(BATCHES)) {
            return fixed(error(404, "no route for " + path));
        }
        String limit = null;
        String after = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = pair.substring(0, eq);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("limit")) {
                limit = value;
            } else if (name.equals("after")) {
                after = value;
            }
        }
        if (!String.valueOf(CannedBatches.PAGE_SIZE).equals(limit)) {
            return fixed(
                    error(400, "every contestant must ask for limit=" + CannedBatches.PAGE_SIZE + ", got " + limit));
        }
        int page = after == null ? 0 : CannedBatches.pageAfter(after);
        if (page < 0 || page >= pageResponses.length) {
            return fixed(error(400, "no page after " + after));
        }
        return fixed(pageResponses[page]);
    }

    private Reply content(String fileId, String range) {
        if (fileId.equals(CannedFiles.RESULTS_ID) && resultLines >= 0) {
            byte[] head = head(200, "OK", "application/jsonl", CannedFiles.resultsLength(resultLines), "");
            return out -> {
                out.write(head);
                CannedFiles.writeResults(new Counting(out, contentBytes), resultLines);
                return true;
            };
        }
        if (!fileId.equals(CannedFiles.DOWNLOAD_ID) || downloadBytes < 0) {
            return fixed(error(404, "no file " + fileId));
        }
        long from = 0;
        long to = downloadBytes;
        String status = "200 OK";
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        if (m != null && m.matches()) {
            from = Long.parseLong(m.group(1));
            if (from >= downloadBytes) {
                byte[] unsatisfiable = head(
                        416,
                        "Range Not Satisfiable",
                        "application/json",
                        0,
                        "Content-Range: bytes */" + downloadBytes + "\r\n");
                return fixed(unsatisfiable);
            }
            if (!m.group(2).isEmpty()) {
                to = Math.min(downloadBytes, Long.parseLong(m.group(2)) + 1);
            }
            status = "206 Partial Content";
        }
        String extra = "Accept-Ranges: bytes\r\n"
                + (status.startsWith("206")
                        ? "Content-Range: bytes " + from + "-" + (to - 1) + "/" + downloadBytes + "\r\n"
                        : "");
        byte[] head = head(
                Integer.parseInt(status.substring(0, 3)),
                status.substring(4),
                "application/octet-stream",
                to - from,
                extra);
        long cut = cutAt.getAndSet(-1);
        long start = from;
        long whole = to;
        long end = cut >= 0 ? Math.min(to, from + cut) : to;
        return out -> {
            out.write(head);
            CannedFiles.writeDownload(new Counting(out, contentBytes), start, end);
            return end == whole;
        };
    }

    private Reply upload(Request request, InputStream in, ByteArrayOutputStream line, byte[] buffer)
            throws IOException {
        Matcher boundary = request.contentType == null ? null : BOUNDARY.matcher(request.contentType);
        Multipart body = new Multipart(boundary != null && boundary.find() ? boundary.group(1) : null);
        Body.read(in, request, line, buffer, body);
        if (uploadBytes < 0) {
            return fixed(error(404, "this server takes no uploads"));
        }
        String problem = body.problem(uploadBytes);
        if (problem != null) {
            return fixed(error(400, problem));
        }
        uploadedBytes.add(uploadBytes);
        return fixed(response(
                200,
                "{\"id\":\"file_upload\",\"object\":\"file\",\"bytes\":" + uploadBytes
                        + ",\"created_at\":1704067200,\"filename\":\"" + CannedFiles.UPLOAD_NAME
                        + "\",\"purpose\":\"batch\","
                        + "\"status\":\"processed\",\"expires_at\":null,\"status_details\":null}"));
    }

    private static Reply fixed(byte[] bytes) {
        return out -> {
            out.write(bytes);
            return true;
        };
    }

    private static byte[] error(int status, String message) {
        return response(status, "{\"error\":{\"message\":\"" + message.replace("\"", "'") + "\",\"type\":\"bench\"}}");
    }

    private static byte[] response(int status, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = head(status, status == 200 ? "OK" : "Error", "application/json", body.length, "");
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static byte[] head(int status, String reason, String contentType, long contentLength, String extraHeaders) {
        return ("HTTP/1.1 " + status + " " + reason + "\r\n"
                        + "Content-Type: " + contentType + "\r\n"
                        + "Content-Length: " + contentLength + "\r\n"
                        + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String readLine(InputStream in, ByteArrayOutputStream buffer) throws IOException {
        buffer.reset();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int size = buffer.size();
                String s = buffer.toString(StandardCharsets.ISO_8859_1);
                return size > 0 && s.charAt(size - 1) == '\r' ? s.substring(0, size - 1) : s;
            }
            buffer.write(b);
        }
        return null;
    }

    /** A server with no pages and no files unless told. */
    public static final class Builder {
        private int pages;
        private long downloadBytes = -1;
        private int resultLines = -1;
        private long uploadBytes = -1;

        private Builder() {}

        /** @param pages how many list pages of {@value CannedBatches#PAGE_SIZE} batches to serve */
        public Builder pages(int pages) {
            this.pages = pages;
            return this;
        }

        /** @param bytes the size of the download file {@value CannedFiles#DOWNLOAD_ID} */
        public Builder download(long bytes) {
            this.downloadBytes = bytes;
            return this;
        }

        /** @param lines the lines of the results file {@value CannedFiles#RESULTS_ID} */
        public Builder results(int lines) {
            CannedFiles.resultsLength(lines);
            this.resultLines = lines;
            return this;
        }

        /** @param bytes the size of the file every upload must carry */
        public Builder upload(long bytes) {
            this.uploadBytes = bytes;
            return this;
        }

        /** @return the started server, on an ephemeral loopback port */
        public CannedServer start() {
            try {
                return new CannedServer(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the canned server", e);
            }
        }
    }

    /** The request line and the headers the routes need. */
    private static final class Request {
        String method;
        String target;
        long contentLength;
        boolean chunked;
        boolean close;
        String range;
        String contentType;

        /** @return the next request's head, or null at the end of the connection */
        static Request read(InputStream in, ByteArrayOutputStream line) throws IOException {
            String requestLine = readLine(in, line);
            if (requestLine == null) {
                return null;
            }
            String[] parts = requestLine.split(" ");
            Request request = new Request();
            request.method = parts[0];
            request.target = parts.length == 3 ? parts[1] : "";
            for (String header = readLine(in, line); header != null && !header.isEmpty(); header = readLine(in, line)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length":
                        request.contentLength = Long.parseLong(value);
                        break;
                    case "transfer-encoding":
                        request.chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        break;
                    case "connection":
                        request.close = value.toLowerCase(Locale.ROOT).contains("close");
                        break;
                    case "range":
                        request.range = value;
                        break;
                    case "content-type":
                        request.contentType = value;
                        break;
                    default:
                        break;
                }
            }
            return request;
        }
    }

    /** Reads a request body, sized or chunked, through a buffer, handing each piece to a sink. */
    private static final class Body {
        interface Sink {
            void accept(byte[] bytes, int offset, int length);
        }

        static void read(InputStream in, Request request, ByteArrayOutputStream line, byte[] buffer, Sink sink)
                throws IOException {
            if (!request.chunked) {
                copy(in, request.contentLength, buffer, sink);
                return;
            }
            while (true) {
                String size = readLine(in, line);
                if (size == null) {
                    throw new EOFException("the chunked body ended early");
                }
                int semicolon = size.indexOf(';');
                long length = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (length == 0) {
                    for (String trailer = readLine(in, line);
                            trailer != null && !trailer.isEmpty();
                            trailer = readLine(in, line)) {
                        // trailers are not used
                    }
                    return;
                }
                copy(in, length, buffer, sink);
                readLine(in, line);
            }
        }

        private static void copy(InputStream in, long length, byte[] buffer, Sink sink) throws IOException {
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("the body ended " + left + " bytes early");
                }
                sink.accept(buffer, 0, n);
                left -= n;
            }
        }
    }

    /**
     * What the server keeps of a multipart body: its length, its first 4 KiB (where the part
     * headers are, the file's included, whatever the order of the parts) and its last 256 bytes
     * (the closing delimiter).
     */
    private static final class Multipart implements Body.Sink {
        private final String boundary;
        private final byte[] head = new byte[4096];
        private final byte[] tail = new byte[256];
        private int headLength;
        private int tailLength;
        private long length;

        Multipart(String boundary) {
            this.boundary = boundary;
        }

        @Override
        public void accept(byte[] bytes, int offset, int n) {
            length += n;
            if (headLength < head.length) {
                int take = Math.min(n, head.length - headLength);
                System.arraycopy(bytes, offset, head, headLength, take);
                headLength += take;
            }
            if (n >= tail.length) {
                System.arraycopy(bytes, offset + n - tail.length, tail, 0, tail.length);
                tailLength = tail.length;
            } else {
                int keep = Math.min(tailLength, tail.length - n);
                System.arraycopy(tail, tailLength - keep, tail, 0, keep);
                System.arraycopy(bytes, offset, tail, keep, n);
                tailLength = keep + n;
            }
        }

        /** @return what is wrong with the upload of a file of {@code fileBytes}, or null */
        String problem(long fileBytes) {
            if (boundary == null) {
                return "not multipart/form-data with a boundary";
            }
            String start = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
            String end = new String(tail, 0, tailLength, StandardCharsets.ISO_8859_1);
            if (!start.startsWith("--" + boundary + "\r\n") || !start.contains("name=\"file\"")) {
                return "the body does not start with a part, or has no part named file";
            }
            if (!end.endsWith("\r\n--" + boundary + "--\r\n") && !end.endsWith("\r\n--" + boundary + "--")) {
                return "the body does not end with the closing delimiter";
            }
            long overhead = length - fileBytes;
            if (overhead < 0 || overhead > MULTIPART_OVERHEAD_MAX) {
                return "a body of " + length + " bytes can't hold the whole file of " + fileBytes
                        + " bytes and no more";
            }
            return null;
        }
    }

    /** Counts what goes through, in bulk (FilterOutputStream would write byte by byte). */
    private static final class Counting extends OutputStream {
        private final OutputStream out;
        private final LongAdder count;

        Counting(OutputStream out, LongAdder count) {
            this.out = out;
            this.count = count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count.increment();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count.add(len);
        }
    }

    /** An answer, written to the connection. */
    @FunctionalInterface
    private interface Reply {
        /** @return whether the connection can serve another request (false after a cut) */
        boolean write(OutputStream out) throws IOException;
    }
}
