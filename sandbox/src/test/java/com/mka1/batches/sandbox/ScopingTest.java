package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.PagingTest.ids;
import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each (API key, X-On-Behalf-Of) pair sees only its own batches. */
class ScopingTest {
    private static Mka1Sandbox sandbox;
    private static TestApi keyA;
    private static TestApi keyB;

    @BeforeAll
    static void start() {
        sandbox = Mka1Sandbox.builder().apiKeys("sk-a", "sk-b").start();
        keyA = new TestApi(sandbox).withKey("sk-a");
        keyB = new TestApi(sandbox).withKey("sk-b");
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void twoKeysSeeDisjointBatches() {
        String fileId = sandbox.registerInputFile(Fixtures.chatFile(1));
        String a1 = keyA.createBatch(fileId, CHAT).getId();
        String a2 = keyA.createBatch(fileId, CHAT).getId();
        String b1 = keyB.createBatch(fileId, CHAT).getId();

        assertThat(ids(keyA.listAll(10))).containsExactly(a2, a1);
        assertThat(ids(keyB.listAll(10))).containsExactly(b1);
        assertThat(keyA.get(b1).status).isEqualTo(404);
        assertThat(keyB.get(a1).status).isEqualTo(404);
        assertThat(keyB.cancel(a1).status).isEqualTo(404);
        assertThat(keyA.getBatch(a1).getStatus().getValue()).isEqualTo("validating");
        assertThat(keyB.list("after=" + a1).status).isEqualTo(400);
    }

    @Test
    void onBehalfOfUsersOfOneKeySeeDisjointBatches() {
        String fileId = sandbox.registerInputFile(Fixtures.chatFile(1));
        TestApi alice = keyA.onBehalfOf("user_alice");
        TestApi bob = keyA.onBehalfOf("user_bob");
        String viaKey = keyA.createBatch(fileId, CHAT).getId();
        String forAlice = alice.createBatch(fileId, CHAT).getId();
        String forBob = bob.createBatch(fileId, CHAT).getId();

        assertThat(ids(keyA.listAll(10))).containsExactly(viaKey);
        assertThat(ids(alice.listAll(10))).containsExactly(forAlice);
        assertThat(ids(bob.listAll(10))).containsExactly(forBob);
        assertThat(ids(keyB.onBehalfOf("user_alice").listAll(10))).isEmpty();
        for (String other : List.of(viaKey, forBob)) {
            assertThat(alice.get(other).status).isEqualTo(404);
            assertThat(alice.cancel(other).status).isEqualTo(404);
        }
        assertThat(alice.getBatch(forAlice).getId()).isEqualTo(forAlice);
    }
}
