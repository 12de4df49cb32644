package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.expected;
import static com.mka1.batches.run.RunSupport.keys;
import static com.mka1.batches.run.RunSupport.part;
import static com.mka1.batches.run.RunSupport.uploadedParts;
import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ids a run is handed by the server (an upload's file id, a create's batch id, a polled batch's
 * id and file ids) are data from outside: one that is no usable id stops the run with an
 * {@link InvalidResponseException} naming it, is never written to {@code manifest.json}, and the
 * run's resume finishes once the server answers properly, with one file and one batch per part.
 * The misbehaving server is the sandbox behind an interceptor that rewrites one of its answers
 * after the sandbox made what the request asked for.
 */
@ExtendWith(SandboxExtension.class)
class RunServerIdsTest {
    /** q1..q5, q2 failing, three to a batch: two parts. */
    private static final List<String> EXPECTED = expected(5, Set.of(2));

    private static final WaitOptions DYING =
            WaitOptions.builder().outageBudget(Duration.ZERO).build();

    @TempDir
    Path tmp;

    private Path dir;
    private Mka1Sandbox sandbox;
    private Mka1Client client;

    @BeforeEach
    void setUp(Mka1Sandbox sandbox, Mka1Client client) {
        this.sandbox = sandbox;
        this.client = client;
        this.dir = tmp.resolve("run");
    }

    private BatchRunParams params() {
        return params(WaitOptions.defaults());
    }

    /** @param waitOptions {@code outageBudget(ZERO)} for a run that stops at its first failure, as a dying one does */
    private BatchRunParams params(WaitOptions waitOptions) {
        return RunSupport.params(dir, 5, 3, i -> i == 2)
                .waitOptions(waitOptions)
                .build();
    }

    /**
     * Runs with the sandbox's first success answer to a {@code request} that {@code answer} accepts
     * rewritten by {@code edit}.
     *
     * @return what the run failed with
     */
    private Throwable runWithOneAnswerRewritten(
            Predicate<Request> request, Predicate<JsonObject> answer, Consumer<JsonObject> edit) {
        AtomicInteger rewritten = new AtomicInteger();
        Interceptor rewrite = chain -> {
            Response response = chain.proceed(chain.request());
            if (!response.isSuccessful() || !request.test(chain.request()) || rewritten.get() > 0) {
                return response;
            }
            ResponseBody body = response.body();
            String text = body.string();
            JsonObject json = JsonParser.parseString(text).getAsJsonObject();
            if (answer.test(json)) {
                rewritten.incrementAndGet();
                edit.accept(json);
                text = json.toString();
            }
            return response.newBuilder()
                    .body(ResponseBody.create(text, body.contentType()))
                    .build();
        };
        Throwable thrown;
        try (Mka1Client misled = SandboxExtension.clientBuilder(sandbox)
                .httpClient(new OkHttpClient.Builder().addInterceptor(rewrite).build())
                .build()) {
            thrown = catchThrowable(() -> misled.llm().batches().run(params()));
        }
        assertThat(rewritten).hasValue(1);
        return thrown;
    }

    private static Predicate<Request> post(String pathEnd) {
        return r -> r.method().equals("POST") && r.url().encodedPath().endsWith(pathEnd);
    }

    private BatchRunResult resumeAndCheck() {
        BatchRunResult run = client.llm().batches().resumeRun(dir);
        assertThat(view(run)).containsExactlyElementsOf(EXPECTED);
        assertThat(run.batchIds()).hasSize(2);
        assertThat(uploadedParts(client)).hasSize(2);
        List<String> batches = new ArrayList<>();
        client.llm().batches().list(ListBatchesParams.none()).autoPager().forEach(b -> batches.add(b.getId()));
        assertThat(batches).containsExactlyInAnyOrderElementsOf(run.batchIds());
        return run;
    }

    private String manifestText() {
        return RunSupport.read(dir.resolve("manifest.json"));
    }

    @Test
    void aCreateAnsweringAnEmptyIdStopsTheRunWithoutRecordingItAndTheResumeAdoptsTheBatch() {
        Throwable thrown =
                runWithOneAnswerRewritten(post("/batches"), json -> true, json -> json.addProperty("id", ""));

        assertThat(thrown)
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("the created batch's id '' is not a usable batch id: it is blank");
        assertThat(part(dir, 1).has("create_key")).isTrue();
        assertThat(part(dir, 1).has("batch_id")).isFalse();
        assertThat(manifestText()).doesNotContain("\"\"");
        String key = part(dir, 1).get("create_key").getAsString();

        resumeAndCheck();
        // The recorded key again: the server answered with the batch the first create made.
        assertThat(keys(sandbox, SandboxOperation.CREATE)).hasSize(2).first().isEqualTo(key);
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(3);
    }

    @Test
    void anUploadAnsweringAnEmptyIdStopsTheRunWithoutRecordingItAndTheResumeAdoptsTheFile() {
        Throwable thrown = runWithOneAnswerRewritten(post("/files"), json -> true, json -> json.addProperty("id", ""));

        assertThat(thrown)
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("the uploaded file's id '' is not a usable file id: it is blank");
        assertThat(part(dir, 1).has("upload_key")).isTrue();
        assertThat(part(dir, 1).has("input_file_id")).isFalse();
        assertThat(manifestText()).doesNotContain("\"\"");

        resumeAndCheck();
        assertThat(keys(sandbox, SandboxOperation.UPLOAD_FILE)).hasSize(2);
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(2);
    }

    @Test
    void aPollAnsweringAnotherBatchStopsTheRunNamingBothIdsAndTheResumeFinishes() {
        Throwable thrown = runWithOneAnswerRewritten(
                r -> r.method().equals("GET") && r.url().encodedPath().matches(".*/batches/[^/]+"),
                json -> json.get("status").getAsString().equals("completed"),
                json -> json.addProperty("id", "batch_someone_elses"));

        assertThat(thrown)
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("the server answered with batch 'batch_someone_elses'");
        assertThat(manifestText()).doesNotContain("batch_someone_elses");

        resumeAndCheck();
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(2);
    }

    @Test
    void aFinishedBatchWithAnUnusableOutputFileIdIsNotRecordedAndTheResumePollsAgain() {
        Throwable thrown = runWithOneAnswerRewritten(
                r -> r.method().equals("GET") && r.url().encodedPath().matches(".*/batches/[^/]+"),
                json -> json.get("status").getAsString().equals("completed"),
                json -> json.addProperty("output_file_id", ".."));

        assertThat(thrown)
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("'s output_file_id '..' is not a usable file id: it is '.' or '..'");
        assertThat(manifestText()).doesNotContain("\"..\"");

        resumeAndCheck();
    }

    /** A manifest in which a version before this check recorded the create's "id":"": the create is sent again with its key. */
    @Test
    void anEmptyBatchIdRecordedByAnOlderVersionIsForgottenAndTheCreateRedoneWithItsKey() {
        sandbox.injectFault(FaultSpec.status(502).on(SandboxOperation.CREATE).afterProcessing());
        try (Mka1Client noRetries = SandboxExtension.clientBuilder(sandbox)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            assertThatThrownBy(() -> noRetries.llm().batches().run(params(DYING)))
                    .isInstanceOf(Exception.class);
        }
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.getAsJsonArray("parts").get(0).getAsJsonObject().addProperty("batch_id", "");
        RunSupport.writeManifest(dir, manifest);

        resumeAndCheck();
        assertThat(keys(sandbox, SandboxOperation.CREATE)).hasSize(2);
    }

    /** Likewise a recorded output_file_id '..': the batch's end is polled again. */
    @Test
    void anUnusableOutputFileIdRecordedByAnOlderVersionIsForgottenAndTheBatchPolledAgain() {
        sandbox.injectFault(FaultSpec.cutBodyAfter(20).on(SandboxOperation.GET_FILE_CONTENT));
        try (Mka1Client noRetries = SandboxExtension.clientBuilder(sandbox)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            assertThatThrownBy(() -> noRetries.llm().batches().run(params(DYING)))
                    .isInstanceOf(Mka1IoException.class);
        }
        JsonObject manifest = RunSupport.manifest(dir);
        assertThat(manifest.getAsJsonArray("parts")
                        .get(0)
                        .getAsJsonObject()
                        .get("status")
                        .getAsString())
                .isEqualTo("completed");
        manifest.getAsJsonArray("parts").get(0).getAsJsonObject().addProperty("output_file_id", "..");
        RunSupport.writeManifest(dir, manifest);

        resumeAndCheck();
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(2);
    }
}
