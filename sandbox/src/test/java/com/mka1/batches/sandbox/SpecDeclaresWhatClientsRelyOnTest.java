package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Encoding;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * openapi/mka1-batches.yaml states the behaviour the client and the sandbox rely on beyond MKA1's
 * documentation, each such item saying "Not documented by MKA1": the {@code Idempotency-Key}
 * request header, 409 as a state conflict, the wait headers of 429 and 503, the
 * {@code X-Request-ID} response header, error bodies that are HTML, text or empty, {@code
 * first_id}/{@code last_id} absent on an empty page, and the upload's part types. Read from the
 * spec as parsed, and checked with the validator the sandbox's answers go through.
 */
class SpecDeclaresWhatClientsRelyOnTest {
    private static final String NOT_DOCUMENTED = "Not documented by MKA1";
    private static final OpenAPI SPEC = parse();

    private static OpenAPI parse() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        return new OpenAPIV3Parser()
                .read(SpecValidator.SPEC.toAbsolutePath().normalize().toString(), null, options);
    }

    /** Every operation of the spec, by operationId. */
    private static Map<String, Operation> operations() {
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (PathItem path : SPEC.getPaths().values()) {
            for (Operation operation : path.readOperations()) {
                operations.put(operation.getOperationId(), operation);
            }
        }
        return operations;
    }

    private static Parameter header(Operation operation, String name) {
        return operation.getParameters().stream()
                .filter(p -> "header".equals(p.getIn()) && name.equals(p.getName()))
                .findFirst()
                .orElse(null);
    }

    @Test
    void createAndUploadTakeAnIdempotencyKeyThatMka1DoesNotDocument() {
        Map<String, Operation> operations = operations();

        for (String id : List.of("createBatch", "uploadFile")) {
            Parameter key = header(operations.get(id), "Idempotency-Key");
            assertThat(key).as(id).isNotNull();
            assertThat(key.getRequired()).as(id).isFalse();
            assertThat(key.getDescription()).as(id).startsWith(NOT_DOCUMENTED);
        }
        assertThat(operations.entrySet().stream()
                        .filter(e -> header(e.getValue(), "Idempotency-Key") != null)
                        .map(Map.Entry::getKey))
                .as("only the operations that create something")
                .containsExactly("createBatch", "uploadFile");
    }

    @Test
    void conflictsAreDeclaredWhereAStateOrAKeyCanConflict() {
        Map<String, Operation> operations = operations();

        for (String id : List.of("createBatch", "cancelBatch", "uploadFile")) {
            ApiResponse conflict = operations.get(id).getResponses().get("409");
            assertThat(conflict).as(id).isNotNull();
            assertThat(conflict.getDescription())
                    .as(id)
                    .startsWith(NOT_DOCUMENTED)
                    .contains("cancelling a batch that has already ended", "Idempotency-Key");
        }
    }

    @Test
    void everyOperationDeclaresTheWaitHeadersOfARateLimitAndAnOutage() {
        List<String> missing = new ArrayList<>();
        operations().forEach((id, operation) -> {
            for (String status : List.of("429", "503")) {
                ApiResponse response = operation.getResponses().get(status);
                Map<String, Header> headers =
                        response == null || response.getHeaders() == null ? Map.of() : response.getHeaders();
                for (String name : List.of("Retry-After", "Retry-After-Ms", "X-Request-ID")) {
                    if (!headers.containsKey(name)) {
                        missing.add(id + " " + status + " " + name);
                    }
                }
            }
        });

        assertThat(missing).isEmpty();
        Map<String, Header> headers = SPEC.getComponents().getHeaders();
        assertThat(headers.get("RetryAfter").getDescription()).startsWith(NOT_DOCUMENTED);
        assertThat(headers.get("RetryAfterMs").getDescription()).startsWith(NOT_DOCUMENTED);
        assertThat(headers.get("RequestId").getDescription())
                .contains("documented by MKA1")
                .doesNotContain(NOT_DOCUMENTED);
    }

    @Test
    void everyErrorResponseDeclaresTheRequestIdAndTextBodies() {
        List<String> missing = new ArrayList<>();
        operations()
                .forEach((id, operation) -> operation.getResponses().forEach((status, response) -> {
                    if (status.startsWith("4") || status.startsWith("5")) {
                        if (response.getHeaders() == null
                                || !response.getHeaders().containsKey("X-Request-ID")) {
                            missing.add(id + " " + status + " X-Request-ID");
                        }
                        if (!"416".equals(status)) {
                            for (String type : List.of("application/json", "text/html", "text/plain")) {
                                if (!response.getContent().containsKey(type)) {
                                    missing.add(id + " " + status + " " + type);
                                }
                            }
                        }
                    }
                }));

        assertThat(missing).isEmpty();
        assertThat(SPEC.getComponents().getResponses().get("Error").getDescription())
                .contains("not documented by MKA1", "HTML", "plain text", "no body");
    }

    @Test
    void aProxysHtmlOrTextAnswerWithWaitHeadersValidates() {
        Map<String, List<String>> waits = Map.of(
                "Retry-After",
                List.of("2"),
                "Retry-After-Ms",
                List.of("1500"),
                "X-Request-ID",
                List.of("0d4e6f1c-7a0b-4d2e-9f3a-5b8c1d2e3f40#17"));

        assertThat(messages(SpecValidator.validate(
                        "GET",
                        "/api/v1/llm/batches",
                        429,
                        "text/html",
                        "<html><body>Too many requests</body></html>",
                        waits)))
                .isEmpty();
        assertThat(messages(SpecValidator.validate(
                        "POST", "/api/v1/llm/batches/batch_1/cancel", 503, "text/plain", "no healthy upstream", waits)))
                .isEmpty();
        assertThat(messages(SpecValidator.validate(
                        "POST",
                        "/api/v1/llm/files",
                        502,
                        "text/html",
                        "<html><body><h1>502 Bad Gateway</h1></body></html>",
                        Map.of())))
                .isEmpty();
        assertThat(messages(SpecValidator.validate(
                        "POST",
                        "/api/v1/llm/batches/batch_1/cancel",
                        409,
                        "application/json",
                        "{\"error\":{\"message\":\"cannot be cancelled\",\"code\":\"batch_not_cancellable\"}}",
                        Map.of())))
                .isEmpty();
    }

    @Test
    void anEmptyPageLeavesOutFirstAndLastId() {
        String empty = "{\"object\":\"list\",\"data\":[],\"has_more\":false}";

        assertThat(messages(SpecValidator.validate("GET", "/api/v1/llm/batches", 200, "application/json", empty)))
                .isEmpty();
        assertThat(messages(SpecValidator.validate("GET", "/api/v1/llm/files", 200, "application/json", empty)))
                .isEmpty();
        for (String schema : List.of("ListBatchesResponse", "ListFilesResponse")) {
            Map<String, ?> properties =
                    SPEC.getComponents().getSchemas().get(schema).getProperties();
            assertThat(((Schema<?>) properties.get("first_id")).getDescription())
                    .as(schema)
                    .contains("Absent (never `null`) on an empty page");
            assertThat(((Schema<?>) properties.get("last_id")).getDescription())
                    .as(schema)
                    .contains("Absent (never `null`) on an empty page");
        }
    }

    @Test
    void theUploadDeclaresItsPartsAndTheirTypes() {
        RequestBody body = operations().get("uploadFile").getRequestBody();
        Map<String, Encoding> encoding =
                body.getContent().get("multipart/form-data").getEncoding();

        assertThat(encoding.get("purpose").getContentType()).isEqualTo("text/plain");
        assertThat(encoding.get("file").getContentType().split(",\\s*"))
                .containsExactly("application/jsonl", "application/json", "text/plain", "application/octet-stream");
        assertThat(body.getDescription()).contains("not documented", "application/jsonl");
    }

    private static List<String> messages(ValidationReport report) {
        return report.getMessages().stream()
                .map(ValidationReport.Message::getMessage)
                .collect(Collectors.toList());
    }
}
