package com.mka1.batches.sandbox;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.google.gson.JsonObject;
import com.mka1.batches.models.ErrorDetail;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WireMock extension behind the sandbox's one catch-all stub: records the request, applies
 * an injected fault if one matches, and otherwise lets {@link ApiRouter} answer.
 */
final class SandboxTransformer implements ResponseDefinitionTransformerV2 {
    static final String NAME = "mka1-batches-sandbox";

    private final ApiRouter router;
    private final FaultQueue faults;
    private final RequestLog log;

    SandboxTransformer(ApiRouter router, FaultQueue faults, RequestLog log) {
        this.router = router;
        this.faults = faults;
        this.log = log;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        byte[] body = request.getBody();
        SandboxCall call = new SandboxCall(
                request.getMethod().getName(),
                request.getUrl(),
                name -> {
                    HttpHeader header = request.header(name);
                    return header.isPresent() ? header.firstValue() : null;
                },
                body);
        SandboxOperation operation = call.operation();
        // Taken before the request is logged: a test that has seen the request counted may rely on
        // its fault having been served (pendingFaults() already lower).
        FaultSpec fault = faults.take(operation);
        log.record(new SandboxRequest(operation, call.method, request.getUrl(), headers(request), call.bodyBytes));
        if (fault == null) {
            return router.handle(call).toBuilder().build();
        }
        switch (fault.kind()) {
            case DELAY:
                return router.handle(call).toBuilder()
                        .withFixedDelay((int) fault.delayDuration().toMillis())
                        .build();
            case CUT_BODY:
                return router.handle(call).toBuilder((int) Math.min(fault.amount(), Integer.MAX_VALUE))
                        .build();
            case SLOW_BODY:
                return router.handle(call).toBuilder()
                        .withChunkedDribbleDelay((int) fault.amount(), (int)
                                fault.delayDuration().toMillis())
                        .build();
            case FAULT:
                if (fault.isAfterProcessing()) {
                    router.handle(call);
                }
                return ResponseDefinitionBuilder.responseDefinition()
                        .withFault(fault.transportFault().wireMockFault())
                        .build();
            case STATUS:
            default:
                if (fault.isAfterProcessing()) {
                    router.handle(call);
                }
                return statusReply(fault).toBuilder().build();
        }
    }

    private static HttpReply statusReply(FaultSpec fault) {
        int status = fault.statusCode();
        String body = fault.bodyOrNull();
        if (body == null) {
            JsonObject json = new JsonObject();
            if (status == 429) {
                // The documented rate-limit body: a plain string under "error".
                json.addProperty("error", "Rate limit exceeded");
            } else {
                ErrorDetail detail = new ErrorDetail()
                        .message("Sandbox injected fault: HTTP " + status)
                        .type(status >= 500 ? "server_error" : ApiError.INVALID_REQUEST)
                        .code("sandbox_injected_fault")
                        .param(null);
                json.add("error", Json.GSON.toJsonTree(detail));
            }
            body = Json.GSON.toJson(json);
        }
        HttpReply reply = HttpReply.json(status, body);
        fault.headers().forEach(reply::header);
        return reply;
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpHeader header : request.getHeaders().all()) {
            headers.put(header.key(), header.values());
        }
        return headers;
    }
}
