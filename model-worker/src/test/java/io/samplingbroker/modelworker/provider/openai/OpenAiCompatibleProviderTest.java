package io.samplingbroker.modelworker.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.modelworker.catalogue.CircuitBreakerSettings;
import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.catalogue.ProviderType;
import io.samplingbroker.modelworker.provider.CallOutcome;
import io.samplingbroker.modelworker.provider.CallTarget;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderCall;
import io.samplingbroker.modelworker.provider.ProviderCallRunner;
import io.samplingbroker.modelworker.provider.RetryPolicy;
import io.samplingbroker.modelworker.provider.RunningCall;
import io.samplingbroker.modelworker.testing.McpParams;
import io.samplingbroker.testsupport.ChatCompletionsServer;

/**
 * The OpenAI-compatible provider, with the worker's retry loop, against a local server speaking the Chat
 * Completions wire format: answers, every error class the issue names, timeouts, and aborting a call in flight.
 */
class OpenAiCompatibleProviderTest {

    private static final String KEY = "sk-test-0123456789abcdef";

    private static final String TRACE_PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final ChatCompletionsServer server = ChatCompletionsServer.start();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ProviderCallRunner runner = new ProviderCallRunner(scheduler, Clock.systemUTC(),
            new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), () -> 0.5));
    private OpenAiCompatibleProvider provider;

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.close();
        }
        server.close();
        scheduler.shutdownNow();
    }

    @Test
    void givenAnAnswer_whenCalled_thenTheResultIsMappedAndTheRequestCarriesKeyModelAndNoInternalHeader() throws Exception {
        provider = provider(KEY, Duration.ofSeconds(10), 2);
        server.reply(ChatCompletionsServer.completion("gpt-4o-mini-2024-07-18", "Paris.", "stop"));

        CallOutcome outcome = run(Duration.ofSeconds(10));

        CallOutcome.Answered answered = (CallOutcome.Answered) outcome;
        assertThat(answered.attempts()).isEqualTo(1);
        assertThat(answered.answer().result().getModel()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(answered.answer().result().getContent()).containsExactly(TextContent.newBuilder().setText("Paris.").build());
        assertThat(answered.answer().inputTokens()).isEqualTo(19L);
        ChatCompletionsServer.Received request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(request.body().get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(request.body().get("max_tokens").asInt()).isEqualTo(64);
        assertThat(request.headers().keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-sampling"));
        assertThat(request.headers()).as("the provider's spans can join the request's trace").hasEntrySatisfying(
                "Traceparent", values -> assertThat(values).containsExactly(TRACE_PARENT));
    }

    @Test
    void givenAnEndpointWithoutKey_whenCalled_thenNoAuthorizationHeaderIsSent() throws Exception {
        provider = provider(null, Duration.ofSeconds(10), 0);

        assertThat(run(Duration.ofSeconds(10))).isInstanceOf(CallOutcome.Answered.class);
        assertThat(server.requests().get(0).authorization()).isNull();
    }

    @Test
    void givenA401_whenCalled_thenItFailsAsUnauthorizedAtOnceWithoutTheProvidersMessageOrTheKey() throws Exception {
        provider = provider(KEY, Duration.ofSeconds(10), 3);
        server.replyByDefault(ChatCompletionsServer.unauthorized());

        CallOutcome.Failed failed = (CallOutcome.Failed) run(Duration.ofSeconds(10));

        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_UNAUTHORIZED);
        assertThat(failed.providerStatus()).isEqualTo(401);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.message()).contains("401 invalid_request_error/invalid_api_key")
                .doesNotContain("sk-test").doesNotContain("Incorrect API key");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void givenA429WithRetryAfterThatFits_whenCalled_thenItWaitsThatLongAndTriesAgain() throws Exception {
        provider = provider(KEY, Duration.ofSeconds(10), 2);
        server.reply(ChatCompletionsServer.rateLimited("1"));
        long start = System.nanoTime();

        CallOutcome.Answered answered = (CallOutcome.Answered) run(Duration.ofSeconds(20));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(answered.attempts()).isEqualTo(2);
        assertThat(answered.latencyMillis()).isGreaterThanOrEqualTo(950);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void givenA429WithRetryAfterBeyondTheDeadline_whenCalled_thenItFailsAsRateLimitedWithoutWaiting() throws Exception {
        provider = provider(KEY, Duration.ofSeconds(10), 2);
        server.replyByDefault(ChatCompletionsServer.rateLimited("30"));
        long start = System.nanoTime();

        CallOutcome.Failed failed = (CallOutcome.Failed) run(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_RATE_LIMITED);
        assertThat(failed.providerStatus()).isEqualTo(429);
        assertThat(failed.message()).contains("requests/rate_limit_exceeded")
                .endsWith("Retry-After 30 s does not fit before the deadline");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void givenTwo500sThenAnAnswer_whenCalledWithTwoRetries_thenTheThirdAttemptAnswers() throws Exception {
        provider = provider(KEY, Duration.ofSeconds(10), 2);
        server.reply(ChatCompletionsServer.serverError(), ChatCompletionsServer.serverError());

        CallOutcome.Answered answered = (CallOutcome.Answered) run(Duration.ofSeconds(10));

        assertThat(answered.attempts()).isEqualTo(3);
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void givenOnly500s_whenTheRetriesAreUsedUp_thenItFailsAsUnavailableWithTheStatus() throws Exception {
        provider = provider(KEY, Duration.ofSeconds(10), 2);
        server.replyByDefault(ChatCompletionsServer.serverError());

        CallOutcome.Failed failed = (CallOutcome.Failed) run(Duration.ofSeconds(10));

        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_UNAVAILABLE);
        assertThat(failed.providerStatus()).isEqualTo(500);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.message()).contains("gave up after 3 attempts");
    }

    @Test
    void givenAMalformedBody_whenCalled_thenItFailsAsBadResponseWithoutRetrying() throws Exception {
        provider = provider(KEY, Duration.ofSeconds(10), 2);
        server.replyByDefault(ChatCompletionsServer.malformed());

        CallOutcome.Failed failed = (CallOutcome.Failed) run(Duration.ofSeconds(10));

        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_BAD_RESPONSE);
        assertThat(failed.message()).contains("not a valid Chat Completion");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void givenASlowServer_whenTheAttemptTimeoutPasses_thenItFailsAsTimeout() throws Exception {
        provider = provider(KEY, Duration.ofMillis(300), 0);
        server.replyByDefault(ChatCompletionsServer.completion("m", "late", "stop").after(Duration.ofSeconds(10)));
        long start = System.nanoTime();

        CallOutcome.Failed failed = (CallOutcome.Failed) run(Duration.ofSeconds(10));

        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // the server would take 10 s
    }

    @Test
    void givenASlowServer_whenTheDeadlineComesBeforeTheTimeout_thenTheDeadlineEndsTheCall() throws Exception {
        provider = provider(KEY, Duration.ofSeconds(60), 3);
        server.replyByDefault(ChatCompletionsServer.completion("m", "late", "stop").after(Duration.ofSeconds(10)));
        long start = System.nanoTime();

        CallOutcome.Failed failed = (CallOutcome.Failed) run(Duration.ofMillis(700));

        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void givenACallQueuedBehindTheConcurrencyLimit_whenItsDeadlinePasses_thenItFailsAsTimeoutAndIsNeverSent()
            throws Exception {
        provider = new OpenAiCompatibleProvider(new ProviderSettings("local", ProviderType.OPENAI_COMPATIBLE,
                server.baseUrl(), KEY, Duration.ofSeconds(10), Duration.ofSeconds(5), 0, 1, CircuitBreakerSettings.OFF),
                Clock.systemUTC());
        server.replyByDefault(ChatCompletionsServer.completion("m", "slow", "stop").after(Duration.ofMillis(2000)));
        RunningCall first = start(Duration.ofSeconds(10));
        waitFor(() -> server.requestCount() == 1);

        RunningCall queued = start(Duration.ofMillis(800));

        CallOutcome.Failed failed = (CallOutcome.Failed) queued.outcome().get(5, TimeUnit.SECONDS);
        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_TIMEOUT);
        assertThat(failed.message()).contains("before the request's deadline");
        assertThat(first.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(CallOutcome.Answered.class);
        Thread.sleep(300);
        assertThat(server.requestCount()).as("the queued call never reached the provider").isEqualTo(1);
    }

    @Test
    void givenACallInFlight_whenCancelled_thenTheOutcomeIsCancelledAndTheHttpCallIsGoneAtOnce() throws Exception {
        provider = provider(KEY, Duration.ofSeconds(30), 0);
        server.replyByDefault(ChatCompletionsServer.completion("m", "never seen", "stop").after(Duration.ofSeconds(10)));
        RunningCall call = start(Duration.ofSeconds(30));
        waitFor(() -> server.requestCount() == 1 && provider.liveCalls() == 1);
        long start = System.nanoTime();

        call.cancel();

        assertThat(call.outcome().get(1, TimeUnit.SECONDS)).isInstanceOf(CallOutcome.Cancelled.class);
        waitFor(() -> provider.liveCalls() == 0);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void givenAnEndpointThatIsDown_whenCalled_thenItFailsAsUnavailable() throws Exception {
        provider = provider(KEY, Duration.ofSeconds(5), 0);
        server.close();

        CallOutcome.Failed failed = (CallOutcome.Failed) run(Duration.ofSeconds(10));

        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_UNAVAILABLE);
        assertThat(failed.providerStatus()).isNull();
        assertThat(failed.message()).contains("could not be reached");
    }

    private OpenAiCompatibleProvider provider(String key, Duration timeout, int maxRetries) {
        ProviderSettings settings = ProviderSettings.openAiCompatible("local", server.baseUrl(), key)
                .withTimeout(timeout).withMaxRetries(maxRetries);
        return new OpenAiCompatibleProvider(settings, Clock.systemUTC());
    }

    /** As the worker does: the provider's timeout per attempt, its retries, and the request's deadline. */
    private RunningCall start(Duration deadline) {
        ProviderCall call = new ProviderCall("req-1", McpParams.text("What is the capital of France?", 64),
                "gpt-4o-mini", provider.settings().timeout(), TRACE_PARENT);
        return runner.start(List.of(new CallTarget("gpt-4o-mini", provider, call, provider.settings().maxRetries())),
                Instant.now().plus(deadline));
    }

    private CallOutcome run(Duration deadline) throws Exception {
        return start(deadline).outcome().get(30, TimeUnit.SECONDS);
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
