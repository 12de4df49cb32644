package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.BatchRunResult;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.sandbox.junit.Mka1SandboxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every Java example in the README must compile against the library as it is; the workflow example also runs. */
@ExtendWith(Mka1SandboxExtension.class)
class ReadmeQuickStartTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("\\bclass (\\w+)");

    @Test
    void everyJavaExampleCompiles(@TempDir Path out) throws IOException {
        compileReadmeExamples(out);

        assertThat(out.resolve("QuickStart.class")).exists();
    }

    @Test
    void theWorkflowExampleRunsAgainstTheSandbox(@TempDir Path out, @TempDir Path dir, Mka1Client client)
            throws Exception {
        compileReadmeExamples(out);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        BatchRunResult run;
        try (URLClassLoader examples =
                new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            Method workflow = examples.loadClass("Workflow").getDeclaredMethod("run", Mka1Client.class, Path.class);
            workflow.setAccessible(true);
            System.setOut(new PrintStream(printed, true, "UTF-8"));
            try {
                run = (BatchRunResult) workflow.invoke(null, client, dir);
            } finally {
                System.setOut(stdout);
            }
        }

        assertThat(run.total()).isEqualTo(2);
        assertThat(run.succeeded()).isEqualTo(2);
        assertThat(Files.readAllLines(run.resultsFile())).hasSize(2);
        assertThat(new String(printed.toByteArray(), StandardCharsets.UTF_8).split("\\R"))
                .containsExactly(
                        "2/2 succeeded, one line each in " + dir.resolve("run").resolve("results.jsonl"),
                        "q0: Sandbox reply to: Hello",
                        "q1: Sandbox reply to: What is a batch?");
    }

    private static void compileReadmeExamples(Path out) throws IOException {
        String readme = new String(Files.readAllBytes(Paths.get("..", "README.md")), StandardCharsets.UTF_8);
        List<JavaFileObject> units = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(readme);
        while (block.find()) {
            String source = block.group(1);
            Matcher name = CLASS_NAME.matcher(source);
            assertThat(name.find())
                    .as("a README java block declares a class:%n%s", source)
                    .isTrue();
            units.add(
                    new SimpleJavaFileObject(
                            URI.create("string:///" + name.group(1) + ".java"), JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return source;
                        }
                    });
        }
        assertThat(units).as("java examples in README.md").hasSizeGreaterThanOrEqualTo(3);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path"));
            boolean compiled = compiler.getTask(diagnostics, files, null, options, null, units)
                    .call();
            assertThat(compiled).as("README examples compile:%n%s", diagnostics).isTrue();
        }
    }
}
