package com.mka1.batches.cli;

import com.mka1.batches.BatchService;
import com.mka1.batches.FileService;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.sandbox.Mka1Sandbox;

/** A client for one command, and the embedded sandbox it talks to when there is one. */
final class Session implements AutoCloseable {
    private final Mka1Client client;
    private final Mka1Sandbox sandbox;

    Session(Mka1Client client, Mka1Sandbox sandbox) {
        this.client = client;
        this.sandbox = sandbox;
    }

    BatchService batches() {
        return client.llm().batches();
    }

    FileService files() {
        return client.llm().files();
    }

    /** The embedded sandbox, or null when the session talks to a real API; for narration only, the calls go over HTTP. */
    Mka1Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public void close() {
        client.close();
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
