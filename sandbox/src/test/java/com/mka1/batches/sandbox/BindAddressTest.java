package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the sandbox listens, and the URL it gives clients. */
class BindAddressTest {
    @Test
    void aSandboxOnEveryAddressGivesALoopbackUrlThatWorks() {
        try (Mka1Sandbox sandbox = Mka1Sandbox.builder().bindAddress("0.0.0.0").start()) {
            assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port());
            assertThat(new TestApi(sandbox).list("").status).isEqualTo(200);
        }
    }

    @Test
    void onlyASandboxOnEveryAddressIsReachedAtAnotherAddressOfTheMachine() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
        try (Mka1Sandbox everywhere =
                        Mka1Sandbox.builder().bindAddress("0.0.0.0").start();
                Mka1Sandbox loopback = Mka1Sandbox.start()) {
            // No key: 401 proves the sandbox answered.
            assertThat(status(external.get(), everywhere.port())).isEqualTo(401);
            assertThatThrownBy(() -> status(external.get(), loopback.port())).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aSandboxOnOneAddressGivesThatAddressInItsUrl() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
        String address = external.get().getHostAddress();
        try (Mka1Sandbox sandbox = Mka1Sandbox.builder().bindAddress(address).start()) {
            assertThat(sandbox.baseUrl()).isEqualTo("http://" + address + ":" + sandbox.port());
            assertThat(new TestApi(sandbox).list("").status).isEqualTo(200);
        }
    }

    @Test
    void anIpv6AddressIsBracketedInTheUrl() {
        Mka1Sandbox sandbox;
        try {
            sandbox = Mka1Sandbox.builder().bindAddress("::1").start();
        } catch (RuntimeException e) {
            assumeTrue(false, "this machine cannot listen on ::1: " + e);
            return;
        }
        try (sandbox) {
            assertThat(sandbox.baseUrl()).isEqualTo("http://[::1]:" + sandbox.port());
            assertThat(new TestApi(sandbox).list("").status).isEqualTo(200);
        }
    }

    @Test
    void aBlankOrUnknownAddressIsRefusedNamingIt() {
        assertThatThrownBy(() -> Mka1Sandbox.builder().bindAddress(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bindAddress must not be blank");
        assertThatThrownBy(() -> Mka1Sandbox.builder().bindAddress("no-such-host.invalid"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bindAddress no-such-host.invalid is neither an IP address nor a known host name");
        assertThatThrownBy(() -> Mka1Sandbox.builder().bindAddress(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("bindAddress == null");
    }

    private static int status(InetAddress address, int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + address.getHostAddress() + ":" + port + ApiRouter.BATCHES_PATH))
                .timeout(Duration.ofSeconds(5))
                .build();
        return TestApi.HTTP
                .send(request, HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
