package com.mka1.batches.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.micrometer.Mka1ClientObservationDocumentation.HighCardinalityKeyNames;
import com.mka1.batches.micrometer.Mka1ClientObservationDocumentation.LowCardinalityKeyNames;
import com.mka1.batches.micrometer.ObservationCallListener;
import com.mka1.batches.sandbox.Mka1Sandbox;
import io.micrometer.common.docs.KeyName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The README's "In a Spring Boot service" section holds no Java (the README's Java blocks are
 * compiled without Spring), so this checks the rest of it against the starter: the dependency's
 * coordinates, every property it names, a context started from its properties block, and the
 * metric and tag names it documents.
 */
class ReadmeSpringBootSectionTest {
    private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PROPERTY = Pattern.compile("`(mka1\\.[a-z.-]+)`");

    private static String section() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("## In a Spring Boot service");
        assertThat(start).as("README has the section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static String block(String section, String language) {
        Matcher block = BLOCK.matcher(section);
        while (block.find()) {
            if (block.group(1).equals(language)) {
                return block.group(2);
            }
        }
        throw new AssertionError("no ```" + language + " block in the section");
    }

    private static Set<String> metadataNames() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        try (InputStream in =
                ReadmeSpringBootSectionTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            JsonNode metadata = new ObjectMapper().readTree(in);
            metadata.get("properties")
                    .forEach(property -> names.add(property.get("name").asText()));
        }
        return names;
    }

    @Test
    void theDependencyIsThisArtifact() throws IOException {
        assertThat(block(section(), "xml"))
                .contains("<groupId>com.mka1</groupId>")
                .contains("<artifactId>mka1-batches-spring-boot-starter</artifactId>")
                .contains("<version>" + Mka1Client.VERSION + "</version>");
    }

    @Test
    void everyPropertyNamedExists() throws IOException {
        String section = section();
        Set<String> known = metadataNames();
        List<String> named = new ArrayList<>();
        for (String line : block(section, "properties").split("\\R")) {
            if (!line.isBlank()) {
                named.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        Matcher property = PROPERTY.matcher(section);
        while (property.find()) {
            String name = property.group(1);
            if (!name.startsWith("mka1.client.") && !keyNames().contains(name)) {
                named.add(name); // not the metric names nor the span attributes
            }
        }

        assertThat(named).hasSizeGreaterThan(10);
        assertThat(known).containsAll(named);
    }

    @Test
    void theDocumentedPropertiesStartAWorkingClient() throws IOException {
        List<String> properties = new ArrayList<>();
        for (String line : block(section(), "properties").split("\\R")) {
            if (!line.isBlank() && !line.startsWith("mka1.api-key=") && !line.startsWith("mka1.base-url=")) {
                properties.add(line);
            }
        }
        try (Mka1Sandbox sandbox = Mka1Sandbox.start()) {
            properties.add("mka1.api-key=" + sandbox.apiKey());
            properties.add("mka1.base-url=" + sandbox.baseUrl());
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(Mka1AutoConfiguration.class))
                    .withPropertyValues(properties.toArray(new String[0]))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        context.getBean(Mka1Client.class).llm().batches().list(ListBatchesParams.none());
                        assertThat(sandbox.requests())
                                .allSatisfy(request -> assertThat(request.header("X-On-Behalf-Of"))
                                        .contains("reporting-service"));
                    });
        }
    }

    /** Every tag and span attribute the default convention writes. */
    private static Set<String> keyNames() {
        Set<String> names = new LinkedHashSet<>();
        for (KeyName key : LowCardinalityKeyNames.values()) {
            names.add(key.asString());
        }
        for (KeyName key : HighCardinalityKeyNames.values()) {
            names.add(key.asString());
        }
        return names;
    }

    @Test
    void theMetricsAndTagsAreTheOnesRecorded() throws IOException {
        String section = section();
        assertThat(section)
                .contains("| `" + ObservationCallListener.CALLS + "` |")
                .contains("| `" + ObservationCallListener.ATTEMPTS + "` |")
                .contains("| `" + ObservationCallListener.RETRIES + "` |")
                .contains("`" + HighCardinalityKeyNames.REQUEST_ID.asString() + "`")
                .contains("`" + HighCardinalityKeyNames.URL_PATH.asString() + "`")
                .doesNotContain("`status.class`:");
        for (KeyName tag : LowCardinalityKeyNames.values()) {
            assertThat(section).as("documents the tag %s", tag.asString()).contains("`" + tag.asString() + "`");
        }
    }
}
