package com.mka1.batches.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The HTTP side of a {@link Mka1Sandbox}: WireMock listening at a bind address, and that address. */
final class SandboxServer {
    private SandboxServer() {}

    /**
     * Starts WireMock on {@code bindAddress} and {@code port} (0: a free one), every request
     * answered by the router, through the faults, into the log.
     *
     * @throws RuntimeException from WireMock if the port cannot be bound
     */
    static WireMockServer start(String bindAddress, int port, ApiRouter router, FaultQueue faults, RequestLog log) {
        WireMockConfiguration options = WireMockConfiguration.options()
                .bindAddress(bindAddress)
                .http2PlainDisabled(true)
                .jettyStopTimeout(0L)
                .disableRequestJournal()
                .gzipDisabled(true)
                .templatingEnabled(false)
                .notifier(new ConsoleNotifier(false))
                .extensions(new SandboxTransformer(router, faults, log));
        options = port == 0 ? options.dynamicPort() : options.port(port);
        WireMockServer server = new WireMockServer(options);
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(SandboxTransformer.NAME)));
        server.start();
        return server;
    }

    /**
     * The host for {@link Mka1Sandbox#baseUrl()}: a client on this machine reaches a sandbox that listens on
     * every address ({@code 0.0.0.0}, {@code ::}) at the loopback address.
     */
    static String urlHost(String bindAddress) {
        InetAddress address = resolve(bindAddress, "bindAddress");
        if (address.isAnyLocalAddress()) {
            return Mka1Sandbox.DEFAULT_BIND_ADDRESS;
        }
        return address instanceof Inet6Address && bindAddress.indexOf(':') >= 0 ? "[" + bindAddress + "]" : bindAddress;
    }

    /**
     * Resolves a bind address (an IP address literal or a host name).
     *
     * @param what how the caller calls the address, for the message
     * @throws IllegalArgumentException if it is blank or does not resolve
     */
    static InetAddress resolve(String bindAddress, String what) {
        if (bindAddress.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        try {
            return InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    what + " " + bindAddress + " is neither an IP address nor a known host name", e);
        }
    }
}
