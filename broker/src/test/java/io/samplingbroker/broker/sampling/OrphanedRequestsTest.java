package io.samplingbroker.broker.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingContext;

class OrphanedRequestsTest {

    private static final String ME = "broker-1";
    private final OrphanedRequests orphans = new OrphanedRequests(ME);

    @Test
    void givenMyRequestsWithAndWithoutAnEnd_whenReadBack_thenOnlyThoseWithoutOneAreOrphansInTheOrderAsked() {
        orphans.requested(context("r1", ME), new byte[] {1});
        orphans.requested(context("r2", ME), new byte[] {2});
        orphans.requested(context("r3", ME), new byte[] {3});
        orphans.ended("r2");

        assertThat(orphans.orphans()).extracting(o -> o.context().getRequestId()).containsExactly("r1", "r3");
        assertThat(orphans.orphans().get(1).requestHash()).containsExactly(3);
    }

    @Test
    void givenAnotherInstancesRequest_whenReadBack_thenItIsNotMine() {
        orphans.requested(context("theirs", "broker-2"), new byte[] {1});

        assertThat(orphans.orphans()).isEmpty();
    }

    @Test
    void givenTheEndReadBeforeItsRequest_whenTheRequestComes_thenItIsNoOrphan() {
        // requests and lifecycle are read from one consumer: their records interleave in any order
        orphans.ended("r1");
        orphans.requested(context("r1", ME), new byte[] {1});

        assertThat(orphans.orphans()).isEmpty();
    }

    private static SamplingContext context(String requestId, String instance) {
        return SamplingContext.newBuilder().setRequestId(requestId).setTraceId("0".repeat(32))
                .setHostId("h").setServerName("s").setSessionId("session").setJsonRpcId("1")
                .setRequestedAt(Instant.EPOCH).setDeadline(Instant.EPOCH.plusSeconds(45))
                .setReplyRoute(new ReplyRoute(instance, "unit.results", null)).build();
    }
}
