package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.Fixtures.chatLine;
import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchStatus;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Mka1Sandbox#ledger()}: what the server did, whatever the client saw. */
class LedgerTest {
    private static SandboxClock clock;
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        clock = SandboxClock.fixed(Fixtures.T0);
        sandbox = Mka1Sandbox.builder().clock(clock).start();
        api = new TestApi(sandbox);
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
    void listsEveryBatchInCreationOrderWithItsInputMetadataAndStatus() {
        String fileId = sandbox.registerInputFile(Fixtures.chatFile(2));
        String first = api.create(withMetadata(fileId, "part-1")).batch().getId();
        String second = api.create(withMetadata(fileId, "part-2")).batch().getId();
        String missing = api.createBatch("file_missing", CHAT).getId();
        api.cancel(second);
        clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3));

        SandboxLedger ledger = sandbox.ledger();
        assertThat(ledger.batches()).extracting(SandboxLedger.Batch::id).containsExactly(first, second, missing);
        SandboxLedger.Batch one = ledger.batches().get(0);
        assertThat(one.inputFileId()).isEqualTo(fileId);
        assertThat(one.endpoint()).isEqualTo(CHAT);
        assertThat(one.metadata()).isEqualTo(Map.of("run", "r1", "part", "part-1"));
        assertThat(one.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(one.completed()).isEqualTo(2);
        assertThat(ledger.batches().get(1).status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(ledger.batches().get(2).status()).isEqualTo(BatchStatus.FAILED);
        assertThat(ledger.batches().get(2).errorCodes()).containsExactly("file_not_found");
        assertThat(ledger.batches().get(2).metadata()).isEmpty();
    }

    @Test
    void countsEachLineAnswered200InAnOutputFileEvenIfNoClientLooked() {
        String fileId = sandbox.registerInputFile(chatLine("ok", "a") + chatLine("bad", "b", true));
        api.createBatch(fileId, CHAT);
        api.createBatch(fileId, CHAT);
        assertThat(sandbox.ledger().successfulExecutions()).isEmpty();

        clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3));

        SandboxLedger ledger = sandbox.ledger();
        assertThat(ledger.successfulExecutions()).containsExactly(Map.entry("ok", 2));
        assertThat(ledger.successfulExecutions("ok")).isEqualTo(2);
        assertThat(ledger.successfulExecutions("bad")).isZero();
        assertThat(ledger.batches())
                .allSatisfy(batch -> assertThat(batch.failed()).isEqualTo(1));
    }

    @Test
    void aLedgerIsASnapshotAndResetEmptiesIt() {
        api.createBatch(sandbox.registerInputFile(Fixtures.chatFile(1)), CHAT);
        SandboxLedger before = sandbox.ledger();
        clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3));

        assertThat(before.batches().get(0).status()).isEqualTo(BatchStatus.VALIDATING);
        assertThat(before.successfulExecutions()).isEmpty();
        assertThat(sandbox.ledger().successfulExecutions("req-1")).isEqualTo(1);
        assertThatThrownBy(() -> before.batches().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> sandbox.ledger().successfulExecutions().clear())
                .isInstanceOf(UnsupportedOperationException.class);

        sandbox.reset();
        assertThat(sandbox.ledger().batches()).isEmpty();
        assertThat(sandbox.ledger().successfulExecutions()).isEmpty();
    }

    @Test
    void overHttpTheLedgerIsJsonForAnyAcceptedKey() {
        String fileId = sandbox.registerInputFile(chatLine("ok", "a") + chatLine("bad", "b", true));
        String batchId = api.create(withMetadata(fileId, "part-1")).batch().getId();
        clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3));

        TestApi.Reply reply = api.send("GET", "/sandbox/ledger", null);

        assertThat(reply.status).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        JsonObject batch = reply.json().getAsJsonArray("batches").get(0).getAsJsonObject();
        assertThat(batch.get("id").getAsString()).isEqualTo(batchId);
        assertThat(batch.get("input_file_id").getAsString()).isEqualTo(fileId);
        assertThat(batch.get("endpoint").getAsString()).isEqualTo(CHAT);
        assertThat(batch.getAsJsonObject("metadata").get("part").getAsString()).isEqualTo("part-1");
        assertThat(batch.get("status").getAsString()).isEqualTo("completed");
        assertThat(batch.getAsJsonArray("error_codes")).isEmpty();
        assertThat(batch.get("completed").getAsLong()).isEqualTo(1);
        assertThat(batch.get("failed").getAsLong()).isEqualTo(1);
        assertThat(reply.json().getAsJsonObject("successful_executions").entrySet())
                .singleElement()
                .satisfies(entry -> {
                    assertThat(entry.getKey()).isEqualTo("ok");
                    assertThat(entry.getValue().getAsInt()).isEqualTo(1);
                });
        assertThat(api.withKey(null).send("GET", "/sandbox/ledger", null).status)
                .isEqualTo(401);
        assertThat(api.send("POST", "/sandbox/ledger", "{}").status).isEqualTo(404);
    }

    private static String withMetadata(String fileId, String part) {
        JsonObject body = TestApi.GSON.fromJson(TestApi.createBody(fileId, CHAT), JsonObject.class);
        JsonObject metadata = new JsonObject();
        metadata.addProperty("run", "r1");
        metadata.addProperty("part", part);
        body.add("metadata", metadata);
        return body.toString();
    }
}
