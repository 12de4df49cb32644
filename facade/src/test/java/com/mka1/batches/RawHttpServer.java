package com.mka1.batches;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP/1.1 server for what WireMock can't do: end a response body after exactly N
 * bytes, honour {@code Range} (or not), stall mid-body, and count the body bytes it served. Each
 * request gets the next {@link Handler} of the script (the last one answers every later request)
 * and its own connection ({@code Connection: close}). Requests without a body only.
 */
final class RawHttpServer implements AutoCloseable {
    /** Answers one request by writing the whole response, headers included, to the exchange. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    /** A request as received. */
    static final class Recorded {
        final String method;
        final String target;
        /** Header names in lower case. */
        final Map<String, String> headers;

        Recorded(String method, String target, Map<String, String> headers) {
            this.method = method;
            this.target = target;
            this.headers = headers;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return method + " " + target + " " + headers;
        }
    }

    /** One request and the means to answer it. */
    final class Exchange {
        final Recorded request;
        private final Socket socket;
        private final OutputStream out;

        Exchange(Recorded request, Socket socket) throws IOException {
            this.request = request;
            this.socket = socket;
            this.out =
                    new BufferedOutputStream(socket.getOutputStream(), 64 * 1024); // head and first bytes in one write
        }

        /** Writes the status line and headers, and {@code Connection: close}. */
        void head(int status, String... headers) throws IOException {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Writes {@code content[from, to)} as body bytes and flushes; counted before they leave, so a client never sees them uncounted. */
        void body(byte[] content, int from, int to) throws IOException {
            bodyBytesServed.addAndGet(to - from);
            out.write(content, from, to - from);
            out.flush();
        }

        /** Writes protocol text that is not body bytes (chunk sizes, an error body): not counted. */
        void raw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /**
         * Ends the response gracefully (FIN after every byte written), then waits for the client to
         * close its side, so that no byte is lost to a reset.
         */
        void end() throws IOException {
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // the client sends nothing more; wait for its close
            }
        }

        /** Blocks until the client closes the connection (a cancelled call, say). */
        void awaitClientClose() throws IOException {
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // nothing to read: only the close matters
                }
            } catch (IOException e) {
                // a reset is a close too
            }
        }
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "raw-http-server");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Handler> script = new CopyOnWriteArrayList<>();
    private final AtomicLong bodyBytesServed = new AtomicLong();
    /** Whether each connection is answered as soon as it is accepted, before its request is read. */
    private volatile boolean answerBeforeRequest;

    RawHttpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        threads.execute(this::acceptLoop);
    }

    /** @return the base URL to give a client */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Sets the handlers of the next requests, in order; the last one answers every request after them. */
    RawHttpServer script(Handler... handlers) {
        script.clear();
        script.addAll(List.of(handlers));
        return this;
    }

    /**
     * Answers each connection as soon as it is accepted, before reading its request (which is then
     * not recorded; the handler sees no request): a client that waits for the answer before
     * sending finds all of it in its socket buffer, read together with the headers.
     */
    RawHttpServer answerBeforeRequest() {
        answerBeforeRequest = true;
        return this;
    }

    /** @return the requests received so far, in order */
    List<Recorded> requests() {
        return new ArrayList<>(requests);
    }

    /** @return the body bytes written to clients so far, over every response */
    long bodyBytesServed() {
        return bodyBytesServed.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(socket);
            threads.execute(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        try (Socket s = socket) {
            if (answerBeforeRequest) {
                script.get(0).handle(new Exchange(null, s));
                return;
            }
            Recorded request = readRequest(s.getInputStream());
            if (request == null) {
                return;
            }
            int index;
            synchronized (requests) {
                requests.add(request);
                index = requests.size() - 1;
            }
            Handler handler =
                    script.isEmpty() ? status(500, "no handler") : script.get(Math.min(index, script.size() - 1));
            handler.handle(new Exchange(request, s));
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private static Recorded readRequest(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        Map<String, String> headers = new TreeMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        String[] parts = requestLine.split(" ");
        return new Recorded(parts[0], parts[1], headers);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }

    // Handlers

    /** @return where a {@code Range: bytes=N-} of the request starts, or -1 without one */
    static long rangeStart(Recorded request) {
        String range = request.header("Range");
        if (range == null) {
            return -1;
        }
        Matcher m = RANGE.matcher(range.trim());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** A status with a short text body. */
    static Handler status(int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            exchange.head(status, "Content-Type", "application/json", "Content-Length", String.valueOf(bytes.length));
            exchange.body(bytes, 0, bytes.length);
            exchange.end();
        };
    }

    /** 200 with a JSON body announced whole ({@code Content-Length}) but ended after its first {@code n} bytes. */
    static Handler jsonCutAfter(String json, int n) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            exchange.head(200, "Content-Type", "application/json", "Content-Length", String.valueOf(bytes.length));
            exchange.body(bytes, 0, n);
            exchange.end();
        };
    }

    /**
     * The whole file with 200, whatever {@code Range} (or {@code If-Range}) the request carries,
     * with {@code headers} (name, value, ...: an {@code ETag}, say) besides.
     */
    static Handler whole(byte[] content, String... headers) {
        return cutAfter(content, content.length, headers);
    }

    /**
     * 200 announcing the whole file ({@code Content-Length}), with {@code headers} besides, but
     * only its first {@code n} bytes before the connection ends.
     */
    static Handler cutAfter(byte[] content, int n, String... headers) {
        return exchange -> {
            exchange.head(
                    200,
                    with(
                            headers,
                            "Content-Type",
                            "application/jsonl",
                            "Content-Length",
                            String.valueOf(content.length)));
            exchange.body(content, 0, n);
            exchange.end();
        };
    }

    /**
     * 200 with the whole file in chunks ({@code Transfer-Encoding: chunked}, so no length is
     * announced), the connection ending after the last byte but before the chunked body's end.
     */
    static Handler chunkedWithoutItsEnd(byte[] content) {
        return exchange -> {
            exchange.head(200, "Content-Type", "application/jsonl", "Transfer-Encoding", "chunked");
            for (int from = 0; from < content.length; from += 16_384) {
                int to = Math.min(content.length, from + 16_384);
                exchange.raw(Integer.toHexString(to - from) + "\r\n");
                exchange.body(content, from, to);
                exchange.raw("\r\n");
            }
            exchange.end(); // no "0\r\n\r\n"
        };
    }

    /** 416 for a {@code Range} at or past the end, as the spec says: {@code Content-Range: bytes *}{@code /size}. */
    static Handler rangeNotSatisfiable(int size) {
        byte[] body = "{\"error\":{\"message\":\"Range not satisfiable\"}}".getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            exchange.head(
                    416,
                    "Content-Type",
                    "application/json",
                    "Content-Range",
                    "bytes */" + size,
                    "Content-Length",
                    String.valueOf(body.length));
            exchange.raw(new String(body, StandardCharsets.UTF_8));
            exchange.end();
        };
    }

    /**
     * Honours {@code Range: bytes=N-} (206 with the rest), else 200 with the whole file; each with
     * {@code headers} besides. {@code If-Range} is not looked at: a changed file's rest is sent as
     * readily as the same file's.
     */
    static Handler ranged(byte[] content, String... headers) {
        return rangedCutAfter(content, Integer.MAX_VALUE, headers);
    }

    /**
     * Honours {@code Range: bytes=N-} like {@link #ranged}, announcing the whole rest, but ends the
     * connection after {@code n} bytes of this response.
     */
    static Handler rangedCutAfter(byte[] content, int n, String... headers) {
        return exchange -> {
            int from = (int) Math.max(0, rangeStart(exchange.request));
            if (from > 0) {
                exchange.head(
                        206,
                        with(
                                headers,
                                "Content-Type",
                                "application/jsonl",
                                "Content-Range",
                                "bytes " + from + "-" + (content.length - 1) + "/" + content.length,
                                "Content-Length",
                                String.valueOf(content.length - from)));
            } else {
                exchange.head(
                        200,
                        with(
                                headers,
                                "Content-Type",
                                "application/jsonl",
                                "Content-Length",
                                String.valueOf(content.length)));
            }
            exchange.body(content, from, (int) Math.min(content.length, (long) from + n));
            exchange.end();
        };
    }

    /**
     * 200 with the whole file: its headers and first {@code n} bytes at once, the rest only after a
     * pause of {@code pauseMillis} (a slow server, like WireMock's fixed delay).
     */
    static Handler pauseAfter(byte[] content, int n, long pauseMillis) {
        return exchange -> {
            exchange.head(200, "Content-Type", "application/jsonl", "Content-Length", String.valueOf(content.length));
            exchange.body(content, 0, n);
            pause(pauseMillis);
            exchange.body(content, n, content.length);
            exchange.end();
        };
    }

    /** Answers with the whole file after a pause of {@code pauseMillis} before the headers. */
    static Handler pauseBefore(byte[] content, long pauseMillis) {
        return exchange -> {
            pause(pauseMillis);
            exchange.head(200, "Content-Type", "application/jsonl", "Content-Length", String.valueOf(content.length));
            exchange.body(content, 0, content.length);
            exchange.end();
        };
    }

    /** {@code headers} after {@code first}: the names and values of one response's head. */
    private static String[] with(String[] headers, String... first) {
        String[] all = Arrays.copyOf(first, first.length + headers.length);
        System.arraycopy(headers, 0, all, first.length, headers.length);
        return all;
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("server closed");
        }
    }

    /**
     * 200 announcing the whole file; sends its first {@code n} bytes, counts {@code sent} down, then
     * holds the connection open until the client closes it, and counts {@code clientGone} down.
     */
    static Handler stallAfter(byte[] content, int n, CountDownLatch sent, CountDownLatch clientGone) {
        return exchange -> {
            exchange.head(200, "Content-Type", "application/jsonl", "Content-Length", String.valueOf(content.length));
            exchange.body(content, 0, n);
            sent.countDown();
            exchange.awaitClientClose();
            clientGone.countDown();
        };
    }
}
