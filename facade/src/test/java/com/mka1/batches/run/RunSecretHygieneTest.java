package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.expected;
import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxFault;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The API key of a batch run is in no file of its work directory and in no log line: a run under
 * injected faults (a 503 that ends it, then, resumed, a 500, a 429, a connection reset, a lost
 * answer to a create and a download cut mid-body, each retried or resumed), with every logger at
 * TRACE (SLF4J through Logback, and java.util.logging, where OkHttp logs), then every byte of every
 * file under the work directory and every captured line (message, logger, stack trace) searched
 * for the key and for {@code Bearer}. ({@link BatchRunTest#theManifestRecordsTheKeysSentAndNeverTheApiKey}
 * checks what the manifest does hold; {@code SecretHygieneTest} in the facade, the key in
 * exceptions and toString().)
 */
class RunSecretHygieneTest {
    /** Distinctive, so that a hit is this key and nothing else. */
    private static final String KEY = "sk-live-RunSecretHygieneTest-q7Vx2Lp9Zr4Kd8Ny";

    @RegisterExtension
    static final SandboxExtension SANDBOX = new SandboxExtension(sandbox -> sandbox.apiKeys(KEY));

    @TempDir
    Path tmp;

    @Test
    void noFileOfTheWorkDirAndNoLogLineHoldsTheKey(Mka1Sandbox sandbox, Mka1Client client) throws IOException {
        Path dir = tmp.resolve("run");
        BatchRunParams.Builder params =
                RunSupport.params(dir, 5, 2, i -> i == 4).putMetadata("job", "secrets");
        List<String> texts = new ArrayList<>();
        BatchRunResult run;
        try (Logs logs = new Logs()) {
            sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.CREATE));
            Throwable died;
            try (Mka1Client noRetries = SandboxExtension.clientBuilder(sandbox)
                    .requestOptions(RequestOptions.builder().maxRetries(0).build())
                    .build()) {
                died = catchThrowable(() -> noRetries
                        .llm()
                        .batches()
                        .run(params.waitOptions(WaitOptions.builder()
                                        .outageBudget(Duration.ZERO)
                                        .build())
                                .build()));
            }
            assertThat(died).isInstanceOf(ApiException.class);
            texts.add(stackTrace(died));

            sandbox.injectFault(FaultSpec.status(500).on(SandboxOperation.UPLOAD_FILE));
            sandbox.injectFault(
                    FaultSpec.status(502).on(SandboxOperation.CREATE).afterProcessing());
            sandbox.injectFault(FaultSpec.status(429).retryAfterSeconds(1).on(SandboxOperation.GET));
            sandbox.injectFault(FaultSpec.fault(SandboxFault.CONNECTION_RESET).on(SandboxOperation.GET));
            sandbox.injectFault(FaultSpec.cutBodyAfter(100).on(SandboxOperation.GET_FILE_CONTENT));
            run = client.llm().batches().resumeRun(dir);
            texts.addAll(logs.lines());
        }
        texts.add(run.toString());

        assertThat(view(run)).containsExactlyElementsOf(expected(5, Set.of(4)));
        assertThat(sandbox.pendingFaults()).as("every fault was served").isZero();
        assertThat(sandbox.requests().get(0).header("Authorization"))
                .as("the key the client sent")
                .hasValue("Bearer " + KEY);
        // The lines were captured, among them the retries and the resumed download.
        assertThat(texts)
                .anyMatch(line -> line.contains("-> 503 (attempt 1"))
                .anyMatch(line -> line.contains("-> 500 (attempt 1"))
                .anyMatch(line -> line.contains("-> 429 (attempt 1"))
                .anyMatch(line -> line.contains("-> I/O failure (attempt"))
                .anyMatch(line -> line.contains("/content -> 206 (attempt 2"));
        assertThat(texts).noneMatch(text -> text.contains(KEY)).noneMatch(text -> text.contains("Bearer"));

        Map<Path, byte[]> files = filesUnder(dir);
        assertThat(files.keySet())
                .extracting(path -> dir.relativize(path).toString())
                .contains("manifest.json", "results.jsonl", "part-0001.jsonl", "part-0003.output.jsonl");
        files.forEach((path, bytes) -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertThat(text)
                    .as("%s", path)
                    .doesNotContain(KEY)
                    .doesNotContainIgnoringCase("bearer")
                    .doesNotContainIgnoringCase("authorization");
            assertThat(path.toString()).doesNotContain(KEY);
        });
    }

    /** Every regular file under {@code dir}, read whole. */
    private static Map<Path, byte[]> filesUnder(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            Map<Path, byte[]> files = new TreeMap<>();
            for (Path path : paths.filter(Files::isRegularFile).collect(Collectors.toList())) {
                files.put(path, Files.readAllBytes(path));
            }
            return files;
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    /**
     * Every log line of every logger at every level while open: Logback's root logger at TRACE
     * with a list appender, and the library's logger too (this module's logback-test.xml detaches
     * it from the root), and java.util.logging's root logger at ALL with a handler of its own
     * (OkHttp logs there). Levels and handlers are put back on close.
     */
    private static final class Logs implements AutoCloseable {
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final Level rootLevel = root.getLevel();
        private final Logger library = (Logger) LoggerFactory.getLogger("com.mka1.batches");
        private final Level libraryLevel = library.getLevel();
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
        private final java.util.logging.Level julLevel = julRoot.getLevel();
        private final List<String> julLines = new CopyOnWriteArrayList<>();
        private final Handler julHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                julLines.add(record.getLoggerName() + " " + record.getLevel() + " " + record.getMessage() + " "
                        + (record.getParameters() == null ? "" : List.of(record.getParameters()))
                        + (record.getThrown() == null ? "" : " " + stackTrace(record.getThrown())));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };

        Logs() {
            appender.start();
            root.addAppender(appender);
            root.setLevel(Level.TRACE);
            library.addAppender(appender);
            library.setLevel(Level.TRACE);
            julHandler.setLevel(java.util.logging.Level.ALL);
            julRoot.addHandler(julHandler);
            julRoot.setLevel(java.util.logging.Level.ALL);
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (ILoggingEvent event : appender.list) {
                lines.add(event.getLoggerName() + " " + event.getLevel() + " " + event.getFormattedMessage()
                        + (event.getThrowableProxy() == null
                                ? ""
                                : " " + ThrowableProxyUtil.asString(event.getThrowableProxy()))
                        + (event.getMDCPropertyMap().isEmpty() ? "" : " " + event.getMDCPropertyMap()));
            }
            lines.addAll(julLines);
            return lines;
        }

        @Override
        public void close() {
            root.detachAppender(appender);
            root.setLevel(rootLevel);
            library.detachAppender(appender);
            library.setLevel(libraryLevel);
            julRoot.removeHandler(julHandler);
            julRoot.setLevel(julLevel);
        }
    }
}
