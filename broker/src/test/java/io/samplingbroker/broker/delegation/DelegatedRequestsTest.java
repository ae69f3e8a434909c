package io.samplingbroker.broker.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.samplingbroker.schemas.testing.MutableClock;

class DelegatedRequestsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final DelegatedRequests requests = new DelegatedRequests(clock,
            new DelegationSettings(Duration.ofSeconds(30), Duration.ofMinutes(15), 2));
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
    void givenMoreConcludedRequestsThanKept_whenPruned_thenTheOldestGoFirst() {
        DelegatedRequest oldest = admitted("alice", null, "b");
        DelegatedRequest middle = admitted("alice", null, "b");
        DelegatedRequest newest = admitted("alice", null, "b");
        complete(oldest);
        complete(middle);
        complete(newest);

        requests.prune();

        assertThat(requests.find("alice", oldest.requestId)).isNull();
        assertThat(requests.find("alice", middle.requestId)).isSameAs(middle);
        assertThat(requests.find("alice", newest.requestId)).isSameAs(newest);
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
}
