package com.mka1.batches.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations {@link ObservationCallListener} makes, and the key names the
 * {@link DefaultMka1CallObservationConvention} gives them: low-cardinality ones become tags of
 * the timers, high-cardinality ones only span attributes. The names are OpenTelemetry's HTTP
 * client attributes where one exists.
 */
public enum Mka1ClientObservationDocumentation implements ObservationDocumentation {
    /** A whole call: its attempts and the waits between them. */
    CALL {
        @Override
        public String getName() {
            return ObservationCallListener.CALLS;
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {
                HighCardinalityKeyNames.URL_PATH, HighCardinalityKeyNames.REQUEST_ID, HighCardinalityKeyNames.ATTEMPTS
            };
        }
    },

    /** One attempt: one HTTP exchange; a child of its call's observation. */
    ATTEMPT {
        @Override
        public String getName() {
            return ObservationCallListener.ATTEMPTS;
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {
                HighCardinalityKeyNames.URL_PATH, HighCardinalityKeyNames.REQUEST_ID, HighCardinalityKeyNames.ATTEMPT
            };
        }
    },

    /**
     * The wait before a retry, tagged with the retried attempt's status and outcome; a child of
     * its call's observation.
     */
    RETRY {
        @Override
        public String getName() {
            return ObservationCallListener.RETRIES;
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {
                HighCardinalityKeyNames.URL_PATH, HighCardinalityKeyNames.ATTEMPT, HighCardinalityKeyNames.RETRY_DELAY
            };
        }
    };

    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
        return DefaultMka1CallObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
        return LowCardinalityKeyNames.values();
    }

    @Override
    public String getPrefix() {
        return "mka1.client";
    }

    /** Tags: each of few values, never an id. */
    public enum LowCardinalityKeyNames implements KeyName {
        /** The operation: {@code batches.get}, {@code files.upload}, ... (see {@code CallContext}). */
        OPERATION {
            @Override
            public String asString() {
                return "operation";
            }
        },
        /** The HTTP method: {@code GET}, {@code POST}, {@code DELETE}. */
        HTTP_REQUEST_METHOD {
            @Override
            public String asString() {
                return "http.request.method";
            }
        },
        /**
         * The path with each id replaced by its name, such as
         * {@code /api/v1/llm/batches/{batch_id}}; the concrete path is {@code url.path}, a span
         * attribute.
         */
        URL_TEMPLATE {
            @Override
            public String asString() {
                return "url.template";
            }
        },
        /** The host of the client's base URL, {@code unknown} if not known. */
        SERVER_ADDRESS {
            @Override
            public String asString() {
                return "server.address";
            }
        },
        /**
         * The HTTP status ({@code 200}, {@code 404}, ...), or {@code none} when no response
         * arrived. Set when the call or attempt ends.
         */
        HTTP_RESPONSE_STATUS_CODE {
            @Override
            public String asString() {
                return "http.response.status_code";
            }
        },
        /** The {@code CallOutcome}'s name: {@code SUCCESS}, {@code CLIENT_ERROR}, ... Set at the end. */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        },
        /**
         * The exception's fully qualified class name, such as
         * {@code com.mka1.batches.errors.NotFoundException}, or {@code none}. Set at the end.
         */
        ERROR_TYPE {
            @Override
            public String asString() {
                return "error.type";
            }
        }
    }

    /** Span attributes: of many values, never tags. */
    public enum HighCardinalityKeyNames implements KeyName {
        /** The URL path requested, ids included. */
        URL_PATH {
            @Override
            public String asString() {
                return "url.path";
            }
        },
        /** The response's {@code X-Request-ID}, when it has one. */
        REQUEST_ID {
            @Override
            public String asString() {
                return "mka1.request.id";
            }
        },
        /** An attempt's number from 1; for a retry, the attempt it retries. */
        ATTEMPT {
            @Override
            public String asString() {
                return "mka1.attempt";
            }
        },
        /** The attempts a call made. */
        ATTEMPTS {
            @Override
            public String asString() {
                return "mka1.attempts";
            }
        },
        /** A retry's wait, in milliseconds. */
        RETRY_DELAY {
            @Override
            public String asString() {
                return "mka1.retry.delay.ms";
            }
        }
    }
}
