package com.mka1.batches.sandbox;

import com.github.tomakehurst.wiremock.http.Fault;

/**
 * A transport-level failure the sandbox can answer with instead of an HTTP response; each maps
 * to one of WireMock's faults.
 *
 * <pre>{@code
 * sandbox.injectFault(FaultSpec.fault(SandboxFault.CONNECTION_RESET).times(2));
 * }</pre>
 */
public enum SandboxFault {
    /** The connection is reset by the server (TCP RST) before any response byte. */
    CONNECTION_RESET(Fault.CONNECTION_RESET_BY_PEER),
    /** The connection is closed without any response. */
    EMPTY_RESPONSE(Fault.EMPTY_RESPONSE),
    /** A 200 status with a chunked body that breaks off mid-chunk. */
    MALFORMED_CHUNK(Fault.MALFORMED_RESPONSE_CHUNK),
    /** Random bytes, then the connection is closed. */
    RANDOM_DATA(Fault.RANDOM_DATA_THEN_CLOSE);

    private final Fault wireMockFault;

    SandboxFault(Fault wireMockFault) {
        this.wireMockFault = wireMockFault;
    }

    Fault wireMockFault() {
        return wireMockFault;
    }
}
