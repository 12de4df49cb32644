package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.Fixtures.chatFile;
import static com.mka1.batches.sandbox.Fixtures.chatLine;
import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.models.BatchError;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batches move through their lifecycle as the sandbox clock advances; nothing really sleeps. */
class LifecycleTest {
    private static final Duration STEP = Duration.ofSeconds(2);
    private static SandboxClock clock;
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        clock = SandboxClock.fixed(Fixtures.T0);
        sandbox = Mka1Sandbox.builder().clock(clock).stepDuration(STEP).start();
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
    void batchWalksValidatingInProgressFinalizingCompleted() {
        String fileId = sandbox.registerInputFile(chatFile(4));
        BatchObject created = api.createBatch(fileId, CHAT);
        long t0 = created.getCreatedAt();

        assertThat(created.getId()).matches("batch_[0-9a-f]{32}");
        assertThat(created.getObject()).isEqualTo("batch");
        assertThat(created.getStatus()).isEqualTo(BatchStatus.VALIDATING);
        assertThat(created.getCreatedAt()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(created.getExpiresAt()).isEqualTo(t0 + 24 * 3600);
        assertThat(created.getRequestCounts().getTotal()).isEqualTo(4);
        assertThat(created.getRequestCounts().getCompleted()).isZero();
        assertThat(created.getInProgressAt()).isNull();

        clock.advance(STEP);
        BatchObject inProgress = api.getBatch(created.getId());
        assertThat(inProgress.getStatus()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(inProgress.getInProgressAt()).isEqualTo(t0 + 2);
        assertThat(inProgress.getRequestCounts().getCompleted()).isZero();

        clock.advance(STEP.dividedBy(2));
        BatchObject halfway = api.getBatch(created.getId());
        assertThat(halfway.getStatus()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(halfway.getRequestCounts().getCompleted()).isEqualTo(2);
        assertThat(halfway.getOutputFileId()).isNull();

        clock.advance(STEP.dividedBy(2));
        BatchObject finalizing = api.getBatch(created.getId());
        assertThat(finalizing.getStatus()).isEqualTo(BatchStatus.FINALIZING);
        assertThat(finalizing.getFinalizingAt()).isEqualTo(t0 + 4);
        assertThat(finalizing.getRequestCounts().getCompleted()).isEqualTo(4);
        assertThat(finalizing.getOutputFileId()).isNull();

        clock.advance(STEP);
        BatchObject completed = api.getBatch(created.getId());
        assertThat(completed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(completed.getCompletedAt()).isEqualTo(t0 + 6);
        assertThat(completed.getRequestCounts().getCompleted()).isEqualTo(4);
        assertThat(completed.getRequestCounts().getFailed()).isZero();
        assertThat(completed.getErrors()).isNull();
        assertThat(completed.getErrorFileId()).isNull();
        assertThat(completed.getFailedAt()).isNull();
        assertThat(completed.getCancelledAt()).isNull();
        assertThat(completed.getOutputFileId()).matches("file_[0-9a-f]{24}");

        List<JsonObject> output =
                lines(sandbox.fileContent(completed.getOutputFileId()).orElseThrow());
        assertThat(output).hasSize(4);
        assertThat(output.stream().map(l -> l.get("custom_id").getAsString()))
                .containsExactly("req-1", "req-2", "req-3", "req-4");
        JsonObject first = output.get(0);
        assertThat(first.get("id").getAsString()).startsWith("batch_req_");
        assertThat(first.get("error").isJsonNull()).isTrue();
        JsonObject response = first.getAsJsonObject("response");
        assertThat(response.get("status_code").getAsInt()).isEqualTo(200);
        assertThat(response.get("request_id").getAsString()).startsWith("req_");
        JsonObject body = response.getAsJsonObject("body");
        assertThat(body.get("object").getAsString()).isEqualTo("chat.completion");
        assertThat(body.get("model").getAsString()).isEqualTo("gpt-test");
        assertThat(body.getAsJsonArray("choices")
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonObject("message")
                        .get("content")
                        .getAsString())
                .contains("prompt 1");

        // Reading again does not write new files.
        assertThat(api.getBatch(created.getId()).getOutputFileId()).isEqualTo(completed.getOutputFileId());
    }

    @Test
    void linesWithSandboxFailGoToTheErrorFile() {
        String fileId =
                sandbox.registerInputFile(chatLine("ok-1", "a") + chatLine("bad-1", "b", true) + chatLine("ok-2", "c"));
        BatchObject created = api.createBatch(fileId, CHAT);
        clock.advance(STEP.multipliedBy(3));

        BatchObject done = api.getBatch(created.getId());
        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.getRequestCounts().getTotal()).isEqualTo(3);
        assertThat(done.getRequestCounts().getCompleted()).isEqualTo(2);
        assertThat(done.getRequestCounts().getFailed()).isEqualTo(1);
        assertThat(done.getErrorFileId()).isNotNull().isNotEqualTo(done.getOutputFileId());

        List<JsonObject> output =
                lines(sandbox.fileContent(done.getOutputFileId()).orElseThrow());
        assertThat(output.stream().map(l -> l.get("custom_id").getAsString())).containsExactly("ok-1", "ok-2");
        List<JsonObject> errors =
                lines(sandbox.fileContent(done.getErrorFileId()).orElseThrow());
        assertThat(errors).hasSize(1);
        JsonObject failed = errors.get(0);
        assertThat(failed.get("custom_id").getAsString()).isEqualTo("bad-1");
        assertThat(failed.get("response").isJsonNull()).isTrue();
        assertThat(failed.getAsJsonObject("error").get("code").getAsString()).isEqualTo("processing_error");
        assertThat(failed.getAsJsonObject("error").get("message").getAsString()).isNotBlank();
    }

    @Test
    void sandboxStatusAnswersTheFirstExecutionsOfACustomIdThenRunsItNormally() {
        JsonObject transientBody = chatBody("a");
        transientBody.addProperty("sandbox_status", 500);
        transientBody.addProperty("sandbox_times", 1);
        JsonObject codeBody = chatBody("b");
        codeBody.addProperty("sandbox_error_code", "server_error");
        codeBody.addProperty("sandbox_times", 2);
        String input = Fixtures.line("s-1", "/v1/chat/completions", transientBody)
                + Fixtures.line("e-1", "/v1/chat/completions", codeBody);

        BatchObject first = runToEnd(input);
        assertThat(first.getRequestCounts().getFailed()).isEqualTo(2);
        List<JsonObject> errors =
                lines(sandbox.fileContent(first.getErrorFileId()).orElseThrow());
        JsonObject status = errors.get(0);
        assertThat(status.get("custom_id").getAsString()).isEqualTo("s-1");
        assertThat(status.get("error").isJsonNull()).isTrue();
        assertThat(status.getAsJsonObject("response").get("status_code").getAsInt())
                .isEqualTo(500);
        assertThat(status.getAsJsonObject("response")
                        .getAsJsonObject("body")
                        .getAsJsonObject("error")
                        .get("code")
                        .getAsString())
                .isEqualTo("sandbox_status");
        JsonObject code = errors.get(1);
        assertThat(code.get("response").isJsonNull()).isTrue();
        assertThat(code.getAsJsonObject("error").get("code").getAsString()).isEqualTo("server_error");

        BatchObject second = runToEnd(input);
        assertThat(second.getRequestCounts().getCompleted()).isEqualTo(1);
        assertThat(lines(sandbox.fileContent(second.getOutputFileId()).orElseThrow())
                        .get(0)
                        .get("custom_id")
                        .getAsString())
                .isEqualTo("s-1");
        assertThat(lines(sandbox.fileContent(second.getErrorFileId()).orElseThrow())
                        .get(0)
                        .get("custom_id")
                        .getAsString())
                .isEqualTo("e-1");

        BatchObject third = runToEnd(input);
        assertThat(third.getRequestCounts().getCompleted()).isEqualTo(2);
        assertThat(third.getErrorFileId()).isNull();
    }

    private BatchObject runToEnd(String input) {
        BatchObject created = api.createBatch(sandbox.registerInputFile(input), CHAT);
        clock.advance(STEP.multipliedBy(3));
        return api.getBatch(created.getId());
    }

    private static JsonObject chatBody(String prompt) {
        return JsonParser.parseString(chatLine("x", prompt)).getAsJsonObject().getAsJsonObject("body");
    }

    @Test
    void embeddingsAndImagesGetPlausibleBodies() {
        JsonObject embeddingBody = new JsonObject();
        embeddingBody.addProperty("model", "embed-test");
        embeddingBody.addProperty("input", "hello world");
        JsonObject imageBody = new JsonObject();
        imageBody.addProperty("prompt", "a cat");
        imageBody.addProperty("n", 2);
        String embeddings = sandbox.registerInputFile(Fixtures.line("e1", "/v1/embeddings", embeddingBody));
        String images = sandbox.registerInputFile(Fixtures.line("i1", "/v1/images/generations", imageBody));
        BatchObject e = api.createBatch(embeddings, "/v1/embeddings");
        BatchObject i = api.createBatch(images, "/v1/images/generations");
        clock.advance(STEP.multipliedBy(3));

        JsonObject embedding = lines(sandbox.fileContent(api.getBatch(e.getId()).getOutputFileId())
                        .orElseThrow())
                .get(0)
                .getAsJsonObject("response")
                .getAsJsonObject("body");
        assertThat(embedding.get("object").getAsString()).isEqualTo("list");
        assertThat(embedding.getAsJsonArray("data").get(0).getAsJsonObject().getAsJsonArray("embedding"))
                .hasSize(8);
        JsonObject image = lines(sandbox.fileContent(api.getBatch(i.getId()).getOutputFileId())
                        .orElseThrow())
                .get(0)
                .getAsJsonObject("response")
                .getAsJsonObject("body");
        assertThat(image.getAsJsonArray("data")).hasSize(2);
        assertThat(image.getAsJsonArray("data")
                        .get(0)
                        .getAsJsonObject()
                        .get("url")
                        .getAsString())
                .startsWith("https://");
    }

    /** Found by SandboxParsersFuzzTest: Gson's getAsInt() threw for this n, and WireMock answered 500. */
    @Test
    void anImagesRequestAskingForAnAbsurdNumberOfImagesGetsTheMostTen() {
        String images = sandbox.registerInputFile("{\"custom_id\":\"i1\",\"method\":\"POST\","
                + "\"url\":\"/v1/images/generations\",\"body\":{\"prompt\":\"a cat\",\"n\":1e1000000200}}\n");
        BatchObject i = api.createBatch(images, "/v1/images/generations");
        clock.advance(STEP.multipliedBy(3));

        JsonObject image = lines(sandbox.fileContent(api.getBatch(i.getId()).getOutputFileId())
                        .orElseThrow())
                .get(0)
                .getAsJsonObject("response")
                .getAsJsonObject("body");
        assertThat(image.getAsJsonArray("data")).hasSize(10);
    }

    @Test
    void unknownInputFileFailsAfterValidation() {
        BatchObject created = api.createBatch("file_does_not_exist", CHAT);
        assertThat(created.getStatus()).isEqualTo(BatchStatus.VALIDATING);
        assertThat(created.getErrors()).isNull();

        clock.advance(STEP);
        BatchObject failed = api.getBatch(created.getId());
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getFailedAt()).isEqualTo(created.getCreatedAt() + 2);
        assertThat(failed.getInProgressAt()).isNull();
        assertThat(failed.getOutputFileId()).isNull();
        assertThat(failed.getErrorFileId()).isNull();
        assertThat(failed.getRequestCounts().getTotal()).isZero();
        assertThat(failed.getErrors().getObject()).isEqualTo("list");
        BatchError error = failed.getErrors().getData().get(0);
        assertThat(error.getCode()).isEqualTo("file_not_found");
        assertThat(error.getParam()).isEqualTo("input_file_id");
        assertThat(error.getLine()).isNull();
    }

    @Test
    void invalidInputFileFailsWithOneErrorPerProblemAndLine() {
        String file = chatLine("a", "fine")
                + "{not json\n"
                + "\n"
                + Fixtures.line("b", "/v1/embeddings", new JsonObject())
                + chatLine("a", "duplicate id")
                + chatLine("c", "x").replace("\"POST\"", "\"GET\"");
        BatchObject created = api.createBatch(sandbox.registerInputFile(file), CHAT);
        clock.advance(STEP);

        BatchObject failed = api.getBatch(created.getId());
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getErrors().getData())
                .extracting(BatchError::getCode, BatchError::getLine)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("invalid_json_line", 2L),
                        org.assertj.core.groups.Tuple.tuple("invalid_url", 4L),
                        org.assertj.core.groups.Tuple.tuple("duplicate_custom_id", 5L),
                        org.assertj.core.groups.Tuple.tuple("invalid_method", 6L));
        assertThat(failed.getErrors().getData().get(1).getMessage()).contains("/v1/embeddings");
    }

    @Test
    void emptyInputFileFails() {
        BatchObject created = api.createBatch(sandbox.registerInputFile("\n\n"), CHAT);
        clock.advance(STEP);
        BatchObject failed = api.getBatch(created.getId());
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getErrors().getData()).extracting(BatchError::getCode).containsExactly("empty_file");
    }

    @Test
    void cancelInProgressGoesCancellingThenCancelledKeepingPartialResults() {
        BatchObject created = api.createBatch(sandbox.registerInputFile(chatFile(4)), CHAT);
        clock.advance(STEP.plus(STEP.dividedBy(2)));

        TestApi.Reply cancel = api.cancel(created.getId());
        assertThat(cancel.status).isEqualTo(200);
        BatchObject cancelling = cancel.batch();
        assertThat(cancelling.getStatus()).isEqualTo(BatchStatus.CANCELLING);
        assertThat(cancelling.getCancellingAt()).isEqualTo(created.getCreatedAt() + 3);
        assertThat(cancelling.getCancelledAt()).isNull();

        // A second cancel while cancelling is accepted and changes nothing.
        TestApi.Reply again = api.cancel(created.getId());
        assertThat(again.status).isEqualTo(200);
        assertThat(again.batch().getCancellingAt()).isEqualTo(cancelling.getCancellingAt());

        clock.advance(STEP);
        BatchObject cancelled = api.getBatch(created.getId());
        assertThat(cancelled.getStatus()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(cancelled.getCancelledAt()).isEqualTo(created.getCreatedAt() + 5);
        assertThat(cancelled.getFinalizingAt()).isNull();
        assertThat(cancelled.getCompletedAt()).isNull();
        assertThat(cancelled.getRequestCounts().getCompleted()).isEqualTo(2);
        assertThat(lines(sandbox.fileContent(cancelled.getOutputFileId()).orElseThrow()))
                .hasSize(2);

        clock.advance(Duration.ofHours(30));
        assertThat(api.getBatch(created.getId()).getStatus()).isEqualTo(BatchStatus.CANCELLED);
    }

    @Test
    void cancelWhileValidatingProducesNoFiles() {
        BatchObject created = api.createBatch(sandbox.registerInputFile(chatFile(2)), CHAT);
        assertThat(api.cancel(created.getId()).batch().getStatus()).isEqualTo(BatchStatus.CANCELLING);
        clock.advance(STEP);
        BatchObject cancelled = api.getBatch(created.getId());
        assertThat(cancelled.getStatus()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(cancelled.getInProgressAt()).isNull();
        assertThat(cancelled.getOutputFileId()).isNull();
        assertThat(cancelled.getRequestCounts().getCompleted()).isZero();
    }

    @Test
    void cancellingATerminalBatchIs409() {
        BatchObject created = api.createBatch(sandbox.registerInputFile(chatFile(1)), CHAT);
        clock.advance(STEP.multipliedBy(3));

        TestApi.Reply reply = api.cancel(created.getId());
        assertThat(reply.status).isEqualTo(409);
        assertThat(reply.error().get("type").getAsString()).isEqualTo("invalid_request_error");
        assertThat(reply.errorCode()).isEqualTo("batch_not_cancellable");
        assertThat(reply.error().get("message").getAsString()).contains("completed");
        assertThat(api.getBatch(created.getId()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void unknownBatchIs404OnGetAndCancel() {
        for (TestApi.Reply reply :
                List.of(api.get("batch_00000000000000000000000000000000"), api.cancel("batch_nope"))) {
            assertThat(reply.status).isEqualTo(404);
            assertThat(reply.errorCode()).isEqualTo("not_found");
            assertThat(reply.error().get("type").getAsString()).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void batchNotDoneWithin24HoursExpires() {
        SandboxClock slowClock = SandboxClock.fixed(Fixtures.T0);
        try (Mka1Sandbox slow = Mka1Sandbox.builder()
                .clock(slowClock)
                .stepDuration(Duration.ofHours(10))
                .start()) {
            TestApi slowApi = new TestApi(slow);
            BatchObject created = slowApi.createBatch(slow.registerInputFile(chatFile(2)), CHAT);

            slowClock.advance(Duration.ofHours(24).minusSeconds(1));
            assertThat(slowApi.getBatch(created.getId()).getStatus()).isEqualTo(BatchStatus.FINALIZING);

            slowClock.advance(Duration.ofSeconds(1));
            BatchObject expired = slowApi.getBatch(created.getId());
            assertThat(expired.getStatus()).isEqualTo(BatchStatus.EXPIRED);
            assertThat(expired.getExpiredAt()).isEqualTo(created.getCreatedAt() + 24 * 3600);
            assertThat(expired.getExpiresAt()).isEqualTo(expired.getExpiredAt());
            assertThat(expired.getCompletedAt()).isNull();
            assertThat(expired.getInProgressAt()).isEqualTo(created.getCreatedAt() + 10 * 3600);
            assertThat(slowApi.cancel(created.getId()).status).isEqualTo(409);
        }
    }

    @Test
    void metadataIsEchoedAndNullWhenAbsent() {
        String fileId = sandbox.registerInputFile(chatFile(1));
        JsonObject body =
                JsonParser.parseString(TestApi.createBody(fileId, CHAT)).getAsJsonObject();
        JsonObject metadata = new JsonObject();
        metadata.addProperty("description", "evaluation job");
        body.add("metadata", metadata);
        assertThat(api.create(body.toString()).batch().getMetadata())
                .containsExactly(java.util.Map.entry("description", "evaluation job"));
        TestApi.Reply plain = api.create(TestApi.createBody(fileId, CHAT));
        assertThat(plain.json().get("metadata").isJsonNull()).isTrue();
        assertThat(plain.json().get("errors").isJsonNull()).isTrue();
    }

    static List<JsonObject> lines(String jsonl) {
        return jsonl.lines()
                .filter(l -> !l.isBlank())
                .map(l -> JsonParser.parseString(l).getAsJsonObject())
                .collect(Collectors.toList());
    }
}
