/**
 * The JSONL files of a batch: {@link com.mka1.batches.jsonl.BatchInputWriter} and
 * {@link com.mka1.batches.jsonl.BatchInputValidator} for the input,
 * {@link com.mka1.batches.jsonl.BatchResultsReader} for the output and error files (to join
 * results to their requests, {@code batches().run(...)} does it on disk). Everything
 * streams: no file is read whole into memory.
 *
 * <p>Null-marked (JSpecify): no parameter or return value here is null unless its type says
 * {@code @Nullable}.
 */
@NullMarked
package com.mka1.batches.jsonl;

import org.jspecify.annotations.NullMarked;
