package com.mka1.batches.cli;

import com.mka1.batches.Mka1Client;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the API (or the embedded sandbox) through one session: a subcommand of
 * the tool ({@code get}) or of a group ({@code files get}).
 */
abstract class BatchCommand implements Callable<Integer> {
    /** The tool, which holds the options every command inherits; set when the command is called. */
    Mka1BatchesCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        // The root, not @ParentCommand: under a group such as 'files' the parent is the group.
        cli = (Mka1BatchesCli) spec.root().userObject();
        validate();
        try (Session session = cli.openSession(err(), usesSandbox(), this::configureClient)) {
            return run(session);
        }
    }

    /** Whether this command always runs against an embedded sandbox, whatever {@code --sandbox} says. */
    boolean usesSandbox() {
        return cli.sandbox;
    }

    /**
     * Checks the command's own options and parameters before anything starts, so that a mistake
     * is reported in the tool's terms ({@link ArgumentChecks}), not the client's; none by default.
     */
    void validate() {}

    /** Adjusts the session's client before it is built; nothing by default. */
    void configureClient(Mka1Client.Builder builder) {}

    /** Does the work; returns the exit code. */
    abstract int run(Session session);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A path the user gave, relative to the tool's working directory. */
    Path resolve(Path path) {
        return cli.context().resolve(path);
    }

    /** Progress on stderr: a bar on a terminal, plain lines elsewhere. */
    ProgressDisplay progress() {
        return new ProgressDisplay(err(), "requests", cli.context().terminal);
    }

    BatchPrinter printer() {
        return cli.printer(out());
    }

    FilePrinter filePrinter() {
        return new FilePrinter(out(), cli.output);
    }
}
