package com.mka1.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Lets a client in one JVM advance the sandbox clock in another, so that the run benchmark's
 * client waits no real time while its heap holds only the client: the sandbox's JVM
 * {@linkplain #serve serves} the clock on a loopback port, and the client's sleeper
 * {@linkplain #connect connects} and sends each wait. A wait is 8 bytes (nanoseconds) answered
 * by 1 byte once the clock has moved, so the client's next request sees the new time.
 */
final class ClockBridge implements AutoCloseable {
    /** Where the sandbox clock starts (as in the sandbox's JUnit extension), on both sides. */
    static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    private final ServerSocket server;
    private final Thread acceptor;

    private ClockBridge(ServerSocket server, Consumer<Duration> advance) {
        this.server = server;
        this.acceptor = new Thread(() -> accept(advance), "clock-bridge");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return a bridge advancing the clock by {@code advance}, on an ephemeral loopback port */
    static ClockBridge serve(Consumer<Duration> advance) throws IOException {
        return new ClockBridge(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()), advance);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept(Consumer<Duration> advance) {
        while (!server.isClosed()) {
            try (Socket connection = server.accept();
                    DataInputStream in = new DataInputStream(connection.getInputStream());
                    DataOutputStream out = new DataOutputStream(connection.getOutputStream())) {
                connection.setTcpNoDelay(true);
                while (true) {
                    advance.accept(Duration.ofNanos(in.readLong()));
                    out.write(1);
                    out.flush();
                }
            } catch (EOFException e) {
                // the client is done; wait for the next one
            } catch (IOException e) {
                if (!server.isClosed()) {
                    e.printStackTrace();
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** @return the client's end of the bridge on {@code port} */
    static Remote connect(int port) throws IOException {
        return new Remote(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** The client's end: one connection, one wait at a time. */
    static final class Remote implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        private Remote(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = new DataOutputStream(socket.getOutputStream());
        }

        /** Moves the remote clock by {@code duration}; returns once it has moved. */
        synchronized void advance(Duration duration) {
            try {
                out.writeLong(duration.toNanos());
                out.flush();
                if (in.read() != 1) {
                    throw new EOFException("the sandbox's clock bridge closed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
