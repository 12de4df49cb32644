/**
 * What the client throws: all unchecked, all {@link com.mka1.batches.errors.Mka1Exception}s.
 * {@link com.mka1.batches.errors.ApiException} and one subclass per common HTTP error status;
 * {@link com.mka1.batches.errors.Mka1IoException} when no response arrived (its subclass
 * {@link com.mka1.batches.errors.Mka1TimeoutException} names the timeout that fired); and
 * {@link com.mka1.batches.errors.LocalFileException} when a file on this machine can't be used;
 * {@link com.mka1.batches.errors.InvalidResponseException},
 * {@link com.mka1.batches.errors.WaitTimeoutException} and
 * {@link com.mka1.batches.errors.JsonlFormatException}.
 *
 * <p>Null-marked (JSpecify): no parameter or return value here is null unless its type says
 * {@code @Nullable}.
 */
@NullMarked
package com.mka1.batches.errors;

import org.jspecify.annotations.NullMarked;
