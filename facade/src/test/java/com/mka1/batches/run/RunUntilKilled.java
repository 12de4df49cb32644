package com.mka1.batches.run;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.models.BatchEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A batch run in a process of its own, for {@link RunKillResumeTest}, which kills it
 * ({@code SIGKILL}) at random points and starts it again:
 * {@code RunUntilKilled <workDir> <baseUrl> <apiKey> <requests> <perBatch> <failEvery>}. It starts
 * the run, or resumes it when the work directory already holds one. It prints a line as each
 * request goes out ({@code > POST /api/v1/llm/files}) and as its answer arrives ({@code < 200}),
 * so that the killer can pick its moment; at the end,
 * {@code DONE total=… succeeded=… failed=… missing=… batches=…}.
 */
public final class RunUntilKilled {
    private RunUntilKilled() {}

    public static void main(String[] args) throws Exception {
        Path workDir = Paths.get(args[0]);
        int requests = Integer.parseInt(args[3]);
        int perBatch = Integer.parseInt(args[4]);
        int failEvery = Integer.parseInt(args[5]);
        OkHttpClient http = new OkHttpClient.Builder()
                .addNetworkInterceptor(chain -> {
                    Request request = chain.request();
                    say("> " + request.method() + " " + request.url().encodedPath());
                    Response response = chain.proceed(request);
                    say("< " + response.code());
                    return response;
                })
                .build();
        WaitOptions waits = WaitOptions.builder()
                .pollInterval(Duration.ofMillis(10))
                .maxPollInterval(Duration.ofMillis(10))
                .build();
        try (Mka1Client client = Mka1Client.builder()
                .baseUrl(args[1])
                .apiKey(args[2])
                .httpClient(http)
                .sleeper(wait -> Thread.sleep(Math.min(wait.toMillis(), 50)))
                .build()) {
            BatchRunResult run;
            if (Files.exists(workDir.resolve("manifest.json"))) {
                run = client.llm().batches().resumeRun(workDir, waits, progress -> {});
            } else {
                BatchRunParams.Builder params = BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .maxRequestsPerBatch(perBatch)
                        .waitOptions(waits)
                        .workDir(workDir);
                for (int i = 1; i <= requests; i++) {
                    params.addRequest("q" + i, RunSupport.chat("question " + i, i % failEvery == 0));
                }
                run = client.llm().batches().run(params.build());
            }
            say("DONE total=" + run.total() + " succeeded=" + run.succeeded() + " failed=" + run.failed() + " missing="
                    + run.missing() + " batches=" + run.batchIds().size());
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
