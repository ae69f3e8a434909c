package io.samplingbroker.modelworker.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;

import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderFailure;

/**
 * Responses API bodies the mapper must refuse as {@code PROVIDER_BAD_RESPONSE} (the documented ones are mapped in
 * {@link ResponsesApiTest}, over HTTP).
 */
class ResponsesResponseMapperTest {

    @Test
    void givenANullOutputItem_whenMapped_thenTheAnswerIsABadResponse() {
        // the SDK reads "output":[null] as a list holding null: the mapper threw NullPointerException
        assertBadResponse("""
                {"id":"resp_1","object":"response","created_at":1,"status":"completed","model":"gpt-4.1",
                 "output":[null]}
                """, "null output item");
    }

    @Test
    void givenAMessageWithNullContent_whenMapped_thenTheAnswerIsABadResponse() {
        assertBadResponse("""
                {"id":"resp_1","object":"response","created_at":1,"status":"completed","model":"gpt-4.1",
                 "output":[{"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[null]}]}
                """, "null content");
    }

    private static void assertBadResponse(String json, String reason) {
        assertThatThrownBy(() -> ResponsesResponseMapper.toAnswer(ObjectMappers.jsonMapper().readValue(json,
                Response.class)))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo(FailureCode.PROVIDER_BAD_RESPONSE))
                .hasMessageContaining(reason);
    }
}
