package com.mka1.batches.micrometer;

import com.mka1.batches.micrometer.Mka1ClientObservationDocumentation.HighCardinalityKeyNames;
import com.mka1.batches.micrometer.Mka1ClientObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tags and span attributes listed in {@link Mka1ClientObservationDocumentation}; extend it
 * to add or change some. Contextual (span) names: {@code mka1 batches.get},
 * {@code mka1 batches.get attempt}, {@code mka1 batches.get retry}.
 *
 * <p>An observation starts with the tags known then (operation, method, URL template, host; a
 * retry also the status, outcome and error type of the attempt it retries), so each timer's
 * {@code .active} long task timer has those; the status, outcome and error type are added when
 * it ends.
 */
public class DefaultMka1CallObservationConvention implements Mka1CallObservationConvention {
    /** The value of a tag with nothing to say: no response, no error, no host. */
    static final String NONE = "none";

    /** A segment after {@code batches} or {@code files}: the id of one. */
    private static final Pattern ID = Pattern.compile("/(batches|files)/[^/]+");

    /** Makes a convention. */
    public DefaultMka1CallObservationConvention() {}

    @Override
    public String getContextualName(Mka1CallObservationContext context) {
        String name = "mka1 " + context.call().operation();
        switch (context.kind()) {
            case ATTEMPT:
                return name + " attempt";
            case RETRY:
                return name + " retry";
            default:
                return name;
        }
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(Mka1CallObservationContext context) {
        String serverAddress = context.call().serverAddress();
        KeyValues known = KeyValues.of(
                LowCardinalityKeyNames.OPERATION.withValue(context.call().operation()),
                LowCardinalityKeyNames.HTTP_REQUEST_METHOD.withValue(
                        context.call().method()),
                LowCardinalityKeyNames.URL_TEMPLATE.withValue(
                        urlTemplate(context.call().path())),
                LowCardinalityKeyNames.SERVER_ADDRESS.withValue(serverAddress == null ? NONE : serverAddress));
        if (context.outcome() == null) {
            return known;
        }
        Throwable failure = context.failure();
        return known.and(
                LowCardinalityKeyNames.HTTP_RESPONSE_STATUS_CODE.withValue(
                        context.statusCode() == 0 ? NONE : Integer.toString(context.statusCode())),
                LowCardinalityKeyNames.OUTCOME.withValue(context.outcome().name()),
                LowCardinalityKeyNames.ERROR_TYPE.withValue(
                        failure == null ? NONE : failure.getClass().getName()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(Mka1CallObservationContext context) {
        KeyValues values = KeyValues.of(
                HighCardinalityKeyNames.URL_PATH.withValue(context.call().path()));
        if (context.requestId() != null) {
            values = values.and(HighCardinalityKeyNames.REQUEST_ID.withValue(context.requestId()));
        }
        switch (context.kind()) {
            case CALL:
                return context.attempts() == 0
                        ? values
                        : values.and(HighCardinalityKeyNames.ATTEMPTS.withValue(Integer.toString(context.attempts())));
            case RETRY:
                values = context.retryDelay() == null
                        ? values
                        : values.and(HighCardinalityKeyNames.RETRY_DELAY.withValue(
                                Long.toString(context.retryDelay().toMillis())));
                return values.and(HighCardinalityKeyNames.ATTEMPT.withValue(Integer.toString(context.attempt())));
            default:
                return values.and(HighCardinalityKeyNames.ATTEMPT.withValue(Integer.toString(context.attempt())));
        }
    }

    /**
     * The path with the id after {@code batches/} or {@code files/} replaced by
     * {@code {batch_id}} or {@code {file_id}}: {@code /api/v1/llm/batches/{batch_id}/cancel}.
     * A base URL's path prefix is kept (one per client).
     */
    static String urlTemplate(String path) {
        Matcher id = ID.matcher(path);
        StringBuffer template = new StringBuffer(path.length());
        while (id.find()) {
            id.appendReplacement(template, "/$1/{" + (id.group(1).equals("batches") ? "batch" : "file") + "_id}");
        }
        return id.appendTail(template).toString();
    }
}
