package com.mka1.batches.internal;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One API operation with its arguments checked and bound: which generated Retrofit interface
 * builds its request, how a success response becomes its value, and what may be done on a retry.
 * Immutable unless its {@link BodyReader} keeps state (a download does: it is made per call).
 *
 * @param <T> the value of a success response
 */
public final class ApiCall<T> {
    /** Builds the Retrofit call of the operation; Retrofit turns it into the request on the wire. */
    @FunctionalInterface
    public interface RequestFactory<A> {
        /**
         * @param api the generated interface
         * @param onBehalfOf the {@code X-On-Behalf-Of} of this call, or {@code null}
         * @return the Retrofit call, never executed: only its request is used
         */
        retrofit2.Call<?> create(A api, String onBehalfOf);
    }

    /** Turns a success (2xx) response, or another the call {@linkplain #alsoAnswering answers}, into the value. */
    @FunctionalInterface
    public interface BodyReader<T> {
        /**
         * @param response the response, status 2xx (or one the call answers besides); closed by the
         *     engine afterwards unless the call {@linkplain #keepingResponseOpen() keeps it open}
         * @return the value
         * @throws IOException if the body can't be read: a failed attempt, retried as the call allows
         * @throws com.mka1.batches.errors.Mka1Exception if the body is not what the operation answers: final
         */
        T read(Response response) throws IOException;
    }

    /** A check of a value read from a success body; it throws to refuse it. */
    @FunctionalInterface
    public interface ValueCheck<T> {
        /**
         * @param value the value read
         * @param statusCode the status of the response it was read from
         * @throws com.mka1.batches.errors.InvalidResponseException if the value is not what the operation answers
         */
        void check(T value, int statusCode);
    }

    /** The operation's name for listeners, such as {@code batches.get}: few values, never an id. */
    final String operation;

    final Class<?> api;
    final BodyReader<T> reader;
    /** The {@code Accept} header: JSON for a model, anything for raw content. */
    final String accept;

    final boolean creates;
    final boolean keepsResponseOpen;
    final boolean resendable;
    final UnaryOperator<Request> perAttempt;
    /** Responses besides 2xx that are the operation's answer, for the reader, not an error; or {@code null}. */
    final Predicate<Response> alsoAnswers;

    private final RequestFactory<Object> factory;

    private static final String JSON = "application/json";

    @SuppressWarnings("unchecked")
    private ApiCall(
            String operation,
            Class<?> api,
            RequestFactory<?> factory,
            BodyReader<T> reader,
            String accept,
            boolean creates,
            boolean keepsResponseOpen,
            boolean resendable,
            UnaryOperator<Request> perAttempt,
            Predicate<Response> alsoAnswers) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.api = api;
        this.factory = (RequestFactory<Object>) Objects.requireNonNull(factory, "factory");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.accept = accept;
        this.creates = creates;
        this.keepsResponseOpen = keepsResponseOpen;
        this.resendable = resendable;
        this.perAttempt = perAttempt;
        this.alsoAnswers = alsoAnswers;
    }

    /** An operation that reads or changes something that exists, answering JSON {@code type}: retried freely. */
    public static <A, T> ApiCall<T> of(
            String operation, Class<A> api, Class<T> type, RequestFactory<? super A> factory) {
        return new ApiCall<>(operation, api, factory, json(type), JSON, false, false, true, null, null);
    }

    /** An operation that reads content of any type with its own reader: retried freely. */
    public static <A, T> ApiCall<T> reading(
            String operation, Class<A> api, BodyReader<T> reader, RequestFactory<? super A> factory) {
        return new ApiCall<>(operation, api, factory, reader, "*/*", false, false, true, null, null);
    }

    /**
     * An operation that creates something, answering JSON {@code type}: sent with an
     * {@code Idempotency-Key}, the same on every retry, so a retry can't create it twice.
     */
    public static <A, T> ApiCall<T> creating(
            String operation, Class<A> api, Class<T> type, RequestFactory<? super A> factory) {
        return new ApiCall<>(operation, api, factory, json(type), JSON, true, false, true, null, null);
    }

    /** Reads a JSON body strictly as {@code type}, streamed: see {@link Responses#parse}. */
    public static <T> BodyReader<T> json(Class<T> type) {
        return response -> Responses.parse(response, type);
    }

    /**
     * This call whose value holds the response open (a stream the user reads and closes); if the
     * reader throws, the engine still closes the response.
     */
    public ApiCall<T> keepingResponseOpen() {
        return new ApiCall<>(
                operation, api, factory, reader, accept, creates, true, resendable, perAttempt, alsoAnswers);
    }

    /** This call with a request body that can be sent once only: a failed attempt is never retried. */
    public ApiCall<T> sentOnce() {
        return new ApiCall<>(
                operation, api, factory, reader, accept, creates, keepsResponseOpen, false, perAttempt, alsoAnswers);
    }

    /** This call with each attempt's request passed through {@code change} first (a {@code Range} to resume, say). */
    public ApiCall<T> eachAttempt(UnaryOperator<Request> change) {
        return new ApiCall<>(
                operation,
                api,
                factory,
                reader,
                accept,
                creates,
                keepsResponseOpen,
                resendable,
                Objects.requireNonNull(change),
                alsoAnswers);
    }

    /**
     * This call with the responses {@code answer} accepts, besides 2xx, handed to its reader as the
     * operation's answer instead of being mapped to an error (a download's 416 to a resume from the
     * end of the file, say).
     */
    public ApiCall<T> alsoAnswering(Predicate<Response> answer) {
        return new ApiCall<>(
                operation,
                api,
                factory,
                reader,
                accept,
                creates,
                keepsResponseOpen,
                resendable,
                perAttempt,
                Objects.requireNonNull(answer));
    }

    /**
     * This call with each value passed through {@code check} once read: a value it refuses fails
     * the call as a malformed body does (final, not retried).
     */
    public ApiCall<T> checking(ValueCheck<? super T> check) {
        Objects.requireNonNull(check, "check == null");
        BodyReader<T> read = reader;
        BodyReader<T> checked = response -> {
            T value = read.read(response);
            check.check(value, response.code());
            return value;
        };
        return new ApiCall<>(
                operation,
                api,
                factory,
                checked,
                accept,
                creates,
                keepsResponseOpen,
                resendable,
                perAttempt,
                alsoAnswers);
    }

    /** @return whether {@code response} is an answer for the reader: a 2xx, or one the call accepts besides */
    boolean answers(Response response) {
        return response.isSuccessful() || (alsoAnswers != null && alsoAnswers.test(response));
    }

    retrofit2.Call<?> create(Object apiInstance, String onBehalfOf) {
        return factory.create(apiInstance, onBehalfOf);
    }
}
