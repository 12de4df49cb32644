/**
 * The client's calls as Micrometer observations: {@link com.mka1.batches.micrometer.ObservationCallListener}
 * turns what a {@code CallListener} hears into observations of each call, each attempt and each
 * retry's wait; the handlers of the {@code ObservationRegistry} make metrics and spans of them.
 * The names and tags are listed on the class.
 */
package com.mka1.batches.micrometer;
