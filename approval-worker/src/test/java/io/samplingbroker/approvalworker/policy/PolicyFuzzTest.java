package io.samplingbroker.approvalworker.policy;

import static io.samplingbroker.schemas.testing.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.samplingbroker.approvalworker.decision.PolicyEvaluator;
import io.samplingbroker.approvalworker.decision.UsageCharge;
import io.samplingbroker.approvalworker.decision.UsageLedger;
import io.samplingbroker.approvalworker.decision.Verdict;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;
import io.samplingbroker.serviceruntime.spend.PriceFile;

/**
 * Coverage-guided: any text given as the policy file either stops start-up with {@link PolicyFileException} naming
 * the file and, unless the fault is the whole document, a line of it, in a message of bounded size and the same each
 * time; or loads a policy that decides a few fixed, real-shaped requests by its own rules: the same verdict every
 * time, a decision its deciding action can give, charges only for what is let through and never below zero, limits
 * that trip when their counters are full and, as {@link PolicyEvaluator#needsCounters} promises, no counter read
 * when it says none is. Any other exception, or a run past the per-input time or heap limit, is a finding. The seeds
 * are the bundled sample policy, the README's examples ({@code src/test/resources/policies}) and the findings kept
 * under this class's inputs directory.
 */
class PolicyFuzzTest {

    private static final String SOURCE = "fuzzed-policy.yaml";
    private static final PriceCatalogue PRICES = samplePrices();
    /** What decisions look at: plain, everything at once, and the largest {@code maxTokens} the broker accepts. */
    private static final List<SamplingRequested> REQUESTS = List.of(
            request("plain").build(),
            request("busy").tenant("acme").host("cursor-bob").server("github").hints("claude-3-sonnet", "gpt-4o")
                    .includeContext(IncludeContext.allServers).withTools().hostSamples(true, false)
                    .systemPrompt("You are terse. password: hunter2").text("Describe this picture").image()
                    .toolResultText("-----BEGIN PRIVATE KEY-----").maxTokens(8000).build(),
            request("greedy").tenant("globex-eu").host("VSCode-carol").server("everything").hints("offline-echo")
                    .includeContext(IncludeContext.thisServer).hostSamples(true, true).text("x".repeat(300))
                    .maxTokens(Long.MAX_VALUE).build());

    static Stream<byte[]> policies() {
        return Stream.concat(Stream.of(resource("sample-policy.yaml")), seedFiles());
    }

    @MethodSource("policies")
    @DictionaryEntries({"defaultAction:", "rules:", "- id: ", "description:", "when:", "tenant:", "host:", "server:",
        "modelHint:", "maxTokensAbove:", "maxTokensAtMost:", "promptCharsAbove:", "hasTools:", "hasImages:",
        "includeContext:", "textMatches:", "rateLimit:", "tokenBudget:", "costBudget:", "per:", "requestsPerMinute:",
        "tokensPerDay:", "tokensPerMonth:", "perDay:", "perMonth:", "zone:", "action:", "reason:", "amend:",
        "capMaxTokens:", "forceModel:", "dropIncludeContext:", "reviewResponse:", "approve", "deny", "amend", "hold",
        "forward", "tenant", "host", "server", "none", "thisServer", "allServers", "true", "false", "null", "~",
        "Europe/Paris", "+02:00", "&a ", "*a", "<<: ", "!!binary ", "!!str ", "!!float ", "---", "...", "? ", "{", "}",
        "[", "]", ", ", "'", "\"", "\\x0A  - ", "\\x0A    ", "9223372036854775807", "-1", "1e20", "1e-7",
        "0.0000001", "500.25", "(?i)", "*"})
    @FuzzTest
    void givenAnyPolicyText_whenLoaded_thenAPolicyThatDecidesByItsRulesOrAPolicyFileErrorWithItsLine(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Policy policy;
        try {
            policy = PolicyLoader.parse(text, SOURCE);
        } catch (PolicyFileException refused) {
            assertExplains(text, refused);
            return;
        }
        Policy again = PolicyLoader.parse(text, SOURCE);
        PolicyEvaluator evaluator = new PolicyEvaluator(policy, PRICES);
        PolicyEvaluator evaluatorOfAgain = new PolicyEvaluator(again, PRICES);
        Map<String, Long> allowances = new HashMap<>();
        policy.rules().stream().filter(rule -> rule.limit() != null)
                .forEach(rule -> allowances.put(rule.id(), rule.limit().allowance()));
        UsageLedger empty = bucket -> 0;
        UsageLedger full = bucket -> allowances.get(bucket.key().substring(0, bucket.key().indexOf('|')));
        for (SamplingRequested request : REQUESTS) {
            boolean needsCounters = evaluator.needsCounters(request);
            assertThat(evaluatorOfAgain.needsCounters(request)).isEqualTo(needsCounters);
            for (UsageLedger ledger : List.of(empty, full)) {
                Verdict verdict = evaluator.decide(request, ledger);
                assertThat(evaluator.decide(request, ledger)).as("decided again").isEqualTo(verdict);
                assertThat(evaluatorOfAgain.decide(request, ledger)).as("decided by the policy loaded again")
                        .isEqualTo(verdict);
                assertFollowsItsAction(policy, request, verdict);
                if (!needsCounters) {
                    assertThat(verdict.charges()).isEmpty();
                }
            }
            Verdict unused = evaluator.decide(request, empty);
            Verdict spent = evaluator.decide(request, full);
            if (!needsCounters) {
                assertThat(spent).as("no counter is read, so none can change the verdict").isEqualTo(unused);
            }
            assertFirstMatchingRuleDecidesWhenItsLimitIsSpent(policy, request, spent);
            assertNoRateLimitTripsOnAnUnusedCounter(policy, unused);
        }
    }

    /**
     * The file is named; a line too, unless the fault is the whole document; the line is one of the text; the message
     * is the same each time, and it does not grow much beyond what it quotes from the text.
     */
    private static void assertExplains(String text, PolicyFileException refused) {
        String message = refused.getMessage();
        assertThat(message).startsWith(SOURCE + ":");
        if (refused.line() > 0) {
            assertThat(message).startsWith(SOURCE + ":" + refused.line() + ":");
            assertThat(refused.line()).as("a line of the text").isLessThanOrEqualTo(lines(text));
        } else {
            assertThat(message).as("only a fault of the whole document has no line")
                    .matches("(?s)\\Q" + SOURCE + ": \\E(the policy is empty|defaultAction is missing|the policy is "
                            + "larger than).*");
        }
        assertThat(message.length()).as("the message's length").isLessThanOrEqualTo(1_000 + 2 * text.length());
        assertThat(catchPolicyFileException(text)).as("refused again, in the same words").isEqualTo(message);
    }

    /** Lines as YAML counts them: CRLF, CR, LF, and (YAML 1.1, as SnakeYAML reads it) NEL, LS and PS end one. */
    private static int lines(String text) {
        return text.split("\r\n|[\r\n\u0085\u2028\u2029]", -1).length;
    }

    private static String catchPolicyFileException(String text) {
        try {
            PolicyLoader.parse(text, SOURCE);
        } catch (PolicyFileException e) {
            return e.getMessage();
        }
        throw new AssertionError("the same text loaded the second time");
    }

    /** The decision is one the deciding rule's (or the default) action gives, with what that decision carries. */
    private static void assertFollowsItsAction(Policy policy, SamplingRequested request, Verdict verdict) {
        RuleAction action;
        if (verdict.decidedBy().getKind() == DeciderKind.DEFAULT_ACTION) {
            assertThat(verdict.decidedBy().getName()).isEqualTo("defaultAction");
            action = policy.defaultAction();
        } else {
            assertThat(verdict.decidedBy().getKind()).isEqualTo(DeciderKind.RULE);
            action = policy.rules().stream().filter(rule -> rule.id().equals(verdict.decidedBy().getName()))
                    .findFirst().map(Rule::action).orElseThrow(() -> new AssertionError(verdict.decidedBy()
                            + " is no rule of the policy"));
        }
        List<Decision> possible = switch (action.kind()) {
            case APPROVE -> List.of(Decision.APPROVED);
            case DENY -> List.of(Decision.DENIED);
            case HOLD -> List.of(Decision.HELD_FOR_REVIEW);
            case AMEND -> List.of(Decision.AMENDED, Decision.APPROVED);
            case FORWARD -> List.of(Decision.FORWARDED, Decision.APPROVED);
        };
        assertThat(verdict.decision()).isIn(possible);
        assertThat(verdict.reviewResponse()).isEqualTo(action.reviewResponse());
        if (verdict.decision() == Decision.DENIED) {
            assertThat(verdict.reason()).isNotBlank();
            assertThat(verdict.effectiveParams()).isNull();
        } else {
            assertThat(verdict.effectiveParams()).isNotNull();
        }
        assertThat(verdict.changes().isEmpty()).isEqualTo(verdict.decision() != Decision.AMENDED);
        if (verdict.decision() == Decision.AMENDED) {
            assertThat(verdict.effectiveParams().getMaxTokens()).isLessThanOrEqualTo(request.getParams().getMaxTokens());
        }
        if (verdict.letsThrough()) {
            assertThat(verdict.charges()).extracting(UsageCharge::amount).allSatisfy(amount -> assertThat(amount)
                    .as("what a request adds to a counter").isNotNegative());
        } else {
            assertThat(verdict.charges()).as("a denied or held request is not charged").isEmpty();
        }
    }

    /** With every counter at its allowance, the first rule whose conditions hold decides: its limit is reached. */
    private static void assertFirstMatchingRuleDecidesWhenItsLimitIsSpent(Policy policy, SamplingRequested request,
            Verdict spent) {
        RequestFacts facts = new RequestFacts(request);
        String expected = policy.rules().stream().filter(rule -> rule.when().matches(facts)).findFirst()
                .map(Rule::id).orElse("defaultAction");
        assertThat(spent.decidedBy().getName()).as("the decider when every counter is spent").isEqualTo(expected);
    }

    /** A request counts 1 against a rate limit of at least 1: on a counter at 0 it never trips. */
    private static void assertNoRateLimitTripsOnAnUnusedCounter(Policy policy, Verdict unused) {
        policy.rules().stream().filter(rule -> rule.id().equals(unused.decidedBy().getName())).findFirst()
                .ifPresent(rule -> assertThat(rule.limit() instanceof UsageLimit.RateLimit)
                        .as("%s decides on unused counters by its rate limit", rule.id()).isFalse());
    }

    private static Stream<byte[]> seedFiles() {
        try {
            Path dir = Path.of(PolicyFuzzTest.class.getResource("/policies").toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(file -> file.toString().endsWith(".yaml")).sorted().map(PolicyFuzzTest::bytes)
                        .toList().stream();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = PolicyFuzzTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PriceCatalogue samplePrices() {
        return PriceFile.parse("sample-prices.yaml", new String(resource("sample-prices.yaml"), StandardCharsets.UTF_8));
    }
}
