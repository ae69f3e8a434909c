package io.samplingbroker.broker.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingContext;

class PendingRequestsTest {

    private final PendingRequests pending = new PendingRequests();

    @Test
    void givenTheSameJsonRpcIdInTwoSessions_whenLookedUp_thenEachSessionFindsItsOwnRequest() {
        // Given
        PendingRequest first = request("r-1", "session-1", "7");
        PendingRequest second = request("r-2", "session-2", "7");
        pending.add(first);
        pending.add(second);

        // Then
        assertThat(pending.bySessionAndJsonRpcId("session-1", "7")).isSameAs(first);
        assertThat(pending.bySessionAndJsonRpcId("session-2", "7")).isSameAs(second);
        assertThat(pending.bySessionAndJsonRpcId("session-1", "\"7\"")).as("a string id is another id").isNull();
        assertThat(pending.byRequestId("r-2")).isSameAs(second);
        assertThat(pending.ofSession("session-1")).containsExactly(first);
    }

    @Test
    void givenTwoConcludersRacing_whenBothRemoveTheRequest_thenOnlyTheFirstMayConcludeIt() {
        // Given
        PendingRequest request = request("r-1", "session-1", "7");
        pending.add(request);

        // When
        boolean first = pending.remove(request);
        boolean second = pending.remove(request);

        // Then
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(pending.byRequestId("r-1")).isNull();
        assertThat(pending.bySessionAndJsonRpcId("session-1", "7")).isNull();
        assertThat(pending.size()).isZero();
    }

    private static PendingRequest request(String requestId, String sessionId, String jsonRpcIdJson) {
        return new PendingRequest(SamplingContext.newBuilder().setRequestId(requestId).setTraceId("0".repeat(32))
                .setHostId("h").setServerName("s").setSessionId(sessionId).setJsonRpcId(jsonRpcIdJson)
                .setRequestedAt(Instant.EPOCH).setDeadline(Instant.EPOCH.plusSeconds(45))
                .setReplyRoute(new ReplyRoute("broker-a", null, null)).build());
    }
}
