package io.samplingbroker.broker.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.samplingbroker.schemas.testing.MutableClock;

class DelegatedRequestsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final List<DelegatedRequest> forgotten = new ArrayList<>();
    private final DelegatedRequests requests = new DelegatedRequests(clock,
            new DelegationSettings(Duration.ofSeconds(30), Duration.ofMinutes(15), 2), forgotten::add);
    private final AtomicInteger made = new AtomicInteger();

    private DelegatedRequest request(String owner, String key, String digest) {
        int n = made.incrementAndGet();
        Instant now = clock.instant();
        return new DelegatedRequest("r" + n, owner, "everything", "s" + n, "\"d" + n + "\"", now,
                now.plusSeconds(30), key, digest, new CompletableFuture<>());
    }

    private DelegatedRequest admitted(String owner, String key, String digest) {
        DelegatedRequests.Admission admission = requests.admit(owner, key, digest, () -> request(owner, key, digest));
        assertThat(admission).isInstanceOf(DelegatedRequests.Admitted.class);
        return ((DelegatedRequests.Admitted) admission).request();
    }

    private static DelegatedRequest refused(String owner, String key, String digest, int n) {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        return new DelegatedRequest("refused-" + n, owner, "everything", "s", "\"d\"", now, now, key, digest,
                CompletableFuture.completedFuture(new SamplingOutcome.Reply("refused-" + n, null,
                        JsonRpc.error("\"d\"", -32005, "too many pending", null), -32005)));
    }

    private static void complete(DelegatedRequest request) {
        request.outcome.complete(new SamplingOutcome.Reply(request.requestId, null,
                JsonRpc.result(request.jsonRpcIdJson, "{\"role\":\"assistant\"}"), null));
    }

    @Test
    void givenAKeyUsedBefore_whenTheSameBodyComesAgain_thenItIsTheSameRequestAndAnotherBodyIsRefused() {
        DelegatedRequest first = admitted("alice", "k1", "body-a");

        assertThat(requests.admit("alice", "k1", "body-a", () -> request("alice", "k1", "body-a")))
                .isEqualTo(new DelegatedRequests.Retried(first));
        assertThat(requests.admit("alice", "k1", "body-b", () -> request("alice", "k1", "body-b")))
                .isEqualTo(new DelegatedRequests.KeyReused(first));
        assertThat(made).as("no second request was made").hasValue(1);
    }

    @Test
    void givenTwoHosts_whenTheyUseOneKey_thenEachHasItsOwnRequestAndCannotFindTheOthers() {
        DelegatedRequest alices = admitted("alice", "k1", "body");
        DelegatedRequest bobs = admitted("bob", "k1", "body");

        assertThat(bobs).isNotSameAs(alices);
        assertThat(requests.find("alice", alices.requestId)).isSameAs(alices);
        assertThat(requests.find("bob", alices.requestId)).as("another host's id is unknown to it").isNull();
    }

    @Test
    void givenAConcludedRequest_whenItsRetentionPasses_thenItAndItsKeyAreForgottenButPendingOnesStay() {
        DelegatedRequest done = admitted("alice", "k1", "body");
        DelegatedRequest pending = admitted("alice", "k2", "body");
        complete(done);

        clock.advance(Duration.ofMinutes(14));
        assertThat(requests.find("alice", done.requestId)).isSameAs(done);
        clock.advance(Duration.ofMinutes(2));
        assertThat(requests.find("alice", done.requestId)).isNull();
        assertThat(requests.find("alice", pending.requestId)).as("pending: kept whatever its age").isSameAs(pending);
        assertThat(requests.admit("alice", "k1", "other", () -> request("alice", "k1", "other")))
                .as("the key went with its request").isInstanceOf(DelegatedRequests.Admitted.class);
    }

    @Test
    void givenMoreConcludedRequestsThanKept_whenPruned_thenTheFirstConcludedGoFirstAndAreReported() {
        DelegatedRequest longReview = admitted("alice", null, null);
        DelegatedRequest quick = admitted("alice", null, null);
        DelegatedRequest quicker = admitted("alice", null, null);
        complete(quick);
        complete(quicker);
        complete(longReview); // created first, concluded last: the freshest outcome

        requests.prune();

        assertThat(requests.find("alice", quick.requestId)).isNull();
        assertThat(requests.find("alice", quicker.requestId)).isSameAs(quicker);
        assertThat(requests.find("alice", longReview.requestId)).isSameAs(longReview);
        assertThat(forgotten).containsExactly(quick);
    }

    @Test
    void givenARequestRefusedOnArrival_whenItsKeyComesAgain_thenTheRetryIsANewRequest() {
        DelegatedRequests.Admission first = requests.admit("alice", "k1", "b", () -> refused("alice", "k1", "b", 1));
        DelegatedRequests.Admission retry = requests.admit("alice", "k1", "b", () -> refused("alice", "k1", "b", 2));

        assertThat(first).isInstanceOf(DelegatedRequests.Admitted.class);
        assertThat(retry).isInstanceOfSatisfying(DelegatedRequests.Admitted.class,
                admitted -> assertThat(admitted.request().requestId).isEqualTo("refused-2"));
    }

    @Test
    void givenConcludedRequests_whenTheInstanceStops_thenEachIsReportedAndPendingOnesAreNot() {
        DelegatedRequest done = admitted("alice", null, null);
        admitted("alice", null, null);
        complete(done);

        requests.forgetAll();

        assertThat(forgotten).containsExactly(done);
        assertThat(requests.find("alice", done.requestId)).isNull();
    }

    @Test
    void givenAWaiter_whenItsWaitEndsFirst_thenTheOutcomeDoesNotRunIt() {
        DelegatedRequest request = admitted("alice", null, null);
        List<String> woken = new ArrayList<>();
        Runnable leave = request.onConcluded(() -> woken.add("left"));
        request.onConcluded(() -> woken.add("stayed"));
        leave.run();

        complete(request);
        request.onConcluded(() -> woken.add("late"));

        assertThat(woken).containsExactly("stayed", "late");
    }

    @Test
    void givenAConcludedRequest_whenItsOutcomeIsTaken_thenItIsDeliveredOnceUnlessTheWriteFailed() {
        DelegatedRequest request = admitted("alice", null, "b");
        assertThat(request.takeReplyToDeliver()).as("nothing while pending").isNull();
        assertThat(request.describe().getString("status")).isEqualTo("pending");
        complete(request);

        assertThat(request.takeReplyToDeliver()).isNotNull();
        assertThat(request.takeReplyToDeliver()).as("given once").isNull();
        request.notHandedOver();
        assertThat(request.takeReplyToDeliver()).as("the write failed: given again").isNotNull();
        assertThat(request.describe().getString("status")).isEqualTo("completed");
        assertThat(request.describe().getJsonObject("result").getString("role")).isEqualTo("assistant");
    }

    @Test
    void givenNoReply_whenTheHostAskedToCancel_thenItIsCancelledElseAbandoned() {
        DelegatedRequest cancelled = admitted("alice", null, null);
        DelegatedRequest abandoned = admitted("alice", null, null);
        cancelled.cancelRequested();
        cancelled.outcome.complete(new SamplingOutcome.NoReply(cancelled.requestId, "cancelled by the host"));
        abandoned.outcome.complete(new SamplingOutcome.NoReply(abandoned.requestId, "broker stopping"));

        assertThat(cancelled.describe().getString("status")).isEqualTo("cancelled");
        assertThat(abandoned.describe().getString("status")).isEqualTo("abandoned");
        assertThat(abandoned.describe().getString("statusMessage")).isEqualTo("broker stopping");
    }
}
