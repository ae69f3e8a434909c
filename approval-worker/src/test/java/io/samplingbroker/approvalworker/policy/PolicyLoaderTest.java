package io.samplingbroker.approvalworker.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.serviceruntime.Glob;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;
import io.samplingbroker.serviceruntime.spend.PriceFile;

/** Loading policies: every field is read, and every mistake stops start-up with file, line and field named. */
class PolicyLoaderTest {

    @TempDir
    Path dir;

    @Test
    void givenTheBundledSamplePolicy_whenLoadedFromTheClasspath_thenItHasLimitsADenyACapAndHoldsServerEverything() {
        // When
        Policy policy = PolicyLoader.load("classpath:sample-policy.yaml");
        // Then
        assertThat(policy.defaultAction().kind()).isEqualTo(RuleAction.Kind.APPROVE);
        assertThat(policy.rules()).extracting(Rule::id).containsExactly("host-rate-limit", "host-daily-token-budget",
                "no-credentials-in-prompts", "cap-max-tokens", "review-everything-server");
        assertThat(policy.rules().get(0).limit()).isEqualTo(new UsageLimit.RateLimit(LimitScope.HOST, 30));
        assertThat(policy.rules().get(2).action().kind()).isEqualTo(RuleAction.Kind.DENY);
        assertThat(policy.rules().get(3).action().amendment()).isEqualTo(new Amendment(4000L, null, true));
        assertThat(policy.rules().get(4).action().kind()).isEqualTo(RuleAction.Kind.HOLD);
    }

    @Test
    void givenTheBundledSamplePrices_whenLoaded_thenEveryModelOfTheSampleCatalogueIsPriced() {
        PriceCatalogue sample = PriceFile.load(Path.of("src/main/resources/sample-prices.yaml"));

        assertThat(sample.currency()).isEqualTo("USD");
        assertThat(sample.models().keySet()).contains("gpt-4o-mini", "gpt-4o", "llama3.1-8b-local", "offline-echo");
        assertThat(sample.of("gpt-4o").orElseThrow().costMicros(1_000_000, 0, 0)).as("2.50 USD").isEqualTo(2_500_000);
    }

    @Test
    void givenAPolicyUsingEveryField_whenParsed_thenEachIsRead() {
        // Given
        String yaml = """
                defaultAction:
                  action: deny
                  reason: closed by default
                rules:
                  - id: budget
                    description: free text, for people
                    when:
                      host: vscode-*
                      server: [everything, github]
                      modelHint: claude-*
                      maxTokensAbove: 10
                      maxTokensAtMost: 5000
                      hasTools: false
                      hasImages: true
                      includeContext: [thisServer, allServers]
                      textMatches: ['(?i)secret', 'key=']
                    tokenBudget: {per: server, tokensPerDay: 100000}
                    action: amend
                    reason: over budget, shortened
                    amend: {capMaxTokens: 100, forceModel: small, dropIncludeContext: true}
                """;
        // When
        Policy policy = PolicyLoader.parse(yaml, "policy.yaml");
        // Then
        assertThat(policy.defaultAction()).isEqualTo(RuleAction.deny("closed by default"));
        Rule rule = policy.rules().get(0);
        assertThat(rule.limit()).isEqualTo(new UsageLimit.TokenBudget(LimitScope.SERVER, 100_000, BudgetPeriod.DAY,
                ZoneOffset.UTC));
        assertThat(rule.action()).isEqualTo(new RuleAction(RuleAction.Kind.AMEND, "over budget, shortened",
                new Amendment(100L, "small", true), false));
        Conditions when = rule.when();
        assertThat(when.hosts()).extracting(Glob::toString).containsExactly("vscode-*");
        assertThat(when.servers()).extracting(Glob::toString).containsExactly("everything", "github");
        assertThat(when.modelHints()).extracting(Glob::toString).containsExactly("claude-*");
        assertThat(when.maxTokensAbove()).isEqualTo(10);
        assertThat(when.maxTokensAtMost()).isEqualTo(5000);
        assertThat(when.hasTools()).isFalse();
        assertThat(when.hasImages()).isTrue();
        assertThat(when.includeContext()).isEqualTo(Set.of(IncludeContext.thisServer, IncludeContext.allServers));
        assertThat(when.textMatches()).extracting(Object::toString).containsExactly("(?i)secret", "key=");
        assertThat(policy.limitScopes()).containsExactly(LimitScope.SERVER);
    }

    @Test
    void givenYamlThatDoesNotParse_whenLoaded_thenTheErrorNamesTheFileAndTheLine() throws IOException {
        // Given
        Path file = write("broken.yaml", """
                defaultAction: {action: approve}
                rules:
                  - id: a: b
                    action: deny
                """);
        // When / Then
        assertThatThrownBy(() -> PolicyLoader.load(file))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageStartingWith(file + ":3:")
                .hasMessageContaining("not valid YAML")
                .satisfies(e -> assertThat(((PolicyFileException) e).line()).isEqualTo(3));
    }

    @Test
    void givenAnUnknownField_whenLoaded_thenTheErrorNamesTheFileTheLineAndTheField() throws IOException {
        // Given
        Path file = write("typo.yaml", """
                defaultAction: {action: approve}
                rules:
                  - id: cap
                    when:
                      maxToken: 100
                    action: deny
                """);
        // When / Then
        assertThatThrownBy(() -> PolicyLoader.load(file))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageStartingWith(file + ":5:7: rules[0].when.maxToken: unknown field 'maxToken'")
                .hasMessageContaining("maxTokensAbove");
    }

    @Test
    void givenAnUnknownTopLevelField_whenParsed_thenTheErrorNamesItsLine() {
        assertThatThrownBy(() -> PolicyLoader.parse("defaultAction: {action: approve}\ndefaults: {}\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:2:1: defaults: unknown field 'defaults'; known fields: defaultAction, rules");
    }

    @Test
    void givenAnInvalidRegularExpression_whenParsed_thenTheErrorShowsTheLineTheFieldAndTheProblem() {
        // Given
        String yaml = """
                defaultAction: {action: approve}
                rules:
                  - id: secrets
                    when:
                      textMatches:
                        - password
                        - '(unclosed'
                    action: deny
                """;
        // When / Then
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "policy.yaml"))
                .isInstanceOf(PolicyFileException.class)
                .hasMessage("policy.yaml:7:11: rules[0].when.textMatches[1]: invalid regular expression: Unclosed group "
                        + "near index 9 of '(unclosed'");
    }

    @Test
    void givenHoldAndResponseReview_whenParsed_thenTheActionsCarryThem() {
        // Given
        String yaml = """
                defaultAction: {action: approve, reviewResponse: true}
                rules:
                  - id: review-big-prompts
                    when: {promptCharsAbove: 2000}
                    action: hold
                    reason: Long prompts need a human
                  - id: check-answers
                    when: {server: github}
                    action: amend
                    amend: {capMaxTokens: 500}
                    reviewResponse: true
                """;
        // When
        Policy policy = PolicyLoader.parse(yaml, "policy.yaml");
        // Then
        assertThat(policy.defaultAction().reviewResponse()).isTrue();
        assertThat(policy.rules().get(0).action()).isEqualTo(RuleAction.hold("Long prompts need a human"));
        assertThat(policy.rules().get(0).when().promptCharsAbove()).isEqualTo(2000);
        assertThat(policy.rules().get(1).action().reviewResponse()).isTrue();
        assertThat(policy.rules().get(1).action().kind()).isEqualTo(RuleAction.Kind.AMEND);
    }

    @Test
    void givenResponseReviewOnADenyRule_whenParsed_thenItIsRefusedWithItsLine() {
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: approve
                rules:
                  - id: no-zed
                    when: {host: zed}
                    action: deny
                    reviewResponse: true
                """, "policy.yaml"))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageStartingWith("policy.yaml:6:5: rules[0].reviewResponse: reviewResponse holds the model's "
                        + "answer for a reviewer; a denied request has none");
    }

    @Test
    void givenInvalidValues_whenParsed_thenEachErrorNamesItsLineAndField() {
        assertThatThrownBy(() -> PolicyLoader.parse("defaultAction: {action: allow}\n", "p.yaml"))
                .hasMessage("p.yaml:1:17: defaultAction.action: unknown action 'allow'; use approve, deny, amend, hold or forward");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - {id: a, when: {maxTokensAbove: lots}, action: deny}
                """, "p.yaml"))
                .hasMessageStartingWith("p.yaml:3:20: rules[0].when.maxTokensAbove: expected a whole number, got 'lots'");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: r
                    rateLimit: {per: planet, requestsPerMinute: 3}
                    action: deny
                """, "p.yaml"))
                .hasMessageStartingWith("p.yaml:4:17: rules[0].rateLimit.per: unknown scope 'planet'");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: r
                    rateLimit: {per: host, requestsPerMinute: 0}
                    action: deny
                """, "p.yaml"))
                .hasMessage("p.yaml:4:28: rules[0].rateLimit.requestsPerMinute: must be at least 1, got 0");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: r
                    when: {includeContext: everything}
                    action: deny
                """, "p.yaml"))
                .hasMessageStartingWith("p.yaml:4:12: rules[0].when.includeContext[0]: unknown includeContext 'everything'");
    }

    @Test
    void givenStructuralMistakes_whenParsed_thenEachIsExplainedWithItsLine() {
        assertThatThrownBy(() -> PolicyLoader.parse("rules: []\n", "p.yaml"))
                .hasMessageContaining("p.yaml").hasMessageContaining("defaultAction is missing");
        assertThatThrownBy(() -> PolicyLoader.parse("  \n", "p.yaml"))
                .hasMessage("p.yaml: the policy is empty; it needs at least a defaultAction (approve, deny, amend, hold or forward)");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - {id: same, action: deny}
                  - {id: same, action: approve}
                """, "p.yaml"))
                .hasMessage("p.yaml:4:6: rules[1].id: rule id 'same' is already used by rules[0].id (line 3); ids must be unique");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: both
                    rateLimit: {per: host, requestsPerMinute: 1}
                    tokenBudget: {per: host, tokensPerDay: 1}
                    action: deny
                """, "p.yaml"))
                .hasMessageStartingWith("p.yaml:5:5: rules[0].tokenBudget: a rule has one limit");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: no-change
                    action: amend
                    amend: {dropIncludeContext: false}
                """, "p.yaml"))
                .hasMessageStartingWith("p.yaml:5:5: rules[0].amend: amend changes nothing");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: r
                    action: deny
                    action: approve
                """, "p.yaml"))
                .hasMessageStartingWith("p.yaml:5:").hasMessageContaining("Duplicate field 'action'");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - when: {host: a}
                    action: deny
                """, "p.yaml"))
                .hasMessageStartingWith("p.yaml:3:5: rules[0]: id is missing");
    }

    @Test
    void givenAMissingFile_whenLoaded_thenTheErrorNamesIt() {
        Path missing = dir.resolve("nowhere.yaml");
        assertThatThrownBy(() -> PolicyLoader.load(missing)).hasMessage(missing + ": no such policy file");
        assertThatThrownBy(() -> PolicyLoader.load("classpath:nowhere.yaml"))
                .hasMessage("classpath:nowhere.yaml: no such resource on the classpath");
    }

    @Test
    void givenListsWrittenAsSingleValues_whenParsed_thenTheyAreListsOfOne() {
        Policy policy = PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - {id: r, when: {host: h, textMatches: x}, action: deny}
                """, "p.yaml");
        assertThat(policy.rules().get(0).when().hosts()).hasSize(1);
        assertThat(policy.rules().get(0).when().textMatches()).extracting(Object::toString).isEqualTo(List.of("x"));
    }

    @Test
    void givenTheDefaultActionAsAPlainName_whenParsed_thenItIsThatAction() {
        Policy policy = PolicyLoader.parse("defaultAction: deny\n", "p.yaml");
        assertThat(policy.defaultAction()).isEqualTo(RuleAction.deny(null));
        assertThat(policy.rules()).isEmpty();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void givenBudgetMistakes_whenParsed_thenEachNamesItsFieldAndLine() {
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: both
                    tokenBudget: {per: host, tokensPerDay: 10, tokensPerMonth: 100}
                    action: deny
                """, "p.yaml"))
                .hasMessage("p.yaml:4:5: rules[0].tokenBudget: a budget is per day or per month: set tokensPerDay or"
                        + " tokensPerMonth, not both; write a rule for each");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: zone
                    costBudget: {per: tenant, perMonth: 10, zone: Mars/Olympus}
                    action: deny
                """, "p.yaml"))
                .hasMessageContaining("rules[0].costBudget.zone: unknown time zone 'Mars/Olympus'");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: cents
                    costBudget: {per: tenant, perDay: 0.0000001}
                    action: deny
                """, "p.yaml"))
                .hasMessageContaining("rules[0].costBudget.perDay: at most six decimals, got 0.0000001");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: none
                    costBudget: {per: tenant}
                    action: deny
                """, "p.yaml"))
                .hasMessageContaining("rules[0].costBudget: perDay or perMonth is missing");
    }

    @Test
    void givenACostBudgetPerMonthInAZone_whenParsed_thenItsAmountIsInMicroUnits() {
        Policy policy = PolicyLoader.parse("""
                defaultAction: {action: approve}
                rules:
                  - id: acme
                    costBudget: {per: tenant, perMonth: 500.25, zone: Europe/Paris}
                    action: deny
                """, "p.yaml");

        assertThat(policy.rules().get(0).limit()).isEqualTo(new UsageLimit.CostBudget(LimitScope.TENANT,
                500_250_000L, BudgetPeriod.MONTH, ZoneId.of("Europe/Paris")));
        assertThat(policy.hasCostBudgets()).isTrue();
    }

    @Test
    void givenAnAliasOfAnAnchoredValue_whenParsed_thenItIsRefusedAtTheAliasNotReadAsTheAnchorsName() {
        // Issue 18, the loader's bounds: Jackson reads '*deny' as the text "deny", so this rule denied everything
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: &deny approve
                rules:
                  - {id: all, action: *deny}
                """, "p.yaml"))
                .isInstanceOf(PolicyFileException.class)
                .hasMessage("p.yaml:3:23: '*deny' is a YAML alias; write the value out (a policy file does not read "
                        + "aliases)");
    }

    @Test
    void givenBillionLaughs_whenParsed_thenTheFirstAliasIsRefusedWithoutExpandingAnything() {
        StringBuilder yaml = new StringBuilder("""
                defaultAction: approve
                rules:
                  - id: r0
                    when: {textMatches: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]}
                    action: deny
                """);
        for (int i = 1; i < 10; i++) {
            String previous = "*a" + (i - 1);
            yaml.append("  - id: r").append(i).append("\n    when: {textMatches: &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, previous))).append("]}\n")
                    .append("    action: deny\n");
        }

        assertThatThrownBy(() -> PolicyLoader.parse(yaml.toString(), "p.yaml"))
                .isInstanceOf(PolicyFileException.class)
                .hasMessage("p.yaml:7:30: '*a0' is a YAML alias; write the value out (a policy file does not read "
                        + "aliases)");
    }

    @Test
    void givenValuesNestedDeeperThanAPolicyNeeds_whenParsed_thenRefusedWithTheLineWhereTheLimitWasReached() {
        String deep = "defaultAction: approve\nrules:\n  - id: deep\n    action: deny\n    when:\n      textMatches: "
                + "[".repeat(100_000) + "]".repeat(100_000) + "\n";

        assertThatThrownBy(() -> PolicyLoader.parse(deep, "p.yaml"))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageStartingWith("p.yaml:6:")
                .hasMessageContaining("nesting depth (33) exceeds the maximum allowed (32");
    }

    @Test
    void givenACostBudgetTooLargeForALongOfMicroUnits_whenParsed_thenRefusedWithItsLine() {
        // Issue 18, the loader's bounds: longValueExact threw ArithmeticException, which is no PolicyFileException
        for (String amount : List.of("1e20", "9223372036854.775808", "1e2147483647")) {
            assertThatThrownBy(() -> PolicyLoader.parse("""
                    defaultAction: approve
                    rules:
                      - {id: rich, costBudget: {per: tenant, perDay: %s}, action: deny}
                    """.formatted(amount), "p.yaml"))
                    .isInstanceOf(PolicyFileException.class)
                    .hasMessageStartingWith("p.yaml:3:42: rules[0].costBudget.perDay: at most 9223372036854.775807, "
                            + "got ");
        }
        assertThat(PolicyLoader.parse("""
                defaultAction: approve
                rules:
                  - {id: rich, costBudget: {per: tenant, perDay: 9223372036854.775807}, action: deny}
                """, "p.yaml").rules().get(0).limit().allowance()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void givenAnAmountWithAHugeExponent_whenRefused_thenTheMessageShowsItAsWrittenNotInMillionsOfDigits() {
        // Issue 18, the loader's bounds: toPlainString() wrote -1e99999999 as 100 million characters into the message
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: approve
                rules:
                  - {id: r, costBudget: {per: tenant, perDay: -1e99999999}, action: deny}
                """, "p.yaml"))
                .hasMessage("p.yaml:3:39: rules[0].costBudget.perDay: must be more than 0, got -1E+99999999");
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: approve
                rules:
                  - {id: r, costBudget: {per: tenant, perMonth: 1e-99999999}, action: deny}
                """, "p.yaml"))
                .hasMessage("p.yaml:3:39: rules[0].costBudget.perMonth: at most six decimals, got 1E-99999999");
    }

    @Test
    void givenANumberLongerThanAnyAPolicyNeeds_whenParsed_thenRefusedWithItsLine() {
        assertThatThrownBy(() -> PolicyLoader.parse("""
                defaultAction: approve
                rules:
                  - {id: r, when: {maxTokensAbove: 1%s}, action: deny}
                """.formatted("0".repeat(5_000)), "p.yaml"))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageStartingWith("p.yaml:3:20: rules[0].when.maxTokensAbove: Number value length (5001) exceeds "
                        + "the maximum allowed (100,");
    }

    @Test
    void givenAPolicyOfMoreThanAMebicharacter_whenParsed_thenRefusedBeforeItIsRead() {
        // one value of 20 M characters took SnakeYAML minutes to read before its own limit (3 Mi) stopped it
        String huge = "defaultAction: approve\nrules:\n  - {id: r, reason: '" + "x".repeat(20_000_000)
                + "', action: deny}\n";

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> PolicyLoader.parse(huge,
                "p.yaml")).isInstanceOf(PolicyFileException.class).hasMessage("p.yaml: the policy is larger than "
                        + "1048576 characters (20000068); a policy is rules, not data"));
    }

    @Test
    void givenABinaryValue_whenRefused_thenTheMessageSaysSoRatherThanPrintingAnObjectId() {
        // Issue 18, the loader's bounds: the message said "got '[B@3212a8d7'", different on every run
        assertThatThrownBy(() -> PolicyLoader.parse("defaultAction: !!binary aGVsbG8=\n", "p.yaml"))
                .hasMessage("p.yaml:1:1: defaultAction: expected a mapping of fields (name: value), got !!binary data "
                        + "(5 bytes)");
    }
}
