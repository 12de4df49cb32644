package com.mka1.batches.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two runnable jars keep the licence and notice files of every project they bundle, as the
 * licences require of a redistribution: the CLI's {@code mka1-batches-cli.jar} and the sandbox's
 * {@code -all} jar, as {@code package} built them. WireMock's files keep their paths in
 * {@code META-INF/}; the ones whose paths clash with WireMock's (SLF4J's MIT licence, Jakarta
 * Annotations' licence and notice) and the ones their projects ship outside their jars
 * (Progressbar, JLine) are under {@code META-INF/licenses/}, beside the project's NOTICE that lists
 * every bundled project. Run by the cli module's {@code runnable-jar} surefire execution in the
 * {@code integration-test} phase, which passes both jars' paths and the NOTICE's.
 */
class ShadedJarLicensesIT {

    /** A file the shaded jar must carry, byte for byte the one in the jar of the class named. */
    static Stream<Arguments> keptFiles() {
        return Stream.of(
                Arguments.of(
                        "mka1.cli.jar",
                        "META-INF/licenses/slf4j-api/LICENSE.txt",
                        "org.slf4j.Logger",
                        "META-INF/LICENSE.txt"),
                Arguments.of(
                        "mka1.cli.jar",
                        "META-INF/licenses/slf4j-nop/LICENSE.txt",
                        "org.slf4j.nop.NOPServiceProvider",
                        "META-INF/LICENSE.txt"),
                Arguments.of(
                        "mka1.cli.jar",
                        "META-INF/licenses/jakarta.annotation-api/LICENSE.md",
                        "jakarta.annotation.Generated",
                        "META-INF/LICENSE.md"),
                Arguments.of(
                        "mka1.cli.jar",
                        "META-INF/licenses/jakarta.annotation-api/NOTICE.md",
                        "jakarta.annotation.Generated",
                        "META-INF/NOTICE.md"),
                Arguments.of(
                        "mka1.sandbox.jar",
                        "META-INF/licenses/jakarta.annotation-api/LICENSE.md",
                        "jakarta.annotation.Generated",
                        "META-INF/LICENSE.md"),
                Arguments.of(
                        "mka1.sandbox.jar",
                        "META-INF/licenses/jakarta.annotation-api/NOTICE.md",
                        "jakarta.annotation.Generated",
                        "META-INF/NOTICE.md"),
                Arguments.of("mka1.cli.jar", "META-INF/LICENSE.txt", WIREMOCK, "META-INF/LICENSE.txt"),
                Arguments.of("mka1.cli.jar", "META-INF/LICENSE.md", WIREMOCK, "META-INF/LICENSE.md"),
                Arguments.of("mka1.cli.jar", "META-INF/NOTICE.md", WIREMOCK, "META-INF/NOTICE.md"),
                Arguments.of("mka1.cli.jar", "META-INF/thirdparty-LICENSE", WIREMOCK, "META-INF/thirdparty-LICENSE"),
                Arguments.of("mka1.sandbox.jar", "META-INF/LICENSE.txt", WIREMOCK, "META-INF/LICENSE.txt"),
                Arguments.of("mka1.sandbox.jar", "META-INF/LICENSE.md", WIREMOCK, "META-INF/LICENSE.md"),
                Arguments.of("mka1.sandbox.jar", "META-INF/NOTICE.md", WIREMOCK, "META-INF/NOTICE.md"),
                Arguments.of(
                        "mka1.sandbox.jar", "META-INF/thirdparty-LICENSE", WIREMOCK, "META-INF/thirdparty-LICENSE"));
    }

    private static final String WIREMOCK = "com.github.tomakehurst.wiremock.WireMockServer";

    @ParameterizedTest(name = "{0}: {1} is {2}''s {3}")
    @MethodSource("keptFiles")
    void keepsTheLicenceAndNoticeFilesOfWhatItBundles(
            String jarProperty, String entry, String upstreamClass, String upstreamEntry) throws Exception {
        Path jar = jar(jarProperty);
        byte[] upstream = read(jarOf(Class.forName(upstreamClass)), upstreamEntry);

        assertThat(read(jar, entry)).as(entry).isEqualTo(upstream);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mka1.cli.jar", "mka1.sandbox.jar"})
    void carriesTheNoticeNamingEveryBundledProject(String jarProperty) throws IOException {
        Path jar = jar(jarProperty);
        String notice = new String(read(jar, "META-INF/licenses/NOTICE"), StandardCharsets.UTF_8);

        assertThat(notice).isEqualTo(new String(Files.readAllBytes(path("mka1.notice")), StandardCharsets.UTF_8));
        assertThat(read(jar, "META-INF/licenses/LICENSE")).isEqualTo(Files.readAllBytes(path("mka1.license")));
        // Every third-party jar that carries Maven metadata names itself in the shaded jar.
        List<String> bundled = bundledProjects(jar);
        assertThat(bundled).isNotEmpty();
        assertThat(bundled).allSatisfy(project -> assertThat(notice).contains(project + " "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "progressbar/LICENSE, Copyright (c) 2015--2020 Tongfei Chen",
        "jline/LICENSE.txt, Neither the name of JLine"
    })
    void carriesTheLicencesProjectsShipOutsideTheirJars(String file, String line) throws IOException {
        byte[] kept = read(jar("mka1.cli.jar"), "META-INF/licenses/" + file);

        assertThat(kept).isEqualTo(Files.readAllBytes(Paths.get("src/license", file)));
        assertThat(new String(kept, StandardCharsets.UTF_8)).contains(line);
    }

    private static List<String> bundledProjects(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return Collections.list(zip.entries()).stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties"))
                    .map(name -> name.split("/"))
                    .map(parts -> parts[2] + ":" + parts[3])
                    .filter(project -> !project.startsWith("com.mka1:"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static byte[] read(Path jar, String entry) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry found = zip.getEntry(entry);
            assertThat(found).as("%s in %s", entry, jar.getFileName()).isNotNull();
            try (InputStream in = zip.getInputStream(found)) {
                return in.readAllBytes();
            }
        }
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Paths.get(
                type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path jar(String property) {
        Path jar = path(property);
        assertThat(jar).as("built by package before integration-test").isRegularFile();
        return jar;
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        assumeTrue(value != null, property + " is set by the build's integration-test phase (mvn verify)");
        return Paths.get(value);
    }
}
