package com.example.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 server on a raw socket that answers exactly the bytes a test script writes, one
 * request per connection: lengths that lie, bodies cut short or never ending, headers that change
 * between two requests. Nothing of the library's own test code is used.
 */
final class ScriptedServer implements AutoCloseable {
    /** One request as it arrived. */
    static final class Request {
        final String method;
        final String target;
        final Map<String, String> headers;
        final int index;

        Request(String method, String target, Map<String, String> headers, int index) {
            this.method = method;
            this.target = target;
            this.headers = headers;
            this.index = index;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }
    }

    /** Writes the answer to one request; the connection is closed after it returns. */
    interface Script {
        void answer(Request request, OutputStream out) throws IOException;
    }

    private final ServerSocket socket;
    private final Script script;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;

    ScriptedServer(Script script) throws IOException {
        this.script = script;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "scripted-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    List<Request> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                Request request = readRequest(connection.getInputStream());
                if (request == null) {
                    continue;
                }
                requests.add(request);
                OutputStream out = connection.getOutputStream();
                script.answer(request, out);
                out.flush();
            } catch (SocketException e) {
                // closed by the test, or the client hung up while a body was still going out
            } catch (IOException e) {
                // the client went away: the next request gets a new connection
            }
        }
    }

    private Request readRequest(InputStream in) throws IOException {
        String head = readHead(in);
        if (head == null) {
            return null;
        }
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        String length = headers.get("content-length");
        if (length != null) {
            in.readNBytes(Integer.parseInt(length));
        }
        return new Request(start[0], start[1], headers, requests.size());
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    /** Writes a status line and headers, then {@code body} (may be empty). */
    static void write(OutputStream out, String statusLine, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(statusLine).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
    }

    /** A JSON answer with a true Content-Length. */
    static void json(OutputStream out, String statusLine, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Content-Length", Integer.toString(body.length));
        write(out, statusLine, headers, body);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
