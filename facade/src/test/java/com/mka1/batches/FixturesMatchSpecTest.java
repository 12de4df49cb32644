package com.mka1.batches;

import static com.mka1.batches.TestSupport.BATCHES;
import static com.mka1.batches.TestSupport.FILES;
import static com.mka1.batches.TestSupport.fixture;
import static com.mka1.batches.TestSupport.fixtureWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every JSON fixture is a response the spec allows, so the tests never rely on an invented shape. */
class FixturesMatchSpecTest {
    /** Relative to the facade module, where Maven runs the tests. */
    private static final Path SPEC = Paths.get("..", "openapi", "mka1-batches.yaml");

    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator.createForSpecificationUrl(
                    SPEC.toAbsolutePath().toString())
            .build();

    static Stream<String> jsonFixtures() throws IOException {
        try (Stream<Path> files = Files.list(TestSupport.fixturesDir())) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .sorted()
                    .collect(Collectors.toList());
            assertThat(names)
                    .contains(
                            "batch-completed.json",
                            "list-page-1.json",
                            "error-rate-limit.json",
                            "file-batch-input.json",
                            "files-page-1.json",
                            "deleted-file.json");
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonFixtures")
    void fixtureIsValidForItsOperation(String name) {
        ValidationReport report = validate(name, fixture(name));

        assertThat(report.getMessages()).as(name + " against " + SPEC).isEmpty();
    }

    /** The operation and status a fixture answers, chosen by its name so no fixture escapes the check. */
    private static ValidationReport validate(String name, String body) {
        if (name.startsWith("batch-")) {
            return VALIDATOR.validateResponse(BATCHES + "/batch_1", Request.Method.GET, json(200, body));
        }
        if (name.startsWith("list-")) {
            return VALIDATOR.validateResponse(BATCHES, Request.Method.GET, json(200, body));
        }
        if (name.startsWith("error-")) {
            return VALIDATOR.validateResponse(BATCHES + "/batch_1", Request.Method.GET, json(404, body));
        }
        if (name.startsWith("file-")) {
            return VALIDATOR.validateResponse(FILES + "/file_1", Request.Method.GET, json(200, body));
        }
        if (name.startsWith("files-")) {
            return VALIDATOR.validateResponse(FILES, Request.Method.GET, json(200, body));
        }
        if (name.startsWith("deleted-file")) {
            return VALIDATOR.validateResponse(FILES + "/file_1", Request.Method.DELETE, json(200, body));
        }
        throw new AssertionError("fixture " + name + " has no known prefix (batch-, list-, error-, file-, files-,"
                + " deleted-file): add one so it is validated");
    }

    private static SimpleResponse json(int status, String body) {
        return SimpleResponse.Builder.status(status)
                .withContentType("application/json")
                .withBody(body)
                .build();
    }

    static Stream<Arguments> brokenBodies() {
        return Stream.of(
                Arguments.of(
                        "batch-unknown-status",
                        fixtureWith("batch-completed.json", b -> b.addProperty("status", "paused"))),
                Arguments.of("batch-no-id", fixtureWith("batch-completed.json", b -> b.remove("id"))),
                Arguments.of(
                        "batch-created-at-text",
                        fixtureWith("batch-completed.json", b -> b.addProperty("created_at", "abc"))),
                Arguments.of("batch-null-status", fixtureWith("batch-completed.json", b -> b.add("status", null))),
                Arguments.of(
                        "batch-no-total",
                        fixtureWith(
                                "batch-completed.json",
                                b -> b.getAsJsonObject("request_counts").remove("total"))),
                Arguments.of("list-no-has-more", fixtureWith("list-page-1.json", p -> p.remove("has_more"))),
                // any string is a valid endpoint in a response (the vendor types it so), not a number
                Arguments.of(
                        "list-item-endpoint-a-number",
                        fixtureWith(
                                "list-page-1.json",
                                p -> p.getAsJsonArray("data")
                                        .get(0)
                                        .getAsJsonObject()
                                        .addProperty("endpoint", 42))),
                Arguments.of("file-no-bytes", fixtureWith("file-batch-input.json", f -> f.remove("bytes"))),
                Arguments.of(
                        "file-unknown-purpose",
                        fixtureWith("file-batch-input.json", f -> f.addProperty("purpose", "training"))),
                Arguments.of(
                        "files-item-no-filename",
                        fixtureWith(
                                "files-page-1.json",
                                p -> p.getAsJsonArray("data")
                                        .get(1)
                                        .getAsJsonObject()
                                        .remove("filename"))),
                Arguments.of("deleted-file-no-deleted", fixtureWith("deleted-file.json", d -> d.remove("deleted"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void theValidatorReportsABrokenBody(String name, String body) {
        assertThat(validate(name, body).hasErrors())
                .as(name + " must be reported invalid")
                .isTrue();
    }

    @Test
    void theValidatorKnowsTheOperations() {
        ValidationReport report = VALIDATOR.validateResponse(
                "/api/v1/llm/nothing", Request.Method.GET, json(200, fixture("batch-completed.json")));

        assertThat(report.hasErrors()).isTrue();
    }
}
