package io.samplingbroker.modelworker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.modelworker.testing.McpParams;

/** The per-provider bound on attempts in flight: queueing, hand-over, cancellation while waiting and in flight. */
class ConcurrencyLimitTest {

    /** A provider whose every call waits until the test completes it. */
    private static final class HeldProvider implements ModelProvider {
        final List<CompletableFuture<ProviderAnswer>> calls = new CopyOnWriteArrayList<>();
        final List<String> started = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "held";
        }

        @Override
        public CompletableFuture<ProviderAnswer> call(ProviderCall call) {
            if (call.requestId().startsWith("throw")) {
                throw new IllegalStateException("broken client");
            }
            started.add(call.requestId());
            CompletableFuture<ProviderAnswer> answer = new CompletableFuture<>();
            calls.add(answer);
            return answer;
        }

        @Override
        public void close() {
        }
    }

    private final HeldProvider provider = new HeldProvider();
    private final ConcurrencyLimit limit = new ConcurrencyLimit(provider, 2);

    @Test
    void givenTwoSlots_whenThreeCallsCome_thenTheThirdWaitsForTheFirstToEndAndEachGetsItsOwnAnswer() {
        CompletableFuture<ProviderAnswer> first = limit.call(call("a"));
        CompletableFuture<ProviderAnswer> second = limit.call(call("b"));
        CompletableFuture<ProviderAnswer> third = limit.call(call("c"));

        assertThat(provider.started).containsExactly("a", "b");
        assertThat(limit.waiting()).isEqualTo(1);

        ProviderAnswer answer = OfflineEchoModel.answer(McpParams.text("x", 8));
        provider.calls.get(0).complete(answer);

        assertThat(first).isCompletedWithValue(answer);
        assertThat(provider.started).containsExactly("a", "b", "c");
        assertThat(limit.inFlight()).isEqualTo(2);
        provider.calls.get(1).completeExceptionally(new ProviderFailure(FailureCode.PROVIDER_UNAVAILABLE, "down"));
        assertThat(second).isCompletedExceptionally();
        assertThat(third).isNotDone();
        assertThat(limit.inFlight()).isEqualTo(1);
    }

    @Test
    void givenACallThatWaits_whenCancelled_thenItNeverStartsAndTheSlotGoesToTheNext() {
        limit.call(call("a"));
        limit.call(call("b"));
        CompletableFuture<ProviderAnswer> given = limit.call(call("given-up"));
        limit.call(call("d"));

        given.cancel(true);
        provider.calls.get(0).complete(OfflineEchoModel.answer(McpParams.text("x", 8)));

        assertThat(provider.started).containsExactly("a", "b", "d");
        assertThat(limit.waiting()).isZero();
    }

    @Test
    void givenACallInFlight_whenCancelled_thenTheProvidersCallIsCancelledAndTheSlotFreed() {
        CompletableFuture<ProviderAnswer> first = limit.call(call("a"));
        limit.call(call("b"));
        limit.call(call("c"));

        first.cancel(true);

        assertThat(provider.calls.get(0)).isCancelled();
        assertThat(provider.started).containsExactly("a", "b", "c");
    }

    @Test
    void givenAClientThatThrows_whenCalled_thenTheAnswerFailsAndTheSlotIsFreed() {
        CompletableFuture<ProviderAnswer> broken = limit.call(call("throw-1"));
        limit.call(call("a"));
        limit.call(call("b"));

        assertThat(broken).isCompletedExceptionally();
        assertThat(provider.started).containsExactly("a", "b");
        assertThat(limit.inFlight()).isEqualTo(2);
    }

    private static ProviderCall call(String id) {
        return new ProviderCall(id, McpParams.text("hi", 8), "m", Duration.ofSeconds(1), null);
    }
}
