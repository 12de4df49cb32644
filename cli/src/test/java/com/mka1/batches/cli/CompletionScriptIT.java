package com.mka1.batches.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The completion script the build writes at package time, {@code cli/target/mka1-batches_completion}:
 * there, complete, and completing in bash as a user sources it. Run by the cli module's
 * {@code runnable-jar} surefire execution, which passes its path.
 */
class CompletionScriptIT {
    /** Sources the script, then asks its completion function for the words of {@code $2}, as bash does on TAB. */
    private static final String COMPLETE = "source \"$1\" 2>/dev/null; read -ra COMP_WORDS <<<\"$2\";"
            + " COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMP_LINE=\"$2\"; _complete_mka1-batches 2>/dev/null;"
            + " printf '%s\\n' \"${COMPREPLY[@]}\"";

    @Test
    void theBuildWritesTheCompletionScript() throws IOException {
        String script = new String(Files.readAllBytes(script()), StandardCharsets.UTF_8);

        CompletionScriptTest.assertScriptCompletesTheTool(script);
    }

    @Test
    void bashCompletesCommandsAndOptionsFromIt() throws Exception {
        Path script = script();
        assumeTrue(Files.isExecutable(Paths.get("/bin/bash")), "needs bash");

        assertThat(complete(script, "mka1-batches fi")).isEqualTo("files\n");
        assertThat(complete(script, "mka1-batches files dow")).isEqualTo("download\n");
        assertThat(complete(script, "mka1-batches list --on-beh")).isEqualTo("--on-behalf-of\n");
    }

    private static Path script() {
        String path = System.getProperty("mka1.cli.completion");
        assumeTrue(path != null, "run by the integration-test execution, which names the script");
        Path script = Paths.get(path);
        assertThat(script).isRegularFile();
        return script;
    }

    private static String complete(Path script, String line) throws Exception {
        Process bash = new ProcessBuilder("/bin/bash", "-c", COMPLETE, "_", script.toString(), line)
                .redirectErrorStream(true)
                .start();
        bash.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = bash.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.toString(StandardCharsets.UTF_8.name());
    }
}
