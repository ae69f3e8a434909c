package io.samplingbroker.broker.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
    void givenABodyOverTheLimit_whenMadeAProblem_thenItIs413NamingTheLimit() {
        ApiProblem problem = ApiProblem.ofFailure(413, null, 16);

        assertThat(problem.status()).isEqualTo(413);
        assertThat(problem.detail()).contains("16 bytes");
    }
}
