package io.samplingbroker.approvalworker.topology;

import static io.samplingbroker.schemas.testing.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.samplingbroker.events.Decision;
import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.schemas.testing.Requests;

/** Each kind of condition: a deny rule with just that condition catches the matching request and lets the other pass. */
class ConditionKindsTest {

    static Stream<Arguments> conditions() {
        return Stream.of(
                Arguments.of("tenant", "{tenant: [acme, \"globex-*\"]}",
                        request("m").tenant("globex-eu"), request("n").tenant("initech")),
                Arguments.of("a tenant condition never matches a request without a tenant", "{tenant: \"*\"}",
                        request("m").tenant(""), request("n")),
                Arguments.of("host glob", "{host: \"vscode-*\"}",
                        request("m").host("VSCode-bob"), request("n").host("cursor-1")),
                Arguments.of("server list", "{server: [github, everything]}",
                        request("m").server("everything"), request("n").server("filesystem")),
                Arguments.of("any model hint", "{modelHint: \"claude-*\"}",
                        request("m").hints("gpt-4o", "claude-3-sonnet"), request("n").hints("gpt-4o")),
                Arguments.of("maxTokens above", "{maxTokensAbove: 4000}",
                        request("m").maxTokens(4001), request("n").maxTokens(4000)),
                Arguments.of("maxTokens at most", "{maxTokensAtMost: 100}",
                        request("m").maxTokens(100), request("n").maxTokens(101)),
                Arguments.of("tools present", "{hasTools: true}",
                        request("m").withTools(), request("n")),
                Arguments.of("tools absent", "{hasTools: false}",
                        request("m"), request("n").withTools()),
                Arguments.of("images present", "{hasImages: true}",
                        request("m").text("look").image(), request("n").text("look")),
                Arguments.of("includeContext", "{includeContext: [thisServer, allServers]}",
                        request("m").includeContext(IncludeContext.allServers), request("n")),
                Arguments.of("absent includeContext counts as none", "{includeContext: none}",
                        request("m"), request("n").includeContext(IncludeContext.thisServer)),
                Arguments.of("regex in a message", "{textMatches: '(?i)pass(word)?\\s*='}",
                        request("m").text("my PASSWORD = hunter2"), request("n").text("my password is safe")),
                Arguments.of("regex in the system prompt", "{textMatches: 'internal-only'}",
                        request("m").systemPrompt("internal-only notes"), request("n").systemPrompt("public")),
                Arguments.of("regex in a tool result", "{textMatches: 'BEGIN PRIVATE KEY'}",
                        request("m").toolResultText("-----BEGIN PRIVATE KEY-----"), request("n").toolResultText("ok")),
                Arguments.of("all conditions must hold", "{host: \"vscode-*\", maxTokensAbove: 100}",
                        request("m").host("vscode-1").maxTokens(200), request("n").host("vscode-1").maxTokens(50)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void givenADenyRuleWithOneCondition_whenRequestsArrive_thenOnlyTheMatchingOneIsDenied(String kind, String when,
            Requests matching, Requests other) {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: condition-under-test
                    when: %s
                    action: deny
                """.formatted(when))) {
            // When
            Decision matched = harness.decide(matching.build()).getDecision();
            Decision passed = harness.decide(other.build()).getDecision();
            // Then
            assertThat(matched).as("decision for the matching request").isEqualTo(Decision.DENIED);
            assertThat(passed).as("decision for the other request").isEqualTo(Decision.APPROVED);
        }
    }
}
