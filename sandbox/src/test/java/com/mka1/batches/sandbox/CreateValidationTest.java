package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A create with a bad body is a 400 naming the bad field, and creates nothing. */
class CreateValidationTest {
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        sandbox = Mka1Sandbox.builder().clock(SandboxClock.fixed(Fixtures.T0)).start();
        api = new TestApi(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "missing input_file_id | {'endpoint':'/v1/embeddings','completion_window':'24h'} | missing_required_parameter | input_file_id",
                "numeric input_file_id | {'input_file_id':7,'endpoint':'/v1/embeddings','completion_window':'24h'} | invalid_type | input_file_id",
                "blank input_file_id | {'input_file_id':' ','endpoint':'/v1/embeddings','completion_window':'24h'} | invalid_value | input_file_id",
                "missing endpoint | {'input_file_id':'f','completion_window':'24h'} | missing_required_parameter | endpoint",
                "unknown endpoint | {'input_file_id':'f','endpoint':'/v1/completions','completion_window':'24h'} | invalid_value | endpoint",
                "missing completion_window | {'input_file_id':'f','endpoint':'/v1/embeddings'} | missing_required_parameter | completion_window",
                "48h completion_window | {'input_file_id':'f','endpoint':'/v1/embeddings','completion_window':'48h'} | invalid_value | completion_window",
                "metadata not an object | {'input_file_id':'f','endpoint':'/v1/embeddings','completion_window':'24h','metadata':[1]} | invalid_type | metadata",
                "metadata value not a string | {'input_file_id':'f','endpoint':'/v1/embeddings','completion_window':'24h','metadata':{'a':1}} | invalid_type | metadata",
            })
    void badFieldIs400NamingIt(String name, String body, String code, String param) {
        TestApi.Reply reply = api.create(body.replace('\'', '"'));

        assertThat(reply.status).isEqualTo(400);
        assertThat(reply.error().get("type").getAsString()).isEqualTo("invalid_request_error");
        assertThat(reply.errorCode()).isEqualTo(code);
        assertThat(reply.errorParam()).isEqualTo(param);
        assertThat(reply.error().get("message").getAsString()).contains(param);
        assertThat(api.list("").page().getData()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"not json", "[1,2]", "''", "{\"a\":1} trailing"})
    void bodyThatIsNotAJsonObjectIs400(String body) {
        TestApi.Reply reply = api.create(body);
        assertThat(reply.status).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_json");
    }
}
