package io.samplingbroker.broker.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.schemas.testing.JsonPointers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;

/**
 * Coverage-guided: any body a host posts to {@code POST /v1/sampling}, validated as the API's routes validate it (the
 * broker's own OpenAPI document, Vert.x's validator, the raw bytes; Vert.x has no public way to build the request it
 * validates outside a server, so its own {@code impl} classes build it), then read as the API reads it. A body is refused with a 400
 * problem (the document's, or the broker's own rules: no {@code task}, no {@code ttlMs} over the limit, params that
 * break the MCP schema), or it becomes a request the dispatcher can take: a server, params it reads, a wait of at least
 * a second and at most the broker's limit, the params as the body's strict reading has them (Vert.x, which the
 * validation uses, also takes comments: such a body is refused). Any exception other than the documented refusals is
 * a finding.
 */
class DelegationBodyFuzzTest {

    private static final Duration LONGEST_TTL = Duration.ofHours(1);
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    private static Vertx vertx;
    private static RequestValidator validator;

    @BeforeAll
    static void readTheDocument() throws Exception {
        vertx = Vertx.vertx();
        validator = RequestValidator.create(vertx, DelegationApi.contract(vertx, DelegationApi.readDocument().encode())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void givenAWellFormedBody_whenValidated_thenItPassesSoTheFuzzTestReachesTheReading() throws Exception {
        Buffer body = Buffer.buffer("{\"server\":\"my-server\",\"ttlMs\":60000,\"params\":{\"messages\":[{\"role\":"
                + "\"user\",\"content\":{\"type\":\"text\",\"text\":\"Hello\"}}],\"maxTokens\":100}}");

        validator.validate(new ValidatableRequestImpl(Map.of(), Map.of(), Map.of(), Map.of(),
                new RequestParameterImpl(body), "application/json"), "createSampling").toCompletionStage()
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(DelegationBody.of(body.toJsonObject(), DelegationBody.exact(body.toString()), DEFAULT_WAIT)
                .waitFor()).isEqualTo(Duration.ofMinutes(1));
    }

    @DictionaryEntries({"\"server\"", "\"params\"", "\"session\"", "\"triggeringCall\"", "\"protocolVersion\"",
        "\"ttlMs\"", "\"task\"", "\"messages\"", "\"maxTokens\"", "\"role\"", "\"content\"", "\"type\"", "\"text\"",
        "\"2025-11-25\"", "3600001", "999"})
    @FuzzTest
    void givenAnyDelegationBody_whenValidatedAndRead_thenAProblemOrARequestTheDispatcherTakes(byte[] input)
            throws InterruptedException, TimeoutException {
        Buffer raw = Buffer.buffer(input);
        try {
            validator.validate(new ValidatableRequestImpl(Map.of(), Map.of("Content-Type",
                    new RequestParameterImpl("application/json")), Map.of(), Map.of(), new RequestParameterImpl(raw),
                    "application/json"), "createSampling").toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
        } catch (ExecutionException refused) {
            ApiProblem problem = ApiProblem.ofFailure(400, refused.getCause(), 1024);
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.detail()).isNotBlank();
            if (problem.pointer() != null) {
                assertThat(problem.pointer()).matches(JsonPointers.RFC_6901);
            }
            return;
        }
        // what the route then reads, as DelegationApi does (ctx.body().asString(), then ctx.body().asJsonObject())
        JsonNode exact;
        try {
            exact = DelegationBody.exact(raw.toString());
        } catch (InvalidSamplingJsonException notStrictJson) {
            assertThat(notStrictJson.pointer()).isEmpty(); // the API's 400 "Invalid request body: /: ..."
            return;
        }
        JsonObject body = raw.toJsonObject();
        ApiProblem broken = DelegationBody.check(exact, LONGEST_TTL);
        if (broken != null) {
            assertThat(broken.status()).isEqualTo(400);
            assertThat(broken.pointer()).isIn("/params/task", "/ttlMs");
            return;
        }
        DelegationBody request = DelegationBody.of(body, exact, DEFAULT_WAIT);
        assertThat(request.server()).matches("[A-Za-z0-9._-]{1,100}");
        assertThat(request.waitFor()).isBetween(Duration.ofSeconds(1), LONGEST_TTL);
        assertThat(McpJson.parse(request.paramsJson())).as("the params as the host wrote them")
                .isEqualTo(exact.path("params").isObject() ? exact.get("params") : McpJson.parse("{}"));
        try {
            SamplingParamsJson.fromJson(McpJson.parse(request.paramsJson()));
        } catch (InvalidSamplingJsonException invalid) {
            // the dispatcher's -32602, which the API answers as a 400 problem at /params + this pointer
            assertThat(invalid.pointer()).matches(JsonPointers.RFC_6901);
        }
    }
}
