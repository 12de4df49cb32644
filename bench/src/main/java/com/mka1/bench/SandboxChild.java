package com.mka1.bench;

import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;

/**
 * The sandbox side of the run benchmark ({@link Harness} {@code run}), in a JVM of its own: the
 * embedded sandbox on a fixed {@link SandboxClock} that moves only when the client's sleeper
 * advances it through a {@link ClockBridge}. Prints {@code sandbox <baseUrl> <apiKey> <clockPort>},
 * serves until its standard input closes, then prints what it served and exits.
 */
public final class SandboxChild {
    private SandboxChild() {}

    public static void main(String[] args) throws IOException {
        SandboxClock clock = SandboxClock.fixed(ClockBridge.START);
        try (Mka1Sandbox sandbox = Mka1Sandbox.builder().clock(clock).start();
                ClockBridge bridge = ClockBridge.serve(clock::advance)) {
            System.out.println("sandbox " + sandbox.baseUrl() + " " + sandbox.apiKey() + " " + bridge.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serving until the harness closes our standard input
            }
            System.out.println("served requests=" + sandbox.requestCount()
                    + " uploads=" + sandbox.requestCount(SandboxOperation.UPLOAD_FILE)
                    + " creates=" + sandbox.requestCount(SandboxOperation.CREATE)
                    + " gets=" + sandbox.requestCount(SandboxOperation.GET)
                    + " contents=" + sandbox.requestCount(SandboxOperation.GET_FILE_CONTENT));
        }
        System.out.flush();
        System.exit(0);
    }
}
