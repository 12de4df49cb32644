package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable entry point, started in-process. */
class SandboxMainTest {
    @Test
    void startsPrintsHowToReachItAndServes(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, Fixtures.chatFile(2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (Mka1Sandbox sandbox = SandboxMain.launch(
                new String[] {"--port", "0", "--api-key", "sk-cli", "--input-file", input.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("listening on " + sandbox.baseUrl()).contains("API key: sk-cli");
            assertThat(sandbox.apiKeys()).containsExactly("sk-cli");

            Matcher sample = Pattern.compile("Sample input file.*: (file_\\w+)").matcher(printed);
            assertThat(sample.find()).isTrue();
            Matcher registered =
                    Pattern.compile("Input file .*in.jsonl: (file_\\w+)").matcher(printed);
            assertThat(registered.find()).isTrue();
            assertThat(sandbox.fileContent(registered.group(1))).hasValue(Fixtures.chatFile(2));

            TestApi api = new TestApi(sandbox);
            BatchObject batch = api.createBatch(sample.group(1), TestApi.CHAT);
            assertThat(batch.getRequestCounts().getTotal()).isEqualTo(3);
        }
    }

    @Test
    void helpPrintsUsageAndStartsNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(SandboxMain.launch(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--port");
    }

    @Test
    void helpListsEveryOptionWithItsDefaultAndExitsZero() throws Exception {
        for (String flag : new String[] {"--help", "-h"}) {
            Streams streams = new Streams();

            int exitCode = SandboxMain.run(new String[] {flag}, streams.out, streams.err, sandbox -> {
                throw new AssertionError("--help started a sandbox");
            });

            assertThat(exitCode).isZero();
            assertThat(streams.err()).isEmpty();
            // A description may wrap onto lines indented under it: one line per option here.
            List<String> lines =
                    List.of(streams.out().replaceAll("\\R {20,}", " ").split("\\R"));
            assertThat(lines.get(0)).isEqualTo(SandboxMain.usage());
            assertThat(lines)
                    .anyMatch(line -> line.matches("\\s+--port N\\s.*\\(default: 8080\\)"))
                    .anyMatch(line -> line.matches("\\s+--bind-address ADDRESS\\s.*\\(default: 127\\.0\\.0\\.1\\)"))
                    .anyMatch(line -> line.matches("\\s+--api-key KEY\\s.*\\(repeatable; default: sk-sandbox-test\\)"))
                    .anyMatch(line -> line.matches("\\s+--step-millis N\\s.*\\(default: 2000\\)"))
                    .anyMatch(line -> line.matches("\\s+--input-file PATH\\s.*\\(repeatable; default: none\\)"))
                    .anyMatch(line -> line.matches("\\s+--state-dir DIR\\s.*\\(default: none: .*\\)"))
                    .anyMatch(line -> line.matches("\\s+-h, --help\\s.*\\(default: off\\)"));
        }
    }

    /**
     * The flags --help lists, the flags the parser accepts and the flags sandbox/README.md
     * documents are the same: a flag added to one and not the others fails here.
     */
    @Test
    void helpTheParserAndTheReadmeKnowTheSameFlags() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SandboxMain.launch(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8));
        Set<String> listed = new TreeSet<>();
        Matcher option =
                Pattern.compile("(?m)^\\s+(?:-\\w, )?(--[a-z][a-z-]*)").matcher(out.toString(StandardCharsets.UTF_8));
        while (option.find()) {
            listed.add(option.group(1));
        }
        assertThat(listed).hasSize(SandboxMain.OPTIONS.size());

        for (String flag : listed) {
            // Accepted: a flag without a value parses; one with a value asks for it, by name.
            assertThatCode(() -> {
                        try {
                            SandboxMain.parse(new String[] {flag});
                        } catch (IllegalArgumentException e) {
                            assertThat(e).hasMessage(flag + " needs a value");
                        }
                    })
                    .as(flag)
                    .doesNotThrowAnyException();
        }
        for (String unlisted : new String[] {"--ports", "--bind", "--state", "--verbose", "-p"}) {
            assertThatThrownBy(() -> SandboxMain.parse(new String[] {unlisted}))
                    .hasMessage("unknown option " + unlisted);
        }

        String readme = Files.readString(Path.of("README.md"));
        String runnableJar = readme.substring(readme.indexOf("## Runnable jar"));
        runnableJar = runnableJar.substring(0, runnableJar.indexOf("\n## ", 1));
        Set<String> documented = new TreeSet<>();
        Matcher flag = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*").matcher(runnableJar);
        while (flag.find()) {
            documented.add(flag.group());
        }
        assertThat(documented).as("flags in sandbox/README.md, Runnable jar").isEqualTo(listed);
    }

    @Test
    void aStandaloneSandboxStartedAgainOnItsStateDirCarriesOn(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        String[] args = {"--port", "0", "--state-dir", state.toString()};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String sample;
        String batchId;
        byte[] uploaded = Fixtures.chatFile(2).getBytes(StandardCharsets.UTF_8);
        String uploadedId;
        try (Mka1Sandbox first = SandboxMain.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("State kept in " + state);
            Matcher printed =
                    Pattern.compile("Sample input file.*: (file_\\w+)").matcher(out.toString(StandardCharsets.UTF_8));
            assertThat(printed.find()).isTrue();
            sample = printed.group(1);
            TestApi api = new TestApi(first);
            uploadedId = api.uploadFile("in.jsonl", "batch", uploaded).getId();
            batchId = api.createBatch(uploadedId, TestApi.CHAT).getId();
        }

        try (Mka1Sandbox second =
                SandboxMain.launch(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            TestApi api = new TestApi(second);
            assertThat(api.content(uploadedId).bytes).isEqualTo(uploaded);
            assertThat(api.getBatch(batchId).getRequestCounts().getTotal()).isEqualTo(2);
            assertThat(api.getFile(sample).status).isEqualTo(200);
        }
    }

    @Test
    void anUnusableStateDirIsOneLineNamingItAndExitOne(@TempDir Path dir) throws Exception {
        Path corrupt = Files.writeString(dir.resolve("state.json"), "not json");
        Streams streams = new Streams();

        int exitCode = SandboxMain.run(
                new String[] {"--port", "0", "--state-dir", dir.toString()}, streams.out, streams.err, sandbox -> {
                    throw new AssertionError("started on a corrupt state");
                });

        assertThat(exitCode).isEqualTo(1);
        assertThat(streams.err().split("\\R"))
                .singleElement(as(InstanceOfAssertFactories.STRING))
                .startsWith("mka1-sandbox: the sandbox state " + corrupt + " cannot be used: it is not valid JSON");
        assertThat(streams.out()).isEmpty();
    }

    @Test
    void aSandboxBoundToEveryAddressSaysSoAndPrintsALoopbackUrl() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Mka1Sandbox sandbox = SandboxMain.launch(
                new String[] {"--port", "0", "--bind-address", "0.0.0.0"},
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port());
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("listening on " + sandbox.baseUrl() + " (bound to 0.0.0.0)");
            assertThat(new TestApi(sandbox).list("").status).isEqualTo(200);
        }
    }

    @Test
    void badOptionsAreRejected() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SandboxMain.launch(new String[] {"--bogus"}, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> SandboxMain.launch(new String[] {"--port"}, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxMain.launch(new String[] {"--port", "x"}, out))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBusyPortIsOneLineAndExitOne() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            int port = busy.getLocalPort();
            Streams streams = new Streams();

            int exitCode = SandboxMain.run(
                    new String[] {"--port", String.valueOf(port)}, streams.out, streams.err, sandbox -> {
                        throw new AssertionError("started on a busy port");
                    });

            assertThat(exitCode).isEqualTo(1);
            assertThat(streams.err())
                    .isEqualTo("mka1-sandbox: port " + port + " is already in use; choose another with --port"
                            + System.lineSeparator());
            assertThat(streams.out()).isEmpty();
        }
    }

    @Test
    void anAddressNotOfThisMachineIsOneLineNamingItAndExitOne() throws Exception {
        // TEST-NET-1 (RFC 5737): an address no test machine has.
        Streams streams = new Streams();

        int exitCode = SandboxMain.run(
                new String[] {"--port", "0", "--bind-address", "192.0.2.123"}, streams.out, streams.err, sandbox -> {
                    throw new AssertionError("started on an address of another machine");
                });

        assertThat(exitCode).isEqualTo(1);
        assertThat(streams.err().split("\\R"))
                .singleElement(as(InstanceOfAssertFactories.STRING))
                .startsWith("mka1-sandbox: cannot listen on 192.0.2.123 port 0")
                .endsWith("; choose another with --port or --bind-address");
    }

    @Test
    void badOptionsAreOneLineNamingTheOptionThenUsageAndExitTwo() throws Exception {
        String[][] cases = {
            {"--port", "70000"},
            {"--step-millis", "0"},
            {"--api-key", " "},
            {"--bind-address", " "},
            {"--bind-address", "no-such-host.invalid"},
            {"--input-file", "no-such.jsonl"},
            {"--bogus"},
        };
        String[] messages = {
            "--port must be between 0 and 65535, was 70000",
            "--step-millis must be positive, was 0",
            "--api-key must not be blank",
            "--bind-address must not be blank",
            "--bind-address no-such-host.invalid is neither an IP address nor a known host name",
            "--input-file no-such.jsonl is not a readable file",
            "unknown option --bogus",
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = cases[i];
            Streams streams = new Streams();

            int exitCode = SandboxMain.run(args, streams.out, streams.err, sandbox -> {
                throw new AssertionError("started despite " + String.join(" ", args));
            });

            assertThat(exitCode).isEqualTo(2);
            assertThat(streams.err().split("\\R")).containsExactly("mka1-sandbox: " + messages[i], SandboxMain.usage());
        }
    }

    @Test
    void misbehaviourFlagsReachTheSandbox() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Mka1Sandbox sandbox = SandboxMain.launch(
                new String[] {
                    "--port",
                    "0",
                    "--expire-after-lines",
                    "2",
                    "--expiring-batches",
                    "1",
                    "--queue-capacity",
                    "3",
                    "--ignore-idempotency-keys",
                    "--drop-answer",
                    "create:4",
                    "--drop-answer",
                    "CREATE:2",
                    "--drop-answer",
                    "upload-file:1"
                },
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            TestApi api = new TestApi(sandbox);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed)
                    .contains("Misbehaving: batches of more than 2 requests expire after 2.")
                    .contains("Misbehaving: only the first 1 such batches expire part-way.")
                    .contains("Misbehaving: a queue capacity of 3 requests per API key.")
                    .contains("Misbehaving: Idempotency-Key ignored.")
                    .contains("Misbehaving: the answer to create:4 dropped after acting on it.");
            Matcher sample = Pattern.compile("Sample input file.*: (file_\\w+)").matcher(printed);
            assertThat(sample.find()).isTrue();
            String body = TestApi.createBody(sample.group(1), TestApi.CHAT);

            // Upload 1 and creates 2 and 4 are acted on but unanswered; the same key never replays.
            assertThatThrownBy(() -> api.uploadFile("in.jsonl", "batch", new byte[] {'x'}))
                    .isInstanceOf(UncheckedIOException.class);
            assertThat(api.create(body, "Idempotency-Key", "k").status).isEqualTo(200);
            assertThatThrownBy(() -> api.create(body, "Idempotency-Key", "k")).isInstanceOf(UncheckedIOException.class);
            assertThat(api.create(body, "Idempotency-Key", "k").status).isEqualTo(200);
            assertThatThrownBy(() -> api.create(body, "Idempotency-Key", "k")).isInstanceOf(UncheckedIOException.class);
            sandbox.clock().advance(Duration.ofMinutes(1));

            SandboxLedger ledger = sandbox.ledger();
            // The first (3 requests, the queue's whole capacity) expires after 2; the rest find the
            // queue full when they are created.
            assertThat(ledger.batches())
                    .extracting(SandboxLedger.Batch::status)
                    .containsExactly(BatchStatus.EXPIRED, BatchStatus.FAILED, BatchStatus.FAILED, BatchStatus.FAILED);
            assertThat(ledger.batches().get(0).completed()).isEqualTo(2);
            assertThat(ledger.batches().get(1).errorCodes()).containsExactly("token_limit_exceeded");
            assertThat(api.listAllFiles(10, ""))
                    .extracting(f -> f.getFilename())
                    .contains("in.jsonl");
        }
    }

    @Test
    void misbehaviourFlagsAreCheckedLikeTheOthers() throws Exception {
        String[][] cases = {
            {"--expire-after-lines", "-1"},
            {"--expiring-batches", "0"},
            {"--expiring-batches", "1"},
            {"--queue-capacity", "0"},
            {"--queue-capacity", "many"},
            {"--drop-answer", "create"},
            {"--drop-answer", "bogus:1"},
            {"--drop-answer", "create:0"},
            {"--refuse-when-queue-full"},
        };
        String[] messages = {
            "--expire-after-lines must be at least 0, was -1",
            "--expiring-batches must be at least 1, was 0",
            "--expiring-batches needs --expire-after-lines",
            "--queue-capacity must be at least 1, was 0",
            "--queue-capacity needs an integer, got many",
            "--drop-answer needs OPERATION:N (e.g. create:1), got create",
            "--drop-answer: unknown operation bogus; one of [create, list, get, cancel, upload_file, list_files,"
                    + " get_file, get_file_content, delete_file]",
            "--drop-answer N must be at least 1, was 0",
            "--refuse-when-queue-full needs --queue-capacity",
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = cases[i];
            Streams streams = new Streams();

            int exitCode = SandboxMain.run(args, streams.out, streams.err, sandbox -> {
                throw new AssertionError("started despite " + String.join(" ", args));
            });

            assertThat(exitCode).isEqualTo(2);
            assertThat(streams.err().split("\\R")).containsExactly("mka1-sandbox: " + messages[i], SandboxMain.usage());
        }
        assertThat(SandboxMain.usage())
                .contains("[--expire-after-lines N] [--expiring-batches N] [--queue-capacity N]"
                        + " [--refuse-when-queue-full] [--ignore-idempotency-keys] [--drop-answer OPERATION:N]...");
    }

    @Test
    void refuseWhenQueueFullFlagAnswers429() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Mka1Sandbox sandbox = SandboxMain.launch(
                new String[] {"--port", "0", "--queue-capacity", "3", "--refuse-when-queue-full"},
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("Misbehaving: a create finding its queue full is answered 429.");
            Matcher sample = Pattern.compile("Sample input file.*: (file_\\w+)").matcher(printed);
            assertThat(sample.find()).isTrue();
            TestApi api = new TestApi(sandbox);

            assertThat(api.create(TestApi.createBody(sample.group(1), TestApi.CHAT)).status)
                    .isEqualTo(200);
            assertThat(api.create(TestApi.createBody(sample.group(1), TestApi.CHAT)).status)
                    .isEqualTo(429);
        }
    }

    @Test
    void runServesTheStartedSandboxAndExitsZero() throws Exception {
        Streams streams = new Streams();
        List<String> served = new ArrayList<>();

        int exitCode = SandboxMain.run(new String[] {"--port", "0"}, streams.out, streams.err, sandbox -> {
            try (sandbox) {
                served.add(sandbox.baseUrl());
            }
        });

        assertThat(exitCode).isZero();
        assertThat(served).hasSize(1);
        assertThat(streams.out()).contains("listening on " + served.get(0));
        assertThat(streams.err()).isEmpty();
    }

    /** stdout and stderr of one run. */
    private static final class Streams {
        private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        String out() {
            return outBytes.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void filesGoThroughTheApiOverHttpAndTheBackDoorIsGone() throws Exception {
        try (Mka1Sandbox sandbox = SandboxMain.launch(
                new String[] {"--port", "0"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            TestApi api = new TestApi(sandbox);
            byte[] jsonl = Fixtures.chatFile(1).getBytes(StandardCharsets.UTF_8);
            String fileId = api.uploadFile("in.jsonl", "batch", jsonl).getId();
            assertThat(api.content(fileId).bytes).isEqualTo(jsonl);
            // The old sandbox-only endpoints: now just unknown URLs behind auth.
            assertThat(api.send("POST", "/sandbox/files", Fixtures.chatFile(1)).status)
                    .isEqualTo(404);
            assertThat(api.send("GET", "/sandbox/files/" + fileId + "/content", null).status)
                    .isEqualTo(404);
            assertThat(api.withKey(null).send("POST", "/sandbox/files", Fixtures.chatFile(1)).status)
                    .isEqualTo(401);
        }
    }
}
