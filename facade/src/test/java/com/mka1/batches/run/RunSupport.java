package com.mka1.batches.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.ListFilesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import com.mka1.batches.sandbox.SandboxRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Requests, manifest access and outcome views shared by the batch run tests. */
final class RunSupport {
    private RunSupport() {}

    /** A chat request body; the sandbox fails it when {@code fail} is set. */
    static Map<String, Object> chat(String question, boolean fail) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("model", "gpt-test");
        body.put("messages", List.of(Map.of("role", "user", "content", question)));
        if (fail) {
            body.put("sandbox_fail", true);
        }
        return body;
    }

    /**
     * A run of the chat requests {@code q1..qn} into {@code dir}, at most {@code perBatch} to a
     * batch, in which the requests whose number {@code fails} accepts fail.
     */
    static BatchRunParams.Builder params(Path dir, int n, int perBatch, IntPredicate fails) {
        BatchRunParams.Builder params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .maxRequestsPerBatch(perBatch)
                .workDir(dir);
        for (int i = 1; i <= n; i++) {
            params.addRequest("q" + i, chat("question " + i, fails.test(i)));
        }
        return params;
    }

    /**
     * What a user reads from an outcome, without the ids the server makes up:
     * {@code q1 SUCCEEDED Sandbox reply to: question 1}, {@code q2 FAILED processing_error},
     * {@code q3 MISSING batch … expired before this request ran}.
     */
    static List<String> view(BatchRunResult run) {
        try (Stream<BatchRunResult.Outcome> outcomes = run.outcomes()) {
            return outcomes.map(RunSupport::view).collect(Collectors.toList());
        }
    }

    static String view(BatchRunResult.Outcome o) {
        switch (o.kind()) {
            case SUCCEEDED:
                return o.customId() + " SUCCEEDED "
                        + o.result()
                                .body()
                                .getAsJsonArray("choices")
                                .get(0)
                                .getAsJsonObject()
                                .getAsJsonObject("message")
                                .get("content")
                                .getAsString();
            case FAILED:
                return o.customId() + " FAILED " + o.result().errorCode();
            default:
                return o.customId() + " MISSING " + o.reason().replace(o.batchId(), "<batch>");
        }
    }

    /** The view of a run of {@code q1..qn} in which the ids in {@code failing} fail. */
    static List<String> expected(int n, Set<Integer> failing) {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            lines.add(
                    failing.contains(i)
                            ? "q" + i + " FAILED processing_error"
                            : "q" + i + " SUCCEEDED Sandbox reply to: question " + i);
        }
        return lines;
    }

    static JsonObject manifest(Path workDir) {
        return JsonParser.parseString(read(workDir.resolve("manifest.json"))).getAsJsonObject();
    }

    static JsonObject part(Path workDir, int number) {
        return manifest(workDir).getAsJsonArray("parts").get(number - 1).getAsJsonObject();
    }

    static void writeManifest(Path workDir, JsonObject manifest) {
        write(workDir.resolve("manifest.json"), manifest.toString());
    }

    static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The input files the server holds for the run: uploads named {@code part-NNNN.jsonl}. */
    static List<FileObject> uploadedParts(Mka1Client client) {
        List<FileObject> parts = new ArrayList<>();
        for (FileObject file : client.llm()
                .files()
                .list(ListFilesParams.builder().purpose(FilePurpose.BATCH).build())
                .autoPager()) {
            if (file.getFilename().matches("part-\\d{4}\\.jsonl")) {
                parts.add(file);
            }
        }
        return parts;
    }

    /** The distinct {@code Idempotency-Key}s of the requests of one operation. */
    static Set<String> keys(Mka1Sandbox sandbox, SandboxOperation operation) {
        Set<String> keys = new LinkedHashSet<>();
        for (SandboxRequest request : sandbox.requests(operation)) {
            keys.add(request.header("Idempotency-Key").orElse("(none)"));
        }
        return keys;
    }

    /** Whether {@link #openHandles} can count (Linux's {@code /proc/self/fd}). */
    static boolean canCountHandles() {
        return Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** How many of this process's file descriptors are open on files in {@code dir}. */
    static long openHandles(Path dir) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).startsWith(real);
                        } catch (IOException | UnsupportedOperationException e) {
                            return false; // closed meanwhile, or not a link
                        }
                    })
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
