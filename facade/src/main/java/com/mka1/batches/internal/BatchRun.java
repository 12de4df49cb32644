package com.mka1.batches.internal;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchStatuses;
import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.ResultCheck;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.ConflictException;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.models.BatchError;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.RequestCounts;
import com.mka1.batches.observability.Outage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A batch run: many requests as one job, split into as many batches as the limits need, driven
 * to one result line per request, and resumable from its work directory after dying at any point.
 *
 * <p>The steps, each recorded in the {@link RunManifest} before the next begins:
 * <ol>
 *   <li>{@link RunInput}: validate every request and write the parts (nothing is sent before);
 *   <li>per part: record an upload key, upload with it, record the file id; record a create key,
 *       create with it, record the batch id. A resumed run re-sends an unrecorded upload or create
 *       with its recorded key, which the server answers with the file or batch it already made;
 *   <li>wait for every batch, one round of polls at a time, recording each as it ends;
 *   <li>download each part's output and error files (resumable downloads);
 *   <li>{@link RunJoin} each part, in order, into its round's results;
 *   <li>{@link RunRounds}: the requests without a final outcome make the next round's parts, and
 *       the steps above run again for them, up to the run's {@code maxAttempts}; then the rounds
 *       are merged into {@code results.jsonl}.
 * </ol>
 * The state is the manifest: what the run returns is the manifest once every part is joined, of
 * which {@code BatchRunResult} is made; the files of the work directory are named by {@link WorkDir}.
 * Every request of these steps waits out outages ({@link OutageBudget}, one for the whole run): an
 * upload or create tried again keeps its key. An interrupt stops the run at once (the batches go
 * on); with {@code cancelOnAbort} the run then
 * cancels its batches that have not ended. One run at a time per work directory
 * ({@link WorkDir}: an OS lock on its {@value WorkDir#LOCK_FILE}, and a registry within the JVM).
 */
public final class BatchRun {
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** The status of the answer to a poll (a read of a batch), for messages about what it held. */
    private static final int POLL_STATUS = 200;

    private final CallEngine engine;
    private final RunManifest manifest;
    private final WaitOptions waitOptions;
    private final Consumer<BatchRunParams.Progress> progress;
    private final OutageBudget outages;
    /** The latest request counts of each part's batch, by batch id, for the summed progress. */
    private final Map<String, RequestCounts> latest = new HashMap<>();

    private long[] lastProgress;

    private BatchRun(
            CallEngine engine,
            RunManifest manifest,
            WaitOptions waitOptions,
            Consumer<BatchRunParams.Progress> progress) {
        this.engine = engine;
        this.manifest = manifest;
        this.waitOptions = Objects.requireNonNull(waitOptions, "waitOptions == null");
        this.progress = Objects.requireNonNull(progress, "onProgress == null");
        this.outages = new OutageBudget(engine, waitOptions.outageBudget(), "the run in " + manifest.dir, outage -> {
            waitOptions.onOutage().accept(outage);
            reportProgress(outage);
        });
    }

    /** Checks the work directory of a run to resume: it exists and holds a manifest this version reads. */
    public static void checkResumable(Path workDir) {
        Objects.requireNonNull(workDir, "workDir == null");
        if (!Files.isDirectory(workDir)) {
            throw new IllegalArgumentException("workDir " + workDir + " does not exist or is not a directory");
        }
        RunManifest.read(workDir);
    }

    /**
     * Runs {@code params} from the start in {@code dir} (from {@link WorkDir#forNewRun}), on the caller's thread.
     *
     * @param check the params' result check, or null
     * @return the run's state once it has joined every part
     */
    public static RunManifest start(CallEngine engine, BatchRunParams params, Path dir, ResultCheck check) {
        try (WorkDir workDir = WorkDir.lock(dir, params.workDir() == null)) {
            if (WorkDir.holdsRun(dir)) {
                throw new IllegalArgumentException("workDir " + dir + " already holds a batch run ("
                        + WorkDir.MANIFEST_FILE + "): continue it with resumeRun(workDir)");
            }
            RunManifest manifest = RunInput.prepare(params, dir);
            manifest.check = check;
            return new BatchRun(engine, manifest, params.waitOptions(), params.onProgress()).execute(workDir);
        }
    }

    /**
     * Continues the run kept in {@code dir}, on the caller's thread.
     *
     * @return the run's state once it has joined every part
     */
    public static RunManifest resume(
            CallEngine engine, Path dir, WaitOptions waitOptions, Consumer<BatchRunParams.Progress> progress) {
        checkResumable(dir);
        try (WorkDir workDir = WorkDir.lock(dir, false)) {
            RunManifest manifest = RunManifest.read(dir);
            for (RunManifest.Part part : manifest.parts) {
                if (part.inputFileId == null) {
                    checkUnchanged(part, manifest.path(part.file));
                }
            }
            return new BatchRun(engine, manifest, waitOptions, progress).execute(workDir);
        }
    }

    /**
     * Runs {@code run} on a new daemon thread ({@code mka1-batches-run-N}). Cancelling the
     * returned future interrupts that thread, which stops the run at its next step or wait.
     */
    // whenComplete registers a listener; the stage it returns is dropped on purpose: nothing
    // waits on the listener, which has no result to give.
    @SuppressWarnings("FutureReturnValueIgnored")
    public static <T> CompletableFuture<T> onOwnThread(Supplier<T> run) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        result.complete(run.get());
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                },
                "mka1-batches-run-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                thread.interrupt();
            }
        });
        thread.start();
        return result;
    }

    private RunManifest execute(WorkDir workDir) {
        try {
            reportProgress(); // the manifest is written: from here on the run can be resumed
            if (!manifest.done) {
                do {
                    for (RunManifest.Part part : manifest.parts) {
                        upload(part);
                        create(part);
                    }
                    awaitAll();
                    for (RunManifest.Part part : manifest.parts) {
                        download(part, workDir);
                    }
                    RunJoin.joinRound(manifest);
                } while (RunRounds.next(manifest));
                RunRounds.finish(manifest);
            }
            return manifest;
        } catch (RuntimeException e) {
            if (manifest.cancelOnAbort && aborted(e)) {
                cancelBatches(e);
            }
            throw e;
        }
    }

    private void upload(RunManifest.Part part) {
        if (part.inputFileId != null) {
            return;
        }
        Path file = manifest.path(part.file);
        if (part.uploadKey == null) {
            part.uploadKey = UUID.randomUUID().toString();
            manifest.write();
        }
        RequestOptions keyed =
                RequestOptions.builder().idempotencyKey(part.uploadKey).build();
        FileObject uploaded = riding(() -> engine.execute(FileOperations.upload(file, FilePurpose.BATCH), keyed)
                .value());
        part.inputFileId = uploaded.getId();
        manifest.write();
    }

    private void create(RunManifest.Part part) {
        if (part.batchId != null) {
            return;
        }
        if (part.createKey == null) {
            part.createKey = UUID.randomUUID().toString();
            manifest.write();
        }
        CreateBatchParams.Builder params = CreateBatchParams.builder()
                .inputFileId(part.inputFileId)
                .endpoint(manifest.endpoint)
                .completionWindow(manifest.completionWindow);
        if (manifest.metadata != null) {
            params.metadata(manifest.metadata);
        }
        CreateBatchParams create = params.build();
        RequestOptions keyed =
                RequestOptions.builder().idempotencyKey(part.createKey).build();
        BatchObject batch = riding(
                () -> engine.execute(BatchOperations.create(create), keyed).value());
        part.batchId = batch.getId();
        manifest.write();
    }

    private void awaitAll() {
        Map<String, RunManifest.Part> running = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (RunManifest.Part part : manifest.parts) {
            if (!part.finished()) {
                running.put(part.batchId, part);
                ids.add(part.batchId);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        Poller.awaitAll(
                engine,
                ids,
                waitOptions,
                outages,
                batch -> {
                    if (batch.getRequestCounts() != null) {
                        latest.put(batch.getId(), batch.getRequestCounts());
                    }
                    RunManifest.Part part = running.get(batch.getId());
                    if (part != null && BatchStatuses.isTerminal(batch.getStatus())) {
                        finish(part, batch);
                        manifest.write();
                    }
                },
                this::reportProgress);
    }

    private void finish(RunManifest.Part part, BatchObject batch) {
        // Checked before anything of the batch is recorded: the run stops, and its resume polls again.
        String outputFileId = ServerIds.optionalFileId(
                batch.getOutputFileId(), "batch " + part.batchId + "'s output_file_id", POLL_STATUS);
        String errorFileId = ServerIds.optionalFileId(
                batch.getErrorFileId(), "batch " + part.batchId + "'s error_file_id", POLL_STATUS);
        part.status = batch.getStatus().getValue();
        part.outputFileId = outputFileId;
        part.errorFileId = errorFileId;
        RequestCounts counts = batch.getRequestCounts();
        if (counts != null) {
            part.requestCounts = new RunManifest.Counts();
            part.requestCounts.total = counts.getTotal() == null ? 0 : counts.getTotal();
            part.requestCounts.completed = counts.getCompleted() == null ? 0 : counts.getCompleted();
            part.requestCounts.failed = counts.getFailed() == null ? 0 : counts.getFailed();
        }
        if (BatchStatus.FAILED.equals(batch.getStatus())) {
            part.failure = failure(batch);
        }
    }

    private static String failure(BatchObject batch) {
        if (batch.getErrors() == null
                || batch.getErrors().getData() == null
                || batch.getErrors().getData().isEmpty()) {
            return null;
        }
        List<BatchError> errors = batch.getErrors().getData();
        BatchError first = errors.get(0);
        String text = (first.getCode() == null ? "" : first.getCode() + ": ")
                + (first.getMessage() == null ? "(no message)" : first.getMessage())
                + (first.getLine() == null ? "" : " (line " + first.getLine() + " of its input)");
        return errors.size() == 1 ? text : text + ", and " + (errors.size() - 1) + " more errors";
    }

    private void reportProgress() {
        reportProgress(null);
    }

    /** Runs a step that sends a request, waiting out outages; the first report after an outage says it is over. */
    private <T> T riding(Supplier<T> step) {
        T value = outages.call(step);
        if (lastProgress != null && lastProgress[4] != 0) {
            reportProgress(null);
        }
        return value;
    }

    /** Reports the summed progress if it changed, or comes with an outage, or follows one. */
    private void reportProgress(Outage outage) {
        int finished = 0;
        long total = 0;
        long completed = 0;
        long failed = 0;
        int round = manifest.round();
        for (RunManifest.Part part : manifest.parts) {
            if (part.finished()) {
                finished++;
            }
            RequestCounts counts = latest.get(part.batchId);
            if (part.round() < round) {
                // An earlier round: its final outcomes only; its retried requests count in later rounds.
                total += part.joined.succeeded + part.joined.failed + part.joined.missing;
                completed += part.joined.succeeded;
                failed += part.joined.failed + part.joined.missing;
            } else if (counts != null) {
                total += counts.getTotal() == null ? 0 : counts.getTotal();
                completed += counts.getCompleted() == null ? 0 : counts.getCompleted();
                failed += counts.getFailed() == null ? 0 : counts.getFailed();
            } else if (part.requestCounts != null) {
                total += part.requestCounts.total;
                completed += part.requestCounts.completed;
                failed += part.requestCounts.failed;
            }
        }
        long[] now = {finished, total, completed, failed, outage == null ? 0 : 1};
        if (outage != null || lastProgress == null || !Arrays.equals(lastProgress, now)) {
            lastProgress = now;
            progress.accept(new BatchRunParams.Progress(
                    manifest.parts.size(), finished, manifest.requests, total, completed, failed, outage));
        }
    }

    private void download(RunManifest.Part part, WorkDir workDir) {
        if (part.outputFileId != null && !part.outputDownloaded) {
            fetch(part.outputFileId, part.outputFile(), workDir);
            part.outputDownloaded = true;
            manifest.write();
        }
        if (part.errorFileId != null && !part.errorsDownloaded) {
            fetch(part.errorFileId, part.errorsFile(), workDir);
            part.errorsDownloaded = true;
            manifest.write();
        }
    }

    private void fetch(String fileId, String name, WorkDir workDir) {
        riding(() -> {
            workDir.removeDownloadLeftovers(name);
            return FileDownload.run(engine, fileId, manifest.path(name), RequestOptions.none());
        });
    }

    /**
     * A part not uploaded yet must still be the bytes the run wrote: the upload's key stands for
     * them. Checked when a run resumes, before anything is sent; a fresh run hashed its parts as it
     * wrote them and does not read them again.
     */
    private static void checkUnchanged(RunManifest.Part part, Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                size += n;
            }
            String sha256 =
                    RunInput.hex(((DigestInputStream) in).getMessageDigest().digest());
            if (size != part.bytes || !sha256.equals(part.sha256)) {
                throw new IllegalStateException(file + " changed since the run wrote it (" + size + " bytes, "
                        + part.bytes + " expected): a part must not be edited between a run and its resume");
            }
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(
                    file + " is missing: the run's work directory lost a part it has not" + " uploaded yet", e);
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.READ, file, "the run's part", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean aborted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** Cancels every batch of the run that has not ended; the interrupt flag is cleared for the calls, then restored. */
    private void cancelBatches(RuntimeException abort) {
        boolean interrupted = Thread.interrupted();
        try {
            for (RunManifest.Part part : manifest.parts) {
                if (part.batchId == null || part.finished()) {
                    continue;
                }
                try {
                    engine.execute(BatchOperations.cancel(part.batchId), RequestOptions.none());
                } catch (ConflictException alreadyEnded) {
                    // It ended meanwhile: nothing to cancel.
                } catch (RuntimeException e) {
                    abort.addSuppressed(e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
