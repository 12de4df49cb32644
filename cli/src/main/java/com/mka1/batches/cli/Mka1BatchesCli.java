package com.mka1.batches.cli;

import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.errors.WaitTimeoutException;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.sandbox.Mka1Sandbox;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code mka1-batches}, the command-line tool over the MKA1 Batches client: run a JSONL input as one
 * job, create, list, get, cancel and wait for batches, read their results, upload, list, download and delete files,
 * against the MKA1 API or an embedded sandbox, and a guided demo.
 *
 * <pre>{@code
 * export MKA1_API_KEY=...
 * java -jar cli/target/mka1-batches-cli.jar list --all --output json
 * java -jar cli/target/mka1-batches-cli.jar demo        # no key needed
 * }</pre>
 *
 * <p>Defaults: credentials from {@code MKA1_API_KEY} and {@code MKA1_BASE_URL} (base URL {@value
 * Mka1Client#DEFAULT_BASE_URL}), the end user to act for from {@code MKA1_ON_BEHALF_OF} (none if
 * unset), table output, no stack traces. Exit codes are listed by {@code --help} and in {@code
 * cli/README.md}; {@code generate-completion} prints the bash/zsh completion script the build also
 * writes to {@code cli/target/mka1-batches_completion}.
 */
@Command(
        name = "mka1-batches",
        mixinStandardHelpOptions = true,
        versionProvider = Mka1BatchesCli.Version.class,
        usageHelpAutoWidth = true,
        description = {
            "Run a JSONL input as one job, create, list, inspect, cancel and wait for MKA1 LLM batches, read their"
                    + " results, and manage the files they read and write.",
            "Credentials come from MKA1_API_KEY and MKA1_BASE_URL, or --api-key and --base-url;"
                    + " --sandbox runs against an embedded sandbox instead (no key needed).",
            "--on-behalf-of or MKA1_ON_BEHALF_OF names the end user every request acts for (X-On-Behalf-Of).",
        },
        subcommands = {
            CreateCommand.class,
            ListCommand.class,
            GetCommand.class,
            CancelCommand.class,
            WaitCommand.class,
            ResultsCommand.class,
            RunCommand.class,
            FilesCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class,
            AutoComplete.GenerateCompletion.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the API rejected the request (4xx other than 401, 403, 429), or an unexpected error",
            "2:usage error: bad option or argument, no API key",
            "3:network failure or timeout: the API could not be reached",
            "4:the API failed (5xx or an unreadable response)",
            "5:wait: the batch ended failed, expired or cancelled; results, run: a request failed or has no result",
            "6:wait, run: --timeout ran out before the batch ended (run --resume goes on)",
            "7:a local file could not be created, read, written, moved or locked (disk full, permission)",
            "8:not authorized: the API key was refused (401) or may not do this (403)",
            "9:rate limited: the API still answered 429 after the client's retries; try again later",
        })
public final class Mka1BatchesCli {
    static final String NAME = "mka1-batches";

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            scope = ScopeType.INHERIT,
            description = "API key (default: $MKA1_API_KEY). Prefer the variable: flags show up in process lists.")
    String apiKey;

    @Option(
            names = "--base-url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            description = "API base URL (default: $MKA1_BASE_URL, else " + Mka1Client.DEFAULT_BASE_URL + ").")
    String baseUrl;

    @Option(
            names = "--on-behalf-of",
            paramLabel = "USER",
            scope = ScopeType.INHERIT,
            description = "The end user every request acts for, sent as X-On-Behalf-Of (default: $MKA1_ON_BEHALF_OF,"
                    + " else none: the key's own account).")
    String onBehalfOf;

    @Option(
            names = ArgumentChecks.ALLOW_INSECURE_HTTP,
            scope = ScopeType.INHERIT,
            description = "Accept a plain http base URL to a host other than this machine. The API key then"
                    + " crosses the network unencrypted: only for a trusted network, such as a sandbox in a container.")
    boolean allowInsecureHttp;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            scope = ScopeType.INHERIT,
            description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(
            names = "--sandbox",
            scope = ScopeType.INHERIT,
            description = "Run the command against an embedded sandbox started in this process.")
    boolean sandbox;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    private final CliContext context;

    Mka1BatchesCli(CliContext context) {
        this.context = context;
    }

    /**
     * Runs the tool and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine(CliContext.system()).execute(args));
    }

    /** The configured picocli command line; tests call {@code execute} on it. */
    static CommandLine commandLine(CliContext context) {
        Mka1BatchesCli cli = new Mka1BatchesCli(context);
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(cli::handleExecutionException);
        commandLine.setParameterExceptionHandler(Mka1BatchesCli::handleParameterException);
        return commandLine;
    }

    CliContext context() {
        return context;
    }

    /**
     * Opens a client for a command: a new embedded sandbox if {@code useSandbox}, else the API.
     *
     * @param configure the command's own settings, applied to the client's builder last
     */
    Session openSession(PrintWriter err, boolean useSandbox, Consumer<Mka1Client.Builder> configure) {
        String user =
                onBehalfOf != null ? ArgumentChecks.onBehalfOf(onBehalfOf, "--on-behalf-of") : onBehalfOfFromEnv();
        Mka1Sandbox embedded = null;
        String key;
        String url;
        String urlSource = null;
        if (useSandbox) {
            embedded = context.sandboxes.get();
            key = embedded.apiKey();
            url = embedded.baseUrl();
            err.println("Using an embedded sandbox at " + url + " (it stops when the command ends).");
            err.flush();
        } else {
            boolean keyFlag = apiKey != null && !apiKey.trim().isEmpty();
            key = keyFlag ? apiKey.trim() : context.env("MKA1_API_KEY");
            if (key == null) {
                throw new CliUsageException(
                        "no API key: set MKA1_API_KEY or pass --api-key (or add --sandbox to try the tool without one)");
            }
            ArgumentChecks.apiKey(key, keyFlag ? "--api-key" : "MKA1_API_KEY");
            url = baseUrl != null ? baseUrl : context.env("MKA1_BASE_URL");
            if (url != null) {
                urlSource = baseUrl != null ? "--base-url" : "MKA1_BASE_URL";
                ArgumentChecks.baseUrl(url, urlSource, allowInsecureHttp);
            }
        }
        try {
            Mka1Client.Builder builder = Mka1Client.builder()
                    .apiKey(key)
                    .allowInsecureHttp(allowInsecureHttp)
                    .sleeper(context.sleeper)
                    .clock(context.clock);
            if (url != null) {
                builder.baseUrl(url);
            }
            if (user != null) {
                builder.requestOptions(RequestOptions.builder().onBehalfOf(user).build());
            }
            configure.accept(builder);
            return new Session(builder.build(), embedded);
        } catch (IllegalArgumentException e) {
            if (embedded != null) {
                embedded.close();
            }
            if (urlSource == null) {
                throw e;
            }
            // build() rejects only base URLs; ArgumentChecks saw nothing wrong, the client's stricter parser did.
            throw new CliUsageException(urlSource + " is not a valid URL: '" + url + "'", e);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** {@code MKA1_ON_BEHALF_OF}, checked; null when unset or blank. */
    private String onBehalfOfFromEnv() {
        String user = context.env("MKA1_ON_BEHALF_OF");
        return user == null ? null : ArgumentChecks.onBehalfOf(user, "MKA1_ON_BEHALF_OF");
    }

    BatchPrinter printer(PrintWriter out) {
        return new BatchPrinter(out, output);
    }

    private int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        return reportFailure(e, commandLine.getErr());
    }

    /** Prints what went wrong as one line (and the stack trace with {@code --verbose}); returns its exit code. */
    int reportFailure(Exception e, PrintWriter err) {
        err.println(NAME + ": " + describe(e));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.of(e);
    }

    /** One line saying what went wrong, {@linkplain TerminalText#printable printable}; never the API key (the client keeps it out of messages). */
    static String describe(Throwable e) {
        return TerminalText.printable(message(e));
    }

    private static String message(Throwable e) {
        if (e instanceof WaitTimeoutException) {
            return timedOut((WaitTimeoutException) e);
        }
        String message = e.getMessage();
        if (message == null || message.trim().isEmpty()) {
            message = e.getClass().getSimpleName();
        }
        message = message.replaceAll("\\s*\\R\\s*", " ");
        if (e instanceof CliUsageException || e instanceof IllegalArgumentException) {
            return message;
        }
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage().replaceAll("\\s*\\R\\s*", " ") + ")";
        }
        return message;
    }

    /** The client's message, with the wait's length as {@code --timeout} takes it ({@code 3s}, not {@code PT3S}). */
    private static String timedOut(WaitTimeoutException e) {
        BatchObject batch = e.lastBatch();
        String counts = BatchPrinter.counts(batch.getRequestCounts());
        return "Batch " + batch.getId() + " is still " + batch.getStatus().getValue()
                + (counts.isEmpty() ? "" : " (" + counts + ")") + " after waiting "
                + DurationConverter.format(e.timeout());
    }

    private static int handleParameterException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(NAME + ": " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** {@code --version}: the client library's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {NAME + " " + Mka1Client.VERSION};
        }
    }
}
