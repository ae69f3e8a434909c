package io.samplingbroker.broker.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;

class ApiProblemTest {

    @Test
    void givenTheValidatorsLocation_whenMadeAPointer_thenItIsRfc6901() {
        assertThat(ApiProblem.pointerOf("#/params/messages/0/role")).isEqualTo("/params/messages/0/role");
        assertThat(ApiProblem.pointerOf("#")).isEmpty();
        assertThat(ApiProblem.pointerOf("#/")).isEmpty();
    }

    @Test
    void givenAParameterTheValidatorRefused_whenMadeAProblem_thenItNamesTheParameter() {
        ApiProblem problem = ApiProblem.ofFailure(400, new ValidatorException("The value of query parameter wait is"
                + " invalid. Reason: String does not match pattern", ValidatorErrorType.INVALID_VALUE), 10);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.parameter()).isEqualTo("wait");
        assertThat(problem.toJson().getString("title")).isEqualTo("Invalid request");
    }

    @Test
    void givenTheDispatchersRefusals_whenMadeProblems_thenEachHasItsStatusAndOutcomesAreNone() {
        JsonObject invalid = new JsonObject().put("code", -32602).put("message", "Invalid params")
                .put("data", new JsonObject().put("pointer", "/messages/0/content/text"));
        JsonObject large = new JsonObject().put("code", -32602).put("message", "too large")
                .put("data", new JsonObject().put("size", 3000).put("limit", 2000));
        JsonObject limit = new JsonObject().put("code", -32005).put("message", "too many pending");
        JsonObject denied = new JsonObject().put("code", -1).put("message", "User rejected sampling request");

        assertThat(ApiProblem.ofRefusal(invalid, "r1")).isEqualTo(new ApiProblem(400, "Invalid params",
                "/params/messages/0/content/text", null, "r1"));
        assertThat(ApiProblem.ofRefusal(large, "r2").status()).isEqualTo(413);
        assertThat(ApiProblem.ofRefusal(limit, "r3").status()).isEqualTo(429);
        assertThat(ApiProblem.ofRefusal(denied, "r4")).as("a denial is an outcome, not a refusal").isNull();
    }

    @Test
    void givenABodyOverTheLimit_whenMadeAProblem_thenItIs413NamingTheLimit() {
        ApiProblem problem = ApiProblem.ofFailure(413, null, 16);

        assertThat(problem.status()).isEqualTo(413);
        assertThat(problem.detail()).contains("16 bytes");
    }
}
