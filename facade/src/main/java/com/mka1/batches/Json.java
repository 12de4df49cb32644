package com.mka1.batches;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.CreateBatchRequest;
import java.io.IOException;

/** The one Gson configuration of the library: immutable, thread-safe, shared by every client. */
final class Json {
    static final Gson GSON = new GsonBuilder()
            .registerTypeAdapterFactory(new RawEndpointFactory())
            .disableHtmlEscaping()
            .create();

    private Json() {
    }

    /** Builds the generated request model for {@code params}, keeping an endpoint the enum lacks. */
    static CreateBatchRequest createRequest(CreateBatchParams params) {
        BatchEndpoint known = BatchEndpoint.fromValue(params.endpoint());
        CreateBatchRequest request = known == BatchEndpoint.UNKNOWN_DEFAULT_OPEN_API
                ? new RawEndpointRequest(params.endpoint())
                : new CreateBatchRequest().endpoint(known);
        return request.inputFileId(params.inputFileId())
                .completionWindow(params.completionWindow())
                .metadata(params.metadata());
    }

    /** A create request whose endpoint is newer than {@link BatchEndpoint}. */
    private static final class RawEndpointRequest extends CreateBatchRequest {
        final String rawEndpoint;

        RawEndpointRequest(String rawEndpoint) {
            this.rawEndpoint = rawEndpoint;
        }
    }

    /** Writes a {@link RawEndpointRequest} like any request, with its endpoint string verbatim. */
    private static final class RawEndpointFactory implements TypeAdapterFactory {
        @Override
        @SuppressWarnings("unchecked")
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            if (type.getRawType() != CreateBatchRequest.class) {
                return null;
            }
            TypeAdapter<CreateBatchRequest> delegate =
                    gson.getDelegateAdapter(this, TypeToken.get(CreateBatchRequest.class));
            TypeAdapter<JsonElement> elements = gson.getAdapter(JsonElement.class);
            return (TypeAdapter<T>) new TypeAdapter<CreateBatchRequest>() {
                @Override
                public void write(JsonWriter out, CreateBatchRequest value) throws IOException {
                    if (!(value instanceof RawEndpointRequest)) {
                        delegate.write(out, value);
                        return;
                    }
                    JsonObject tree = delegate.toJsonTree(value).getAsJsonObject();
                    tree.addProperty(CreateBatchRequest.SERIALIZED_NAME_ENDPOINT, ((RawEndpointRequest) value).rawEndpoint);
                    elements.write(out, tree);
                }

                @Override
                public CreateBatchRequest read(JsonReader in) throws IOException {
                    return delegate.read(in);
                }
            };
        }
    }
}
