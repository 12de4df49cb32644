package com.mka1.batches.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code generate-completion}: a bash/zsh completion script that knows every command and option. */
class CompletionScriptTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @Test
    void theScriptCompletesEveryCommandAndTheGlobalOptions() {
        CliHarness.Result result = cli.run("generate-completion");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertScriptCompletesTheTool(result.out);
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    /** What a script for this tool must hold, whoever generated it: the build, or a test. */
    static void assertScriptCompletesTheTool(String script) {
        assertThat(script)
                .startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_mka1-batches", "compdef", "bashcompinit")
                .contains("run", "create", "list", "get", "cancel", "wait", "results", "demo")
                .contains("_picocli_mka1-batches_files_upload", "_picocli_mka1-batches_files_download")
                .contains("--on-behalf-of", "--api-key", "--base-url", "--sandbox", "--output");
    }
}
