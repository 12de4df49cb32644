package com.mka1.batches.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A subcommand that talks to the API (or the embedded sandbox) through one session. */
abstract class BatchCommand implements Callable<Integer> {
    @ParentCommand
    Mka1BatchesCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        validate();
        try (Session session = cli.openSession(err(), usesSandbox())) {
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
    void validate() {
    }

    /** Does the work; returns the exit code. */
    abstract int run(Session session);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Progress on stderr: a bar on a terminal, plain lines elsewhere. */
    ProgressDisplay progress() {
        return new ProgressDisplay(err(), "requests", cli.context().terminal);
    }

    BatchPrinter printer() {
        return cli.printer(out());
    }
}
