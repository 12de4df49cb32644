/**
 * Watching what a client does: a {@link com.mka1.batches.observability.CallListener} set with
 * {@code Mka1Client.builder().addListener(..)} is told when each call starts, when each of its
 * attempts starts and ends, when a retry is scheduled, and when the call ends — in both modes,
 * blocking and asynchronous. It is the hook metrics, traces and logs hang on: the artifact
 * {@code mka1-batches-micrometer} binds it to Micrometer's Observation API, and the client's own
 * DEBUG line per attempt is written by a listener too.
 *
 * <p>What a listener sees is safe to record anywhere: an operation name of few values
 * ({@code batches.get}, {@code files.upload}, see {@link com.mka1.batches.observability.CallContext#operation()}),
 * the request's method and path, status codes, outcomes, durations, the server's request id and
 * the exception a call failed with — never a request header, so never the API key.
 *
 * <p>Null-marked (JSpecify): no parameter or return value here is null unless its type says
 * {@code @Nullable}.
 */
@NullMarked
package com.mka1.batches.observability;

import org.jspecify.annotations.NullMarked;
