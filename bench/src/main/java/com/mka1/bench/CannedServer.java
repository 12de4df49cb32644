package com.mka1.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.atomic.LongAdder;

/**
 * A loopback HTTP/1.1 server answering with bytes computed once at start, so every contestant
 * reads exactly the same bytes and the server costs the same for each. Keep-alive, one thread per
 * connection, no parsing beyond the request line and headers.
 *
 * <ul>
 *   <li>{@code GET /api/v1/llm/batches/{id}} answers one batch (always the same bytes);</li>
 *   <li>{@code GET /api/v1/llm/batches?limit=100[&after=batch_N]} answers the page after
 *       {@code batch_N}: {@value CannedBatches#PAGE_SIZE} batches, {@code has_more} false on the
 *       last of {@code pages} pages. Any other limit, or a cursor not at a page end, is a 400.</li>
 * </ul>
 */
public final class CannedServer implements AutoCloseable {
    private static final String PREFIX = "/api/v1/llm/batches";

    private final ServerSocket socket;
    private final byte[] getResponse;
    private final byte[][] pageResponses;
    private final LongAdder requests = new LongAdder();
    private final Thread acceptor;
    private volatile boolean closed;

    private CannedServer(int pages) throws IOException {
        this.getResponse = response(200, CannedBatches.batch(CannedBatches.GET_INDEX));
        this.pageResponses = new byte[pages][];
        for (int page = 0; page < pages; page++) {
            pageResponses[page] = response(200, CannedBatches.page(page, pages));
        }
        this.socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "canned-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @param pages how many list pages of {@value CannedBatches#PAGE_SIZE} the server holds (0 for
     *     a server that only answers single batches)
     * @return a started server on an ephemeral loopback port
     */
    public static CannedServer start(int pages) {
        try {
            return new CannedServer(pages);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the canned server", e);
        }
    }

    /** @return {@code http://127.0.0.1:PORT}, without a trailing slash */
    public String rootUrl() {
        return "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** @return the requests answered so far, errors included */
    public long requests() {
        return requests.sum();
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
             InputStream in = new BufferedInputStream(c.getInputStream(), 8192);
             OutputStream out = c.getOutputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            while (!closed) {
                String requestLine = readLine(in, line);
                if (requestLine == null) {
                    return;
                }
                long contentLength = 0;
                boolean close = false;
                for (String header = readLine(in, line); header != null && !header.isEmpty(); header = readLine(in, line)) {
                    String lower = header.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        contentLength = Long.parseLong(lower.substring(15).trim());
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                for (long left = contentLength; left > 0; left--) {
                    if (in.read() < 0) {
                        return;
                    }
                }
                requests.increment();
                out.write(route(requestLine));
                out.flush();
                if (close) {
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

    private byte[] route(String requestLine) {
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[0].equals("GET")) {
            return error(405, "only GET is served");
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        if (path.startsWith(PREFIX + "/") && path.length() > PREFIX.length() + 1) {
            return getResponse;
        }
        if (!path.equals(PREFIX)) {
            return error(404, "no route for " + path);
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
            return error(400, "every contestant must ask for limit=" + CannedBatches.PAGE_SIZE + ", got " + limit);
        }
        int page = after == null ? 0 : CannedBatches.pageAfter(after);
        if (page < 0 || page >= pageResponses.length) {
            return error(400, "no page after " + after);
        }
        return pageResponses[page];
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

    private static byte[] error(int status, String message) {
        return response(status, "{\"error\":{\"message\":\"" + message.replace("\"", "'") + "\",\"type\":\"bench\"}}");
    }

    private static byte[] response(int status, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Error") + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
