package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchEndpoint;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The params, options and retry policy builders check their input and build immutable values. */
class ParamsTest {

    private static CreateBatchParams.Builder chat() {
        return CreateBatchParams.builder().inputFileId("file_abc123").endpoint(BatchEndpoint.CHAT_COMPLETIONS);
    }

    // CreateBatchParams

    @Test
    void createParamsNameTheMissingRequiredField() {
        assertThatThrownBy(() -> CreateBatchParams.builder()
                        .endpoint(BatchEndpoint.EMBEDDINGS)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inputFileId");
        assertThatThrownBy(
                        () -> CreateBatchParams.builder().inputFileId("file_1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("endpoint");
    }

    @Test
    void createParamsRefuseNullAndBlankNamingTheParameter() {
        CreateBatchParams.Builder b = CreateBatchParams.builder();
        assertThatThrownBy(() -> b.inputFileId(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("inputFileId");
        assertThatThrownBy(() -> b.inputFileId(" \t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputFileId");
        assertThatThrownBy(() -> b.endpoint((BatchEndpoint) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("endpoint");
        assertThatThrownBy(() -> b.endpoint((String) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("endpoint");
        assertThatThrownBy(() -> b.endpoint(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint");
        assertThatThrownBy(() -> b.endpoint("v1/chat/completions"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint");
        assertThatThrownBy(() -> b.completionWindow(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("completionWindow");
        assertThatThrownBy(() -> b.completionWindow(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completionWindow");
        assertThatThrownBy(() -> b.metadata(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("metadata");
        assertThatThrownBy(() -> b.putMetadata(null, "v"))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("metadata key");
        assertThatThrownBy(() -> b.putMetadata("k", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'k'");
    }

    @Test
    void anEndpointNewerThanTheLibraryIsSentAsGivenAndCheckedAsAPath() {
        assertThat(chat().endpoint(BatchEndpoint.of("/v1/responses")).build().endpoint())
                .isEqualTo("/v1/responses");
        assertThatThrownBy(() -> CreateBatchParams.builder().endpoint(BatchEndpoint.of("v1/responses")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint");
    }

    @Test
    void createParamsDefaultsAndValues() {
        CreateBatchParams params = chat().build();

        assertThat(params.inputFileId()).isEqualTo("file_abc123");
        assertThat(params.endpoint()).isEqualTo("/v1/chat/completions");
        assertThat(params.completionWindow()).isEqualTo("24h").isEqualTo(CreateBatchParams.DEFAULT_COMPLETION_WINDOW);
        assertThat(params.metadata()).isNull();
        assertThat(CreateBatchParams.builder()
                        .inputFileId("f")
                        .endpoint("/v1/responses")
                        .build()
                        .endpoint())
                .isEqualTo("/v1/responses");
    }

    @Test
    void metadataIsCopiedAndUnmodifiable() {
        Map<String, String> source = new HashMap<>(Map.of("team", "search"));
        CreateBatchParams.Builder builder = chat().metadata(source);
        CreateBatchParams params = builder.build();

        source.put("leaked", "yes");
        builder.putMetadata("later", "also not");

        assertThat(params.metadata()).containsOnly(Map.entry("team", "search"));
        assertThatThrownBy(() -> params.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(builder.build().metadata()).containsOnlyKeys("team", "later");
    }

    @Test
    void metadataReplacesAndPutAdds() {
        CreateBatchParams params = chat().putMetadata("a", "1")
                .metadata(Map.of("b", "2"))
                .putMetadata("c", "3")
                .build();

        assertThat(params.metadata()).containsExactly(Map.entry("b", "2"), Map.entry("c", "3"));
    }

    @Test
    void createParamsToBuilderRoundTrip() {
        CreateBatchParams original =
                chat().completionWindow("48h").putMetadata("a", "1").build();

        CreateBatchParams copy = original.toBuilder().build();
        CreateBatchParams changed = original.toBuilder()
                .putMetadata("b", "2")
                .endpoint(BatchEndpoint.EMBEDDINGS)
                .build();

        assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(changed).isNotEqualTo(original);
        assertThat(original.metadata()).containsOnlyKeys("a");
        assertThat(original.endpoint()).isEqualTo("/v1/chat/completions");
    }

    // BatchRunParams

    @Test
    void aRunRequestBodyMustBeAJsonObjectAndIsCopiedWhenAdded() {
        BatchRunParams.Builder b = BatchRunParams.builder().endpoint(BatchEndpoint.EMBEDDINGS);
        String hint = " (pass a JsonObject, a Map, or an object Gson maps to a JSON object)";
        assertThatThrownBy(() -> b.addRequest("a", "text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the body of request 'a' must be a JSON object, was a string" + hint);
        assertThatThrownBy(() -> b.addRequest("a", 3))
                .hasMessage("the body of request 'a' must be a JSON object, was a number" + hint);
        assertThatThrownBy(() -> b.addRequest("a", true))
                .hasMessage("the body of request 'a' must be a JSON object, was a boolean" + hint);
        assertThatThrownBy(() -> b.addRequest("a", List.of(1)))
                .hasMessage("the body of request 'a' must be a JSON object, was an array" + hint);
        assertThatThrownBy(() -> b.addRequest("a", JsonNull.INSTANCE))
                .hasMessage("the body of request 'a' must be a JSON object, was null" + hint);
        assertThatThrownBy(() -> b.addRequest(" ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("customId must not be blank");
        assertThatThrownBy(() -> b.addRequest("a", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("body == null");

        JsonObject body = new JsonObject();
        body.addProperty("input", "x");
        b.addRequest("a", body).addRequest("b", Map.of("input", "y"));
        body.addProperty("input", "changed after addRequest");
        BatchRunParams params = b.build();

        assertThat(params.requests())
                .extracting(
                        line -> line.customId() + "=" + line.body().get("input").getAsString())
                .containsExactly("a=x", "b=y");
    }

    // ListBatchesParams

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 101, Integer.MAX_VALUE})
    void limitOutsideOneToHundredIsRefused(int limit) {
        assertThatThrownBy(() -> ListBatchesParams.builder().limit(limit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit")
                .hasMessageContaining(String.valueOf(limit));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 20, 100})
    void limitWithinOneToHundredIsKept(int limit) {
        assertThat(ListBatchesParams.builder().limit(limit).build().limit()).isEqualTo(limit);
    }

    @Test
    void afterRefusesNullAndBlank() {
        assertThatThrownBy(() -> ListBatchesParams.builder().after(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("after");
        assertThatThrownBy(() -> ListBatchesParams.builder().after(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after");
    }

    @Test
    void listParamsNoneAndToBuilder() {
        assertThat(ListBatchesParams.none().after()).isNull();
        assertThat(ListBatchesParams.none().limit()).isNull();
        ListBatchesParams params =
                ListBatchesParams.builder().after("batch_1").limit(5).build();
        assertThat(params.toBuilder().build()).isEqualTo(params).hasSameHashCodeAs(params);
        ListBatchesParams next = params.toBuilder().after("batch_2").build();
        assertThat(next.after()).isEqualTo("batch_2");
        assertThat(next.limit()).isEqualTo(5);
        assertThat(params.after()).isEqualTo("batch_1");
    }

    // ListFilesParams

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 10_001, Integer.MAX_VALUE})
    void fileLimitOutsideOneToTenThousandIsRefused(int limit) {
        assertThatThrownBy(() -> ListFilesParams.builder().limit(limit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 10000, was " + limit);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 10_000})
    void fileLimitWithinOneToTenThousandIsKept(int limit) {
        assertThat(ListFilesParams.builder().limit(limit).build().limit()).isEqualTo(limit);
    }

    @Test
    void listFilesParamsNoneSetNothingAndToBuilderCopiesEveryField() {
        ListFilesParams none = ListFilesParams.none();
        assertThat(none.after()).isNull();
        assertThat(none.limit()).isNull();
        assertThat(none.order()).isNull();
        assertThat(none.purpose()).isNull();
        ListFilesParams params = ListFilesParams.builder()
                .after("file-1")
                .limit(5)
                .order(ListFilesParams.Order.ASC)
                .purpose(com.mka1.batches.models.FilePurpose.EVALS)
                .build();
        assertThat(params.toBuilder().build())
                .isEqualTo(params)
                .hasSameHashCodeAs(params)
                .hasToString("ListFilesParams{after=file-1, limit=5, order=ASC, purpose=evals}");
        ListFilesParams next = params.toBuilder().after("file-2").build();
        assertThat(next).isNotEqualTo(params);
        assertThat(next.after()).isEqualTo("file-2");
        assertThat(next.limit()).isEqualTo(5);
        assertThat(next.order()).isEqualTo(ListFilesParams.Order.ASC);
        assertThat(next.purpose()).isEqualTo(com.mka1.batches.models.FilePurpose.EVALS);
        assertThat(params.after()).isEqualTo("file-1");
    }

    // RequestOptions

    @Test
    void headerValuesWithCrOrLfAreRefused() {
        RequestOptions.Builder b = RequestOptions.builder();
        assertThatThrownBy(() -> b.header("X-Trace", "a\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X-Trace");
        assertThatThrownBy(() -> b.header("X-Trace", "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.onBehalfOf("user\r\n1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("onBehalfOf");
        assertThatThrownBy(() -> b.idempotencyKey("k\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idempotencyKey");
        assertThatThrownBy(() -> Mka1Client.builder()
                        .requestOptions(
                                RequestOptions.builder().onBehalfOf("u\n2").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("onBehalfOf");
    }

    @Test
    void badHeaderNamesAndNullsAreRefused() {
        RequestOptions.Builder b = RequestOptions.builder();
        assertThatThrownBy(() -> b.header("X Trace", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header name");
        assertThatThrownBy(() -> b.header("X-Trace:", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.header(null, "1"))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("header name");
        assertThatThrownBy(() -> b.header("X-Trace", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("X-Trace");
        assertThatThrownBy(() -> b.onBehalfOf(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("onBehalfOf");
        assertThatThrownBy(() -> b.onBehalfOf(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("onBehalfOf");
        assertThatThrownBy(() -> b.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> b.readTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readTimeout");
        assertThatThrownBy(() -> b.retryPolicy(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("retryPolicy");
    }

    /** Params are values: equal when every field is, with a toString naming each. */
    @Test
    void listBatchesParamsAreValues() {
        ListBatchesParams params =
                ListBatchesParams.builder().after("batch_1").limit(5).build();

        assertThat(params)
                .isEqualTo(ListBatchesParams.builder().after("batch_1").limit(5).build())
                .hasSameHashCodeAs(
                        ListBatchesParams.builder().after("batch_1").limit(5).build())
                .isNotEqualTo(
                        ListBatchesParams.builder().after("batch_2").limit(5).build())
                .isNotEqualTo(
                        ListBatchesParams.builder().after("batch_1").limit(6).build())
                .isNotEqualTo(ListBatchesParams.none())
                .isNotEqualTo("ListBatchesParams{after=batch_1, limit=5}")
                .hasToString("ListBatchesParams{after=batch_1, limit=5}");
        assertThat(params.hashCode()).isNotEqualTo(ListBatchesParams.none().hashCode());
        assertThat(ListBatchesParams.none())
                .isEqualTo(ListBatchesParams.builder().build())
                .hasToString("ListBatchesParams{after=null, limit=null}");
    }

    @Test
    void listFilesParamsAreValues() {
        ListFilesParams params = ListFilesParams.builder()
                .after("file-1")
                .limit(5)
                .order(ListFilesParams.Order.ASC)
                .purpose(com.mka1.batches.models.FilePurpose.BATCH)
                .build();

        assertThat(params)
                .isEqualTo(params.toBuilder().build())
                .hasSameHashCodeAs(params.toBuilder().build())
                .isNotEqualTo(params.toBuilder().after("file-2").build())
                .isNotEqualTo(params.toBuilder().limit(6).build())
                .isNotEqualTo(
                        params.toBuilder().order(ListFilesParams.Order.DESC).build())
                .isNotEqualTo(params.toBuilder()
                        .purpose(com.mka1.batches.models.FilePurpose.EVALS)
                        .build())
                .isNotEqualTo(params.toString())
                .hasToString("ListFilesParams{after=file-1, limit=5, order=ASC, purpose=batch}");
        assertThat(params.hashCode())
                .isNotEqualTo(params.toBuilder().limit(6).build().hashCode());
    }

    @Test
    void createBatchParamsAreValues() {
        CreateBatchParams params = CreateBatchParams.builder()
                .inputFileId("file-1")
                .endpoint(BatchEndpoint.EMBEDDINGS)
                .putMetadata("k", "v")
                .build();

        assertThat(params)
                .isEqualTo(params.toBuilder().build())
                .hasSameHashCodeAs(params.toBuilder().build())
                .isNotEqualTo(params.toBuilder().inputFileId("file-2").build())
                .isNotEqualTo(params.toBuilder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .build())
                .isNotEqualTo(params.toBuilder().completionWindow("48h").build())
                .isNotEqualTo(params.toBuilder().putMetadata("k", "w").build())
                .isNotEqualTo(params.toString())
                .hasToString(
                        "CreateBatchParams{inputFileId=file-1, endpoint=/v1/embeddings, completionWindow=24h, metadata={k=v}}");
        assertThat(params.hashCode())
                .isNotEqualTo(params.toBuilder().inputFileId("file-2").build().hashCode());
    }

    /** A header name is a token: every visible ASCII character but the separators. */
    @Test
    void headerNamesAreTokens() {
        RequestOptions.Builder b = RequestOptions.builder();
        for (String name : List.of("X-Trace\u007f", "(X-Trace", "X-Trace)", "X{Trace", "X-Tr\u00e9ce", "X-Trace\t")) {
            assertThatThrownBy(() -> b.header(name, "1"))
                    .as(name)
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("contains a character not allowed in an HTTP header name at index");
        }
        assertThatThrownBy(() -> b.header("X-Trace\r\nX-Forged", "1"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "header name 'X-Trace\\r\\nX-Forged' contains a character not allowed in an HTTP header name"
                                + " at index 7");
        RequestOptions options = b.header("!#$%&'*+-.^_`|~09AZaz", "1").build();
        assertThat(options.headers()).containsEntry("!#$%&'*+-.^_`|~09AZaz", "1");
    }

    /** A header value may hold tabs and Latin-1 text, not other control characters nor anything past U+00FF. */
    @Test
    void headerValuesAreVisibleLatin1TextAndTabs() {
        RequestOptions.Builder b = RequestOptions.builder();
        for (String value : List.of("a\u0001b", "a\u001fb", "a\u007fb", "a\u0100b", "a\u20acb")) {
            assertThatThrownBy(() -> b.header("X-Trace", value))
                    .as(value)
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "value of header X-Trace contains a character not allowed in an HTTP header (code point "
                                    + (int) value.charAt(1) + " at index 1)");
        }
        RequestOptions options =
                b.header("X-Trace", "a b\tc ~\u00a0\u00e9\u00ff").build();
        assertThat(options.headers()).containsEntry("X-Trace", "a b\tc ~\u00a0\u00e9\u00ff");
    }

    @Test
    void requestOptionsAreImmutableAndRoundTrip() {
        RequestOptions.Builder builder = RequestOptions.builder()
                .onBehalfOf("user_1")
                .header("X-Trace", "1")
                .timeout(Duration.ofSeconds(5))
                .idempotencyKey("key-1")
                .maxRetries(4);
        RequestOptions options = builder.build();
        builder.header("X-Other", "2");

        assertThat(options.headers()).containsOnlyKeys("X-Trace");
        assertThatThrownBy(() -> options.headers().put("X-Evil", "1"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
        assertThat(options.maxRetries()).isEqualTo(4);
        assertThat(options.retryPolicy())
                .as("maxRetries alone sets no whole policy")
                .isNull();
        assertThat(RequestOptions.none().onBehalfOf()).isNull();
        assertThat(RequestOptions.none().headers()).isEmpty();
    }

    @Test
    // equals with an object of another type is what is tested.
    @SuppressWarnings("EqualsIncompatibleType")
    void requestOptionsAreEqualOnlyWithEveryFieldEqual() {
        RequestOptions options = RequestOptions.builder()
                .onBehalfOf("user_1")
                .header("X-Trace", "1")
                .timeout(Duration.ofSeconds(5))
                .attemptTimeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(3))
                .writeTimeout(Duration.ofSeconds(4))
                .idempotencyKey("key-1")
                .maxRetries(4)
                .build();

        assertThat(options.equals(options)).isTrue();
        assertThat(options.equals(options.toBuilder().build())).isTrue();
        assertThat(options.equals(null)).isFalse();
        assertThat(options.equals("RequestOptions")).isFalse();
        assertThat(options.equals(RequestOptions.none())).isFalse();
        assertThat(options.equals(options.toBuilder().onBehalfOf("user_2").build()))
                .isFalse();
        assertThat(options.equals(options.toBuilder().header("X-Trace", "2").build()))
                .isFalse();
        assertThat(options.equals(
                        options.toBuilder().timeout(Duration.ofSeconds(6)).build()))
                .isFalse();
        assertThat(options.equals(options.toBuilder()
                        .attemptTimeout(Duration.ofSeconds(3))
                        .build()))
                .isFalse();
        assertThat(options.equals(options.toBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build()))
                .isFalse();
        assertThat(options.equals(
                        options.toBuilder().readTimeout(Duration.ofSeconds(4)).build()))
                .isFalse();
        assertThat(options.equals(
                        options.toBuilder().writeTimeout(Duration.ofSeconds(5)).build()))
                .isFalse();
        assertThat(options.equals(options.toBuilder().maxRetries(3).build())).isFalse();
        assertThat(options.equals(options.toBuilder().idempotencyKey("key-2").build()))
                .isFalse();
        assertThat(options.hashCode())
                .isEqualTo(options.toBuilder().build().hashCode())
                .as("options that differ hash apart")
                .isNotEqualTo(RequestOptions.none().hashCode());
    }

    @Test
    void aHeaderSetTwiceInAnyCaseKeepsTheLastValue() {
        RequestOptions options = RequestOptions.builder()
                .header("X-Trace", "1")
                .header("x-trace", "2")
                .build();

        assertThat(options.headers()).hasSize(1).containsValue("2");
        assertThat(options.headers().get("X-TRACE")).isEqualTo("2");
    }

    @Test
    void requestOptionsToStringLeavesHeaderValuesOut() {
        RequestOptions options =
                RequestOptions.builder().header("X-Api-Secret", "s3cr3t-value").build();

        assertThat(options.toString()).contains("X-Api-Secret").doesNotContain("s3cr3t-value");
    }

    // RetryPolicy

    @Test
    void retryPolicyDefaults() {
        RetryPolicy defaults = RetryPolicy.defaults();

        assertThat(defaults.maxRetries()).isEqualTo(2);
        assertThat(defaults.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(8));
        assertThat(defaults.multiplier()).isEqualTo(2.0);
        assertThat(defaults.jitter()).isEqualTo(0.25);
        assertThat(defaults.maxElapsedTime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryPolicy.builder().build()).isEqualTo(defaults);
    }

    @Test
    void retryPolicyRefusesBadValues() {
        RetryPolicy.Builder b = RetryPolicy.builder();
        assertThatThrownBy(() -> b.maxRetries(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> b.maxRetries(101))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> b.multiplier(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> b.multiplier(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> b.multiplier(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.jitter(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> b.jitter(-0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> b.initialBackoff(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> b.initialBackoff(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> b.maxElapsedTime(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxElapsedTime");
        assertThatThrownBy(() -> RetryPolicy.builder()
                        .initialBackoff(Duration.ofSeconds(10))
                        .maxBackoff(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxBackoff");
    }

    @Test
    void retryPolicyAcceptsTheEndsOfEachRange() {
        RetryPolicy widest = RetryPolicy.builder()
                .maxRetries(100)
                .multiplier(1.0)
                .jitter(1.0)
                .initialBackoff(Duration.ofSeconds(2))
                .maxBackoff(Duration.ofSeconds(2))
                .retryableStatuses(Set.of(400, 599))
                .build();
        RetryPolicy narrowest = RetryPolicy.builder().maxRetries(0).jitter(0.0).build();

        assertThat(widest.maxRetries()).isEqualTo(100);
        assertThat(widest.multiplier()).isEqualTo(1.0);
        assertThat(widest.jitter()).isEqualTo(1.0);
        assertThat(widest.maxBackoff())
                .as("maxBackoff may equal initialBackoff")
                .isEqualTo(widest.initialBackoff());
        assertThat(widest.retryableStatuses().contains(400)).isTrue();
        assertThat(widest.retryableStatuses().contains(599)).isTrue();
        assertThat(narrowest.maxRetries()).isZero();
        assertThat(narrowest.jitter()).isZero();
    }

    @Test
    // equals with an object of another type is what is tested.
    @SuppressWarnings("EqualsIncompatibleType")
    void retryPolicyEqualityAndText() {
        RetryPolicy policy = RetryPolicy.builder().maxRetries(5).jitter(0).build();
        RetryPolicy same = RetryPolicy.builder().maxRetries(5).jitter(0).build();

        assertThat(policy.equals(policy)).isTrue();
        assertThat(policy.equals(same)).isTrue();
        assertThat(policy.hashCode()).isEqualTo(same.hashCode());
        assertThat(policy.equals(null)).isFalse();
        assertThat(policy.equals("RetryPolicy")).isFalse();
        assertThat(policy.equals(policy.toBuilder().maxRetries(4).build())).isFalse();
        assertThat(policy.equals(policy.toBuilder().jitter(0.5).build())).isFalse();
        assertThat(policy.equals(
                        policy.toBuilder().retryableStatuses(Set.of(503)).build()))
                .isFalse();
        assertThat(policy.hashCode())
                .as("policies that differ hash apart")
                .isNotEqualTo(policy.toBuilder().maxRetries(4).build().hashCode());
        assertThat(policy.toString())
                .startsWith("RetryPolicy{maxRetries=5, initialBackoff=PT0.5S")
                .contains("jitter=0.0")
                .contains("retryableStatuses=");
    }

    @Test
    void retryPolicyToBuilderRoundTrip() {
        RetryPolicy policy = RetryPolicy.builder()
                .maxRetries(5)
                .initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(30))
                .multiplier(3)
                .jitter(0)
                .maxElapsedTime(Duration.ofMinutes(2))
                .build();

        assertThat(policy.toBuilder().build()).isEqualTo(policy).hasSameHashCodeAs(policy);
        assertThat(policy.toBuilder().maxRetries(1).build()).isNotEqualTo(policy);
        assertThat(policy.maxRetries()).isEqualTo(5);
    }
}
