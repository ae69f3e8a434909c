package io.samplingbroker.reviewconsole;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.provider.MethodSource;

import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.schemas.json.SamplingResultJson;
import io.samplingbroker.schemas.testing.JsonPointers;
import io.samplingbroker.schemas.testing.PlainAvroSerde;

/**
 * Coverage-guided: any body posted to {@code POST /api/reviews/{id}/decision} is either refused with
 * {@link InvalidSamplingJsonException}, whose pointer names a member of the body (or one missing from an object of
 * it) and whose message starts with it (the console answers {@code 400 invalid_decision} with both), or read as a
 * decision the approval-worker can apply: a denial with its reason, an edit with exactly the edited params or result
 * (as the MCP mapping reads them), and a command that travels the review-commands topic as Avro unchanged. Any other
 * exception is a finding. The sign-in body, the console's only other JSON body, is either no JSON or a reviewer and
 * a password. The seeds are real decision bodies ({@code src/test/resources/decision-bodies}) and the findings kept
 * under this class's inputs directory.
 */
class DecisionRequestFuzzTest {

    private static final PlainAvroSerde<ReviewCommand> COMMANDS = new PlainAvroSerde<>(ReviewCommand.getClassSchema());
    private static final Instant NOW = Instant.parse("2026-11-24T10:15:31.456Z");

    static Stream<byte[]> bodies() {
        try {
            Path dir = Path.of(DecisionRequestFuzzTest.class.getResource("/decision-bodies").toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(file -> file.toString().endsWith(".json")).sorted()
                        .map(DecisionRequestFuzzTest::bytes).toList().stream();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<byte[]> signIns() {
        return Stream.of("{\"reviewer\": \"alice\", \"password\": \"correct horse battery staple\"}",
                "{\"reviewer\": \"b\\u00f6b\", \"password\": \"\\ud83d\\udd11 s3cret\", \"remember\": true}",
                "{\"reviewer\": 42}", "[\"alice\", \"pw\"]").map(text -> text.getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("bodies")
    @DictionaryEntries({"\"stage\"", "\"request\"", "\"response\"", "\"action\"", "\"approve\"", "\"edit\"",
        "\"deny\"", "\"reason\"", "\"params\"", "\"result\"", "\"forcedModel\"", "\"messages\"", "\"role\"",
        "\"user\"", "\"assistant\"", "\"content\"", "\"type\"", "\"text\"", "\"image\"", "\"tool_use\"",
        "\"tool_result\"", "\"toolUseId\"", "\"id\"", "\"name\"", "\"input\"", "\"data\"", "\"mimeType\"",
        "\"maxTokens\"", "\"systemPrompt\"", "\"includeContext\"", "\"modelPreferences\"", "\"hints\"", "\"tools\"",
        "\"inputSchema\"", "\"toolChoice\"", "\"model\"", "\"stopReason\"", "\"endTurn\"", "\"_meta\"", "null", "true",
        "\"\"", "\" \"", "\"~1\"", "\"\\\\ud800\"", "\"\\\\u0000\"", "1e400", "-1"})
    @FuzzTest
    void givenAnyDecisionBody_whenParsed_thenADecisionTheWorkerCanApplyOrRefusedAtAPointerIntoTheBody(byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8);
        JsonNode json = parsedOrNull(body);
        DecisionRequest decision;
        try {
            decision = DecisionRequest.parse(body);
        } catch (InvalidSamplingJsonException refused) {
            if (json == null) {
                assertThat(refused.pointer()).isEmpty();
                assertThat(refused.getMessage()).matches(JsonPointers.WHOLE_TEXT_REFUSED);
                return;
            }
            JsonPointers.assertPointsInto(json, refused);
            if (refused.getMessage().startsWith(refused.pointer() + ": not Unicode text: ")) {
                assertNamesTextUtf8CannotCarry(json, refused.pointer());
            }
            assertSameProblemAsTheMcpMapping(json, refused);
            return;
        }
        assertThat(json).isNotNull();
        assertCarriesWhatTheWorkerNeeds(json, decision);
        ReviewCommand command = decision.toCommand("req-1", "cmd-1", "alice", NOW);
        ReviewCommand decoded = COMMANDS.deserializer().deserialize("sampling.review-commands",
                COMMANDS.serializer().serialize("sampling.review-commands", command));
        assertThat(decoded).as("the command as the approval-worker reads it").isEqualTo(command);
        assertThat(DecisionRequest.parse(body)).as("read again").isEqualTo(decision);
    }

    @MethodSource("signIns")
    @DictionaryEntries({"\"reviewer\"", "\"password\"", "\"alice\"", "null", "true", "\"\"", "\"\\\\ud800\"", "[", "{"})
    @FuzzTest
    void givenAnySignInBody_whenRead_thenNoJsonOrTheReviewerAndPasswordItNames(byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8);
        JsonNode json = parsedOrNull(body);
        AuthRoutes.Credentials credentials;
        try {
            credentials = AuthRoutes.credentials(body);
        } catch (InvalidSamplingJsonException refused) {
            assertThat(json).as("only a body that is no JSON is refused").isNull();
            assertThat(refused.pointer()).isEmpty();
            return;
        }
        assertThat(json).isNotNull();
        if (json.path("reviewer").isTextual()) {
            assertThat(credentials.reviewer()).isEqualTo(json.get("reviewer").textValue());
        }
        if (json.path("password").isTextual()) {
            assertThat(new String(credentials.password())).isEqualTo(json.get("password").textValue());
        }
        if (!json.isObject()) {
            assertThat(credentials.reviewer()).as("a body that is no object names nobody").isEmpty();
            assertThat(credentials.password()).isEmpty();
        }
    }

    /** The body as the console's JSON reader reads it, or null when it is no JSON. */
    private static JsonNode parsedOrNull(String body) {
        try {
            return McpJson.parse(body);
        } catch (InvalidSamplingJsonException notJson) {
            return null;
        }
    }

    /** The text at the pointer does not survive UTF-8 (as Avro writes it). */
    private static void assertNamesTextUtf8CannotCarry(JsonNode body, String pointer) {
        JsonNode at = body.at(pointer);
        assertThat(at.isTextual()).as("%s is a text", pointer).isTrue();
        assertThat(new String(at.textValue().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .as("%s as UTF-8 carries it", pointer).isNotEqualTo(at.textValue());
    }

    /** A refusal inside the edited params or result is the MCP mapping's own, moved under its member. */
    private static void assertSameProblemAsTheMcpMapping(JsonNode body, InvalidSamplingJsonException refused) {
        for (String member : new String[] {"params", "result"}) {
            String prefix = "/" + member + "/";
            if (!refused.pointer().startsWith(prefix)) {
                continue;
            }
            InvalidSamplingJsonException own = null;
            try {
                if (member.equals("params")) {
                    SamplingParamsJson.fromJson(body.get(member));
                } else {
                    SamplingResultJson.fromJson(body.get(member));
                }
            } catch (InvalidSamplingJsonException e) {
                own = e;
            }
            assertThat(own).as("the mapping refuses the %s too", member).isNotNull();
            assertThat(refused.getMessage()).isEqualTo("/" + member + own.getMessage());
        }
    }

    /** The decision is the body's: stage, action, reason, and exactly what an edit of that stage carries. */
    private static void assertCarriesWhatTheWorkerNeeds(JsonNode body, DecisionRequest decision) {
        assertThat(body.isObject()).isTrue();
        assertThat(decision.stage().name().toLowerCase(java.util.Locale.ROOT)).isEqualTo(body.get("stage").asText());
        assertThat(decision.actionName()).isEqualTo(body.get("action").asText());
        if (decision.reason() != null) {
            assertThat(decision.reason()).isEqualTo(body.get("reason").textValue().trim()).isNotEmpty()
                    .hasSizeLessThanOrEqualTo(DecisionRequest.MAX_REASON_CHARS);
        } else {
            assertThat(decision.action()).as("a denial says why").isNotEqualTo(ReviewAction.DENY);
        }
        boolean editsRequest = decision.action() == ReviewAction.EDIT && decision.stage() == ReviewStage.REQUEST;
        boolean editsResponse = decision.action() == ReviewAction.EDIT && decision.stage() == ReviewStage.RESPONSE;
        if (editsRequest) {
            assertThat(decision.params()).isEqualTo(SamplingParamsJson.fromJson(body.get("params")));
        } else {
            assertThat(decision.params()).isNull();
            assertThat(decision.forcedModel()).isNull();
            assertThat(body.path("params").isMissingNode() || body.get("params").isNull()).isTrue();
            assertThat(body.path("forcedModel").isMissingNode() || body.get("forcedModel").isNull()).isTrue();
        }
        if (editsResponse) {
            assertThat(decision.result()).isEqualTo(SamplingResultJson.fromJson(body.get("result")));
        } else {
            assertThat(decision.result()).isNull();
            assertThat(body.path("result").isMissingNode() || body.get("result").isNull()).isTrue();
        }
        if (decision.forcedModel() != null) {
            assertThat(decision.forcedModel()).isEqualTo(body.get("forcedModel").textValue().trim()).isNotEmpty();
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
