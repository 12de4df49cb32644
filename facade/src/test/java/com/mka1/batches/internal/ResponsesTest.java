package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.RateLimitException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The edges of how {@link Responses} turns an error body into an exception's message: how long a
 * text body may be to be the message, which bodies are shown as a summary instead, and where the
 * summary is cut.
 */
class ResponsesTest {
    private static final Map<String, List<String>> TEXT = Map.of("Content-Type", List.of("text/plain"));

    @Test
    void aTextBodyOf200CharactersIsTheMessageAndOneOf201IsSummarised() {
        String longest = "e".repeat(200);
        String tooLong = "e".repeat(201);

        assertThat(Responses.error(400, TEXT, longest, KeyRedaction.NONE).getMessage())
                .isEqualTo("HTTP 400: " + longest);
        assertThat(Responses.error(400, TEXT, tooLong, KeyRedaction.NONE).getMessage())
                .isEqualTo("HTTP 400 (text/plain): " + "e".repeat(120) + "…");
    }

    @Test
    void aShortBodyThatStartsLikeMarkupOrJsonIsSummarisedNotQuoted() {
        assertThat(Responses.error(502, TEXT, "<b>Bad gateway</b>", KeyRedaction.NONE)
                        .getMessage())
                .isEqualTo("HTTP 502 (text/plain): Bad gateway");
        assertThat(Responses.error(502, TEXT, "[broken", KeyRedaction.NONE).getMessage())
                .isEqualTo("HTTP 502 (text/plain): [broken");
    }

    @Test
    void aSummaryOf120CharactersIsShownWholeAndOneCharacterMoreIsCut() {
        String exactly = "<p>" + "s".repeat(120) + "</p>";
        String oneMore = "<p>" + "s".repeat(121) + "</p>";

        assertThat(BodySummary.of("text/html", exactly)).isEqualTo("(text/html): " + "s".repeat(120));
        assertThat(BodySummary.of("text/html", oneMore)).isEqualTo("(text/html): " + "s".repeat(120) + "…");
    }

    @Test
    void theServersWaitIsReadFromTheErrorsHeaders() {
        ApiException e = Responses.error(429, Map.of("Retry-After", List.of("2")), "", KeyRedaction.NONE);

        assertThat(e).isInstanceOf(RateLimitException.class);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
    }
}
