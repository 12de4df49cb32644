package com.mka1.batches.sandbox;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validates responses against openapi/mka1-batches.yaml, the single source of truth. Built once
 * per test JVM: parsing the spec is the slow part.
 */
final class SpecValidator {
    static final Path SPEC = Path.of("..", "openapi", "mka1-batches.yaml");

    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator.createForSpecificationUrl(
                    SPEC.toAbsolutePath().normalize().toString())
            .build();

    /** How many responses have been validated in this JVM; the schema test checks it grows. */
    static final AtomicInteger VALIDATED = new AtomicInteger();

    private SpecValidator() {}

    static ValidationReport validate(String method, String path, int status, String contentType, String body) {
        return validate(method, path, status, contentType, body, Map.of());
    }

    /** Validates a response with its headers too (required response headers, such as Content-Range). */
    static ValidationReport validate(
            String method,
            String path,
            int status,
            String contentType,
            String body,
            Map<String, List<String>> headers) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach(response::withHeader);
        if (contentType != null) {
            response.withContentType(contentType);
        }
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        ValidationReport report = VALIDATOR.validateResponse(path, Request.Method.valueOf(method), response.build());
        VALIDATED.incrementAndGet();
        if ((body == null || body.isEmpty()) && path.endsWith("/content") && status == 200) {
            // An empty file's content is a body of zero bytes; the validator cannot tell that from
            // no body at all, so only that one message is dropped, for that one case.
            return ValidationReport.from(report.getMessages().stream()
                    .filter(m -> !m.getKey().equals("validation.response.body.missing"))
                    .collect(java.util.stream.Collectors.toList()));
        }
        return report;
    }

    static boolean exists() {
        return Files.isRegularFile(SPEC);
    }
}
