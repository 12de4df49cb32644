package com.mka1.batches.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.mka1.batches.BatchResults;
import com.mka1.batches.BatchStatuses;
import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.RequestCounts;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code results}: streams an ended batch's results (output file, then error file) as one JSON
 * line per request; exit 5 when any request failed or has no result.
 */
@Command(
        name = "results",
        mixinStandardHelpOptions = true,
        description = {
            "Write the results of an ended batch, one JSON line per request: its output file, then its error file.",
            "Each line: {\"custom_id\", \"outcome\": \"succeeded\" or \"failed\", \"response\": {\"status_code\","
                    + " \"body\"} and/or \"error\": {\"code\", \"message\"}}. --output does not change this format.",
            "The lines go to --out or stdout, the counts to stderr. Exits 0 if every request succeeded, 5 if any"
                    + " failed or has no result (a batch that ended failed, expired or cancelled), 2 if the batch"
                    + " has not ended yet.",
        })
final class ResultsCommand extends BatchCommand {
    private static final Gson LINE = new GsonBuilder().disableHtmlEscaping().create();

    @Parameters(paramLabel = "BATCH_ID", description = "The batch id (batch_...).")
    String batchId;

    @Option(
            names = "--out",
            paramLabel = "PATH",
            description = "Write the lines to this file (complete or not at all) instead of stdout.")
    Path out;

    @Option(names = "--force", description = "Replace an existing --out file.")
    boolean force;

    private Path target;

    @Override
    void validate() {
        ArgumentChecks.batchId(batchId, "BATCH_ID");
        if (out != null) {
            target = LocalFiles.writable(out.toString(), resolve(out), force, "--out");
        }
    }

    @Override
    int run(Session session) {
        BatchObject batch = session.batches().get(batchId);
        if (!BatchStatuses.isTerminal(batch.getStatus())) {
            throw new CliUsageException(
                    "batch " + batchId + " is " + batch.getStatus().getValue()
                            + ": it has results once it has ended; wait for it with '" + Mka1BatchesCli.NAME + " wait "
                            + batchId + "'");
        }
        Tally tally;
        try (BatchResults results = session.batches().results(batchId)) {
            tally = target == null ? writeStdout(results) : writeFile(results);
        }
        report(batch, tally);
        boolean everyRequestSucceeded =
                BatchStatuses.isSucceeded(batch.getStatus()) && tally.failed == 0 && tally.total() >= total(batch);
        return everyRequestSucceeded ? ExitCodes.OK : ExitCodes.REQUESTS_FAILED;
    }

    /** Writes --out whole or not at all. */
    private Tally writeFile(BatchResults results) {
        return LocalFiles.writeWhole(target, out.toString(), stream -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            return write(results, writer);
        });
    }

    private Tally writeStdout(BatchResults results) {
        try {
            return write(results, out());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a PrintWriter does not throw it
        }
    }

    private static Tally write(BatchResults results, Writer writer) throws IOException {
        Tally tally = new Tally();
        for (BatchResult result : results) {
            writer.write(LINE.toJson(line(result)));
            writer.write('\n');
            if (result.isSuccess()) {
                tally.succeeded++;
            } else {
                tally.failed++;
            }
        }
        writer.flush();
        return tally;
    }

    /** One result in the tool's shape: what the request was, how it ended, and what came back. */
    static JsonObject line(BatchResult result) {
        JsonObject line = new JsonObject();
        line.addProperty("custom_id", result.customId());
        line.addProperty("outcome", result.isSuccess() ? "succeeded" : "failed");
        if (result.statusCode() != null) {
            JsonObject response = new JsonObject();
            response.addProperty("status_code", result.statusCode());
            if (result.body() != null) {
                response.add("body", result.body());
            }
            line.add("response", response);
        }
        if (result.errorCode() != null || result.errorMessage() != null) {
            JsonObject error = new JsonObject();
            error.addProperty("code", result.errorCode());
            error.addProperty("message", result.errorMessage());
            line.add("error", error);
        }
        return line;
    }

    /** E.g. {@code Batch batch_… (cancelled): 3 results, 3 succeeded, 0 failed; 2 of 5 requests have no result.} */
    private void report(BatchObject batch, Tally tally) {
        long missing = total(batch) - tally.total();
        err().println("Batch " + batch.getId() + " (" + batch.getStatus().getValue() + "): " + tally.total()
                + " results, " + tally.succeeded + " succeeded, " + tally.failed + " failed"
                + (missing > 0 ? "; " + missing + " of " + total(batch) + " requests have no result" : "")
                + (target == null ? "." : "; written to " + target + "."));
        err().flush();
    }

    private static long total(BatchObject batch) {
        RequestCounts counts = batch.getRequestCounts();
        return counts == null || counts.getTotal() == null ? 0 : counts.getTotal();
    }

    private static final class Tally {
        long succeeded;
        long failed;

        long total() {
            return succeeded + failed;
        }
    }
}
