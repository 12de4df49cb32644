package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mka1.batches.DocumentedFailures;
import com.mka1.batches.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.ResponseBody;

/**
 * Fuzzes what the client reads from an error response: the body (any shape: the documented JSON
 * ones, HTML from a proxy, text, garbage) mapped by {@link Responses#error}, and the wait of
 * {@code Retry-After-Ms} / {@code Retry-After}.
 *
 * <p>Property: an error body always maps to the {@link ApiException} of its status, never throws;
 * its message starts with the status and, unless the server's JSON carries a message of its own,
 * holds no control character (a log line stays one line). A wait is empty or between zero and an
 * hour, and is believed only in the documented forms: seconds (fractions allowed) or an HTTP date.
 * Inputs: {@code ErrorResponseFuzzTestInputs/<method>/}; for {@code errorBody} each file is a
 * body, for {@code retryAfter} the file's first line is {@code Retry-After-Ms} ({@code -} for
 * none) and its second {@code Retry-After}.
 */
class ErrorResponseFuzzTest {
    private static final int[] STATUSES = {400, 401, 403, 404, 409, 422, 429, 500, 502, 418};
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    /** Seconds as the documentation has them: digits, maybe a fraction, maybe a sign. */
    private static final Pattern SECONDS = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    @FuzzTest(maxDuration = "60s")
    void errorBody(byte[] bytes) throws Exception {
        // CallEngine reads an error body whole, as OkHttp decodes it.
        String body =
                ResponseBody.create(bytes, MediaType.get("application/json")).string();
        int status = STATUSES[Math.floorMod(body.hashCode(), STATUSES.length)];
        Map<String, List<String>> headers =
                Map.of("Content-Type", List.of("text/html"), "X-Request-ID", List.of("req_1"));

        ApiException[] mapped = new ApiException[1];
        DocumentedFailures.check(body, () -> mapped[0] = Responses.error(status, headers, body, KeyRedaction.NONE));

        ApiException e = mapped[0];
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.body()).isEqualTo(body);
        DocumentedFailures.assertCleanMessage(e, body);
        assertThat(e.getMessage()).startsWith("HTTP " + status).endsWith("(request id req_1)");
        if (!body.trim().startsWith("{")) {
            assertThat(e.getMessage())
                    .as("the message of a body that is not JSON")
                    .doesNotContainPattern("\\p{Cntrl}");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void retryAfter(byte[] bytes) throws Exception {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", 2);
        String millis = lines[0].equals("-") ? null : lines[0];
        String value = lines.length < 2 ? null : lines[1];

        List<Optional<Duration>> wait = new ArrayList<>();
        DocumentedFailures.check(
                lines[0],
                () -> wait.add(RetryAfter.parse(
                        name -> name.equals("Retry-After-Ms") ? millis : name.equals("Retry-After") ? value : null,
                        NOW)));

        if (wait.get(0).isPresent()) {
            assertThat(wait.get(0).get()).isBetween(Duration.ZERO, RetryAfter.MAX);
            boolean documented =
                    (millis != null && SECONDS.matcher(millis.trim()).matches())
                            || (value != null && (SECONDS.matcher(value.trim()).matches() || isHttpDate(value.trim())));
            assertThat(documented)
                    .as("a wait read from Retry-After-Ms '%s' / Retry-After '%s'", millis, value)
                    .isTrue();
        }
    }

    private static boolean isHttpDate(String value) {
        try {
            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
