/**
 * The client's machinery: <strong>not API</strong>. Classes here are public only so that the
 * API packages can share them; they may change or disappear in any release without notice. Do
 * not use them.
 *
 * <p>What is here: {@link com.mka1.batches.internal.CallEngine} (one decision core, a blocking
 * and an asynchronous driver) with the {@code CallTrace} through which it tells the listeners of
 * a client about each call, {@link com.mka1.batches.internal.ApiCall} and the operations of
 * each resource, response and error mapping, {@code Retry-After} parsing, the one Gson setup,
 * argument checks, the poller behind {@code waitForCompletion},
 * {@link com.mka1.batches.internal.Steps}, the one cancellation primitive, and the batch run
 * behind {@code batches().run(...)}: {@link com.mka1.batches.internal.BatchRun} with its
 * {@link com.mka1.batches.internal.RunManifest} (the work directory's {@code manifest.json} and
 * its format), {@link com.mka1.batches.internal.WorkDir} (the directory's layout, lock and
 * cleanup), the input's validation and split, and the bounded-memory join.
 */
package com.mka1.batches.internal;
