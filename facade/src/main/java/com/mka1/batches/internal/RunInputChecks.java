package com.mka1.batches.internal;

import com.google.gson.JsonObject;
import com.mka1.batches.jsonl.BatchInputLine;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The checks of {@code BatchRunParams.Builder}: its numbers, its requests and where they come from. */
public final class RunInputChecks {
    private RunInputChecks() {}

    /** @return {@code value}, refused below 1 as {@code "<name> must be at least 1, was <value>"} */
    public static long atLeastOne(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    /**
     * Checks a run's settings at {@code build()}: an endpoint, and requests from exactly one source.
     *
     * @throws IllegalStateException if the endpoint is not set, or the requests were given in none or in more than one way
     */
    public static void runRequests(String endpoint, boolean added, boolean iterable, boolean inputFile) {
        if (endpoint == null) {
            throw new IllegalStateException("endpoint is required but was not set");
        }
        List<String> used = new ArrayList<>();
        if (added) {
            used.add("addRequest");
        }
        if (iterable) {
            used.add("requests(Iterable)");
        }
        if (inputFile) {
            used.add("inputFile");
        }
        if (used.isEmpty()) {
            throw new IllegalStateException("requests are required but none were given:"
                    + " use addRequest, requests(Iterable) or inputFile(Path)");
        }
        if (used.size() > 1) {
            throw new IllegalStateException(
                    "the requests must come from one source, but " + String.join(" and ", used) + " were used");
        }
    }

    /** @return the requests added in code, by custom id, as lines to {@code endpoint}; unmodifiable */
    public static List<BatchInputLine> requestLines(List<Map.Entry<String, JsonObject>> added, String endpoint) {
        List<BatchInputLine> lines = new ArrayList<>(added.size());
        for (Map.Entry<String, JsonObject> request : added) {
            lines.add(BatchInputLine.of(request.getKey(), endpoint, request.getValue()));
        }
        return Collections.unmodifiableList(lines);
    }

    /** @return {@code added} (a new list if null) with one more request of the run, checked as {@link Checks#requestBody} checks it */
    public static List<Map.Entry<String, JsonObject>> addRequest(
            List<Map.Entry<String, JsonObject>> added, String customId, Object body) {
        JsonObject json = Checks.requestBody(customId, body);
        List<Map.Entry<String, JsonObject>> list = added == null ? new ArrayList<>() : added;
        list.add(new AbstractMap.SimpleImmutableEntry<>(customId, json));
        return list;
    }
}
