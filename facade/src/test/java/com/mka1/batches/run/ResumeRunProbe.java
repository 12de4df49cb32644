package com.mka1.batches.run;

import com.mka1.batches.BatchRunResult;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import java.nio.file.Paths;

/**
 * Another process trying to drive a work directory, for {@link BatchRunLockTest}:
 * {@code ResumeRunProbe <workDir> <baseUrl>} resumes the run there with a client that never
 * retries, and prints one line: {@code FINISHED <requests>}, {@code REFUSED <message>} (another
 * run holds the directory) or {@code FAILED <exception>} (it got the directory, then failed).
 */
public final class ResumeRunProbe {
    private ResumeRunProbe() {}

    public static void main(String[] args) {
        try (Mka1Client client = Mka1Client.builder()
                .baseUrl(args[1])
                .apiKey("sk-probe")
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            BatchRunResult run = client.llm().batches().resumeRun(Paths.get(args[0]));
            System.out.println("FINISHED " + run.total());
        } catch (IllegalStateException e) {
            System.out.println("REFUSED " + e.getMessage());
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e);
        }
    }
}
