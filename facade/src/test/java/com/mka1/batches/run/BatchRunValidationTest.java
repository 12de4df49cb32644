package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.errors.InvalidBatchInputException;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.jsonl.BatchInputLine;
import com.mka1.batches.jsonl.ValidationReport;
import com.mka1.batches.jsonl.ValidationReport.Problem;
import com.mka1.batches.jsonl.ValidationReport.ProblemKind;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.sandbox.Mka1Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run checks every request before it sends anything, and reports every problem at once with its
 * line: the sandbox sees no request, and the work directory keeps no part.
 */
@ExtendWith(SandboxExtension.class)
class BatchRunValidationTest {
    private static final String CHAT = "/v1/chat/completions";

    @TempDir
    Path tmp;

    private Mka1Sandbox sandbox;

    @AfterEach
    void nothingWasSent() throws IOException {
        if (sandbox != null) {
            assertThat(sandbox.requests()).isEmpty();
        }
        Path dir = tmp.resolve("run");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .noneMatch(name -> name.startsWith("part-") || name.equals("manifest.json"));
            }
        }
    }

    @Test
    void everyProblemOfAnInputFileIsReportedWithItsLine(Mka1Sandbox sandbox, Mka1Client client) throws IOException {
        this.sandbox = sandbox;
        String big = "x".repeat(600);
        Path input = tmp.resolve("requests.jsonl");
        Files.write(
                input,
                List.of(
                        line("a", CHAT, "{\"content\":\"ok\"}"), // 1 fine
                        line("a", CHAT, "{\"content\":\"again\"}"), // 2 repeated id
                        "{\"method\":\"POST\",\"url\":\"" + CHAT + "\",\"body\":{}}", // 3 no custom_id
                        "{\"custom_id\":\"d\",\"method\":\"GET\",\"url\":\"" + CHAT + "\",\"body\":{}}", // 4 GET
                        line("e", "/v1/embeddings", "{}"), // 5 other endpoint
                        line("f", CHAT, "[1,2]"), // 6 body not an object
                        "", // 7 blank
                        "{not json", // 8 not JSON
                        line("i", CHAT, "{\"content\":\"" + big + "\"}"), // 9 too large
                        line("j", CHAT, "{\"content\":\"fine\"}"))); // 10 fine

        InvalidBatchInputException e = catchThrowableOfType(
                InvalidBatchInputException.class,
                () -> client.llm()
                        .batches()
                        .run(BatchRunParams.builder()
                                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                                .inputFile(input)
                                .maxBytesPerBatch(500)
                                .workDir(tmp.resolve("run"))
                                .build()));

        assertThat(e.report().problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(
                        tuple(2L, ProblemKind.DUPLICATE_CUSTOM_ID),
                        tuple(3L, ProblemKind.MISSING_CUSTOM_ID),
                        tuple(4L, ProblemKind.INVALID_METHOD),
                        tuple(5L, ProblemKind.URL_MISMATCH),
                        tuple(6L, ProblemKind.INVALID_BODY),
                        tuple(7L, ProblemKind.BLANK_LINE),
                        tuple(8L, ProblemKind.INVALID_JSON),
                        tuple(9L, ProblemKind.TOO_LARGE));
        assertThat(e.report().lineCount()).isEqualTo(10);
        assertThat(e.report().problems().get(0).message()).contains("\"a\"").contains("line 1");
        assertThat(e.report().problems().get(7).message()).contains("maxBytesPerBatch (500)");
        assertThat(e.getMessage())
                .startsWith("The batch input has 8 problems in 10 lines; nothing was uploaded:")
                .contains("line 2: DUPLICATE_CUSTOM_ID")
                .contains("line 6: INVALID_BODY")
                .doesNotContain("line 7:")
                .endsWith("... and 3 more (see report())");
    }

    @Test
    void requestsGivenInCodeAreCheckedByPosition(Mka1Sandbox sandbox, Mka1Client client) {
        this.sandbox = sandbox;
        BatchRunParams params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .requests(List.of(
                        BatchInputLine.of("a", CHAT, chat("1", false)),
                        BatchInputLine.of("b", "/v1/embeddings", Map.of("input", "x")),
                        BatchInputLine.of("a", CHAT, chat("3", false)),
                        BatchInputLine.of("c", CHAT, chat("4", false)),
                        BatchInputLine.of("b", CHAT, chat("5", false)),
                        BatchInputLine.of("a", CHAT, chat("6", false))))
                .workDir(tmp.resolve("run"))
                .build();

        InvalidBatchInputException e = catchThrowableOfType(
                InvalidBatchInputException.class, () -> client.llm().batches().run(params));

        assertThat(e.report().problems())
                .extracting(Problem::lineNumber, Problem::kind, Problem::message)
                .containsExactly(
                        tuple(
                                2L,
                                ProblemKind.URL_MISMATCH,
                                "\"url\" is /v1/embeddings but the run's endpoint is " + CHAT),
                        tuple(3L, ProblemKind.DUPLICATE_CUSTOM_ID, "custom_id \"a\" was already used on line 1"),
                        tuple(5L, ProblemKind.DUPLICATE_CUSTOM_ID, "custom_id \"b\" was already used on line 2"),
                        tuple(6L, ProblemKind.DUPLICATE_CUSTOM_ID, "custom_id \"a\" was already used on line 1"));
        assertThat(e.report().endpoint()).isEqualTo(CHAT);
        assertThat(tmp.resolve("run")).as("the work directory given stays").isDirectory();
    }

    @Test
    void problemsFoundLaterAreReportedInLineOrder(Mka1Sandbox sandbox, Mka1Client client) {
        this.sandbox = sandbox;
        BatchRunParams params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .requests(List.of(
                        BatchInputLine.of("a", CHAT, chat("1", false)),
                        BatchInputLine.of("a", CHAT, chat("2", false)),
                        BatchInputLine.of("b", "/v1/embeddings", Map.of("input", "x"))))
                .workDir(tmp.resolve("run"))
                .build();

        InvalidBatchInputException e = catchThrowableOfType(
                InvalidBatchInputException.class, () -> client.llm().batches().run(params));

        assertThat(e.report().problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(tuple(2L, ProblemKind.DUPLICATE_CUSTOM_ID), tuple(3L, ProblemKind.URL_MISMATCH));
    }

    @Test
    void refusedRequestsWithoutAWorkDirLeaveNoTemporaryDirectory(Mka1Sandbox sandbox, Mka1Client client)
            throws IOException {
        this.sandbox = sandbox;
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = runDirs(temp);

        assertThatThrownBy(() -> client.llm()
                        .batches()
                        .run(BatchRunParams.builder()
                                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                                .requests(List.of(BatchInputLine.of("a", "/v1/embeddings", Map.of("input", "x"))))
                                .build()))
                .isInstanceOf(InvalidBatchInputException.class);

        assertThat(runDirs(temp)).containsExactlyInAnyOrderElementsOf(before);
    }

    private static List<Path> runDirs(Path temp) throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("mka1-batch-run-"))
                    .collect(Collectors.toList());
        }
    }

    @Test
    void aWorkDirThatCannotBeMadeIsALocalFileErrorNamingIt(Mka1Sandbox sandbox, Mka1Client client) throws IOException {
        this.sandbox = sandbox;
        Path file = tmp.resolve("a-file");
        Files.write(file, new byte[] {1});
        Path dir = file.resolve("run");

        assertThatThrownBy(() -> client.llm()
                        .batches()
                        .run(BatchRunParams.builder()
                                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                                .addRequest("a", chat("1", false))
                                .workDir(dir)
                                .build()))
                .isInstanceOfSatisfying(LocalFileException.class, e -> {
                    assertThat(e.operation()).isEqualTo(LocalFileException.Operation.CREATE);
                    assertThat(e.path()).isEqualTo(dir);
                })
                .hasMessageStartingWith("could not create the run's work directory " + dir + ": ");
    }

    @Test
    void addedRequestsWithARepeatedIdAndALineTooLargeForAnyBatch(Mka1Sandbox sandbox, Mka1Client client) {
        this.sandbox = sandbox;
        BatchRunParams params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .addRequest("q1", chat("small", false))
                .addRequest("q2", chat("y".repeat(400), false))
                .addRequest("q1", chat("small again", false))
                .maxBytesPerBatch(300)
                .workDir(tmp.resolve("run"))
                .build();

        InvalidBatchInputException e = catchThrowableOfType(
                InvalidBatchInputException.class, () -> client.llm().batches().run(params));

        // The repeat is found by reading the parts back, whose numbering skips the line too large to write.
        assertThat(e.report().problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(tuple(2L, ProblemKind.TOO_LARGE), tuple(3L, ProblemKind.DUPLICATE_CUSTOM_ID));
        assertThat(e.report().problems().get(1).message()).isEqualTo("custom_id \"q1\" was already used on line 1");
    }

    @Test
    void noRequestsAtAll(Mka1Sandbox sandbox, Mka1Client client) {
        this.sandbox = sandbox;
        InvalidBatchInputException e = catchThrowableOfType(
                InvalidBatchInputException.class,
                () -> client.llm()
                        .batches()
                        .run(BatchRunParams.builder()
                                .endpoint(BatchEndpoint.EMBEDDINGS)
                                .requests(List.of())
                                .workDir(tmp.resolve("run"))
                                .build()));

        assertThat(e.report().problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(tuple(0L, ProblemKind.NO_REQUESTS));
        assertThat(e).hasMessageContaining("file: NO_REQUESTS");
    }

    @Test
    void badParamsAreRefusedByTheBuilderNamingWhatIsWrong() {
        assertThatThrownBy(
                        () -> BatchRunParams.builder().addRequest("a", Map.of()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("endpoint is required but was not set");
        assertThatThrownBy(() -> BatchRunParams.builder()
                        .endpoint(BatchEndpoint.EMBEDDINGS)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("requests are required");
        assertThatThrownBy(() -> BatchRunParams.builder()
                        .endpoint(BatchEndpoint.EMBEDDINGS)
                        .addRequest("a", Map.of())
                        .inputFile(Path.of("x.jsonl"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the requests must come from one source, but addRequest and inputFile were used");
        assertThatThrownBy(() -> BatchRunParams.builder().addRequest(" ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("customId must not be blank");
        assertThatThrownBy(() -> BatchRunParams.builder().addRequest("a", "{\"input\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the body of request 'a' must be a JSON object, was a string");
        assertThatThrownBy(() -> BatchRunParams.builder().addRequest("a", List.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was an array");
        assertThatThrownBy(() -> BatchRunParams.builder().addRequest("a", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("body == null");
        assertThatThrownBy(() -> BatchRunParams.builder().maxRequestsPerBatch(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRequestsPerBatch must be at least 1, was 0");
        assertThatThrownBy(() -> BatchRunParams.builder().maxBytesPerBatch(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBytesPerBatch");
        assertThatThrownBy(() -> BatchRunParams.builder().endpoint(BatchEndpoint.of("v1/responses")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starting with '/'");
        assertThatThrownBy(() -> BatchRunParams.builder().endpoint("v1/embeddings"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starting with '/'");
        assertThatThrownBy(() -> BatchRunParams.builder().addRequest("a", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was a number");
        assertThatThrownBy(() -> BatchRunParams.builder().addRequest("a", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was a boolean");
        assertThatThrownBy(() -> BatchRunParams.builder().addRequest("a", com.google.gson.JsonNull.INSTANCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was null");
        assertThatThrownBy(() -> BatchRunParams.builder().maxBytesPerBatch(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBytesPerBatch must be at least 1, was 0");
        assertThatThrownBy(() -> BatchRunParams.builder().maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be at least 1, was 0");
        assertThat(BatchRunParams.builder()
                        .endpoint("/v1/embeddings")
                        .addRequest("a", Map.of())
                        .maxAttempts(1)
                        .build()
                        .maxAttempts())
                .isEqualTo(1);
        assertThatThrownBy(() -> BatchRunParams.builder().resultCheck(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("resultCheck == null");
        assertThatThrownBy(() -> com.mka1.batches.ResultCheck.Verdict.retry(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> com.mka1.batches.ResultCheck.Verdict.fail(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("reason");
        Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> BatchRunParams.builder().metadata(nullValue))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("metadata value for key 'k' == null");
    }

    @Test
    void paramsKeepWhatWasSetAndShowItWithoutTheRequests() {
        BatchRunParams params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .addRequest("a", chat("1", false))
                .completionWindow("48h")
                .metadata(Map.of("job", "nightly"))
                .maxBytesPerBatch(1)
                .maxRequestsPerBatch(7)
                .workDir(Path.of("runs", "one"))
                .build();
        assertThat(params.completionWindow()).isEqualTo("48h");
        assertThat(params.metadata()).containsExactly(Map.entry("job", "nightly"));
        assertThat(params.maxBytesPerBatch()).isEqualTo(1);
        assertThat(params.toString())
                .startsWith("BatchRunParams{endpoint=" + CHAT + ", requests=1 added, completionWindow=48h,"
                        + " metadata={job=nightly}, maxRequestsPerBatch=7, maxBytesPerBatch=1, workDir="
                        + Path.of("runs", "one")
                        + ", cancelOnAbort=false, maxAttempts=3, waitOptions=")
                .endsWith("}");
        assertThat(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .inputFile(Path.of("in.jsonl"))
                        .build()
                        .toString())
                .contains(", inputFile=in.jsonl, ")
                .contains(", workDir=temporary, ");
        assertThat(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .requests(List.of(BatchInputLine.of("a", CHAT, chat("1", false))))
                        .build()
                        .toString())
                .contains(", requests=iterable, ");
    }

    @Test
    void theExceptionListsTheFirstFiveProblemsAndCountsTheRest() {
        List<Problem> problems = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            problems.add(new Problem(i, ProblemKind.INVALID_JSON, "problem " + i));
        }
        String five =
                new InvalidBatchInputException(new ValidationReport(problems.subList(0, 5), 9, CHAT)).getMessage();
        assertThat(five)
                .startsWith("The batch input has 5 problems in 9 lines; nothing was uploaded:")
                .doesNotContain("more")
                .contains("problem 5");
        String six = new InvalidBatchInputException(new ValidationReport(problems, 9, CHAT)).getMessage();
        assertThat(six).doesNotContain("problem 6").endsWith("\n  ... and 1 more (see report())");
    }

    @Test
    void aMissingInputFileOrNullParamsThrowBeforeAnyRequest(Mka1Sandbox sandbox, Mka1Client client) {
        this.sandbox = sandbox;
        assertThatThrownBy(() -> client.llm()
                        .batches()
                        .run(BatchRunParams.builder()
                                .endpoint(BatchEndpoint.EMBEDDINGS)
                                .inputFile(tmp.resolve("nope.jsonl"))
                                .workDir(tmp.resolve("run"))
                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputFile")
                .hasMessageContaining("nope.jsonl")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> client.llm().batches().run(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("params == null");
        assertThatThrownBy(() -> client.async().llm().batches().run(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("params == null");
        assertThatThrownBy(() -> client.llm().batches().resumeRun(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("workDir == null");
    }

    @Test
    void theAsyncRunReportsTheProblemsThroughItsFuture(Mka1Sandbox sandbox, Mka1Client client) {
        this.sandbox = sandbox;
        var future = client.async()
                .llm()
                .batches()
                .run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.EMBEDDINGS)
                        .addRequest("a", Map.of("input", "x"))
                        .addRequest("a", Map.of("input", "y"))
                        .workDir(tmp.resolve("run"))
                        .build());

        assertThatThrownBy(future::join)
                .hasCauseInstanceOf(InvalidBatchInputException.class)
                .cause()
                .hasMessageContaining("line 2: DUPLICATE_CUSTOM_ID");
    }

    private static String line(String customId, String url, String body) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"" + url + "\",\"body\":" + body + "}";
    }
}
