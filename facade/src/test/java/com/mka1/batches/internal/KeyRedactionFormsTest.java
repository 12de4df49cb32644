package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ProtocolException;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

/** The forms of the key that {@link KeyRedaction} finds, and what it leaves alone. */
class KeyRedactionFormsTest {
    private static final String KEY = "k3y/with+odd=chars\"and\\more";
    private final KeyRedaction redaction = KeyRedaction.of(KEY);

    @Test
    void theKeyItsBearerPercentEncodedAndJsonFormsAreRemoved() {
        String text = "a " + KEY + " b Bearer " + KEY + " c k3y%2Fwith%2Bodd%3Dchars%22and%5Cmore"
                + " d k3y%2fwith%2bodd%3dchars%22and%5cmore e k3y/with+odd=chars\\\"and\\\\more"
                + " f k3y\\/with+odd=chars\\\"and\\\\more";

        assertThat(redaction.apply(text))
                .isEqualTo("a [redacted] b Bearer [redacted] c [redacted] d [redacted]" + " e [redacted] f [redacted]");
    }

    @Test
    void textWithoutTheKeyIsReturnedAsItIs() {
        String text = "k3y/with+odd=chars but not the rest";
        Headers headers = Headers.of("X-Request-ID", "req_1");

        assertThat(redaction.apply(text)).isSameAs(text);
        assertThat(redaction.apply(headers)).isSameAs(headers);
        assertThat(redaction.apply((String) null)).isNull();
    }

    @Test
    void aKeyCutOffAtTheEndOfAStartIsRemovedFromItsEighthCharacterOn() {
        assertThat(redaction.applyToStart("body: " + KEY.substring(0, 12))).isEqualTo("body: [redacted]");
        assertThat(redaction.applyToStart("body: " + KEY.substring(0, 7))).isEqualTo("body: " + KEY.substring(0, 7));
        assertThat(redaction.applyToStart("body: " + KEY + " and more")).isEqualTo("body: [redacted] and more");
    }

    @Test
    void aKeyShorterThanEightCharactersIsNotLookedFor() {
        assertThat(KeyRedaction.of("a-test").apply("a-test of messages")).isEqualTo("a-test of messages");
        assertThat(KeyRedaction.of("12345678").apply("id 12345678")).isEqualTo("id [redacted]");
    }

    @Test
    void anIoExceptionQuotingTheKeyIsReplacedByOneWithoutItOrItsCauses() {
        ProtocolException quoting = new ProtocolException("Unexpected status line: HTTP/1.1 200 " + KEY);
        IOException plain = new IOException("connection reset");

        IOException clean = redaction.apply(new IOException("wrapped", quoting));

        assertThat(clean.getMessage()).doesNotContain(KEY).contains("wrapped");
        assertThat(clean.getCause()).isNull();
        assertThat(redaction.apply(plain)).isSameAs(plain);
    }
}
