package io.samplingbroker.reviewconsole;

import static io.samplingbroker.reviewconsole.ConsoleClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.schemas.testing.Requests;

/** Listing and deciding over HTTP, with the test playing the approval-worker. */
class ReviewDecisionHttpTest extends ConsoleServerTestBase {

    @Test
    void givenAnEditWithInvalidParams_whenDeciding_then400WithThePointer() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        queue.put(ReviewItems.pending("req-1"));
        // When
        HttpResponse<String> response = client.postJson("/api/reviews/req-1/decision",
                "{\"stage\": \"request\", \"action\": \"edit\", "
                        + "\"params\": {\"messages\": [], \"maxTokens\": \"many\"}}");
        // Then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("invalid_decision");
        assertThat(json(response).get("pointer").asText()).isEqualTo("/params/maxTokens");
        assertThat(sent).isEmpty();
    }

    @Test
    void givenADenialWithoutReason_whenDeciding_then400PointingAtTheReason() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        queue.put(ReviewItems.pending("req-1"));
        // When
        HttpResponse<String> response = client.postJson("/api/reviews/req-1/decision",
                "{\"stage\": \"request\", \"action\": \"deny\"}");
        // Then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("pointer").asText()).isEqualTo("/reason");
    }

    @Test
    void givenAnUnknownRequest_whenDecidingOrReading_then404UnknownRequest() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        // When
        HttpResponse<String> decided = client.postJson("/api/reviews/nope/decision",
                "{\"stage\": \"request\", \"action\": \"approve\"}");
        HttpResponse<String> read = client.get("/api/reviews/nope");
        // Then
        assertThat(decided.statusCode()).isEqualTo(404);
        assertThat(json(decided).get("error").asText()).isEqualTo("unknown_request");
        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(sent).isEmpty();
    }

    @Test
    void givenAnItemBobDecided_whenAliceDecides_then409AlreadyDecidedWithoutWritingACommand() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        queue.put(ReviewItems.decided(ReviewItems.pending("req-1"), "cmd-bob", "bob", ReviewAction.APPROVE));
        // When
        HttpResponse<String> response = client.postJson("/api/reviews/req-1/decision",
                "{\"stage\": \"request\", \"action\": \"deny\", \"reason\": \"no\"}");
        // Then
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).isEqualTo("already_decided");
        assertThat(json(response).get("message").asText())
                .matches("Already decided by bob at \\d\\d:\\d\\d:\\d\\d UTC \\(approve\\)");
        assertThat(json(response).get("decision").get("reviewer").asText()).isEqualTo("bob");
        assertThat(sent).isEmpty();
    }

    @Test
    void givenAPendingItem_whenTheWorkerAppliesTheCommand_then200AndTheCommandCarriesTheSessionsReviewer()
            throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        ReviewItem pending = ReviewItems.pending("req-1");
        queue.put(pending);
        worker = command -> ReviewItems.decided(pending, command.getCommandId(), command.getReviewer(),
                command.getAction());
        // When (a reviewer named in the body is ignored)
        HttpResponse<String> response = client.postJson("/api/reviews/req-1/decision",
                "{\"stage\": \"request\", \"action\": \"approve\", \"reason\": \"fine\", \"reviewer\": \"bob\"}");
        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("state").asText()).isEqualTo("approved");
        assertThat(json(response).get("decision").get("reviewer").asText()).isEqualTo("alice");
        assertThat(sent).singleElement().satisfies(command -> {
            assertThat(command.getReviewer()).isEqualTo("alice");
            assertThat(command.getRequestId()).isEqualTo("req-1");
            assertThat(command.getAction()).isEqualTo(ReviewAction.APPROVE);
            assertThat(command.getReason()).isEqualTo("fine");
            assertThat(command.getCommandId()).hasSize(36);
        });
    }

    @Test
    void givenBobWinsTheRace_whenTheWorkerRefusesAlicesCommand_then409WithTheWorkersWords() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        ReviewItem pending = ReviewItems.pending("req-1");
        queue.put(pending);
        ReviewItem bobs = ReviewItems.decided(pending, "cmd-bob", "bob", ReviewAction.DENY);
        worker = command -> ReviewItems.refused(bobs, command.getCommandId(), command.getReviewer(),
                "Already decided by bob at 12:03:04 UTC (deny)");
        // When
        HttpResponse<String> response = client.postJson("/api/reviews/req-1/decision",
                "{\"stage\": \"request\", \"action\": \"approve\"}");
        // Then
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).isEqualTo("already_decided");
        assertThat(json(response).get("message").asText()).isEqualTo("Already decided by bob at 12:03:04 UTC (deny)");
    }

    @Test
    void givenNoAnswerFromTheWorkerOrKafka_whenDeciding_then503ReviewUnavailable() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        queue.put(ReviewItems.pending("req-1"));
        // When (the worker never answers within the 1 s of this test)
        HttpResponse<String> silent = client.postJson("/api/reviews/req-1/decision",
                "{\"stage\": \"request\", \"action\": \"approve\"}");
        kafkaDown = true;
        HttpResponse<String> down = client.postJson("/api/reviews/req-1/decision",
                "{\"stage\": \"request\", \"action\": \"approve\"}");
        // Then
        assertThat(silent.statusCode()).isEqualTo(503);
        assertThat(json(silent).get("error").asText()).isEqualTo("review_unavailable");
        assertThat(down.statusCode()).isEqualTo(503);
    }

    @Test
    void givenPendingAndConcludedItems_whenListed_thenPendingComeFirstByDeadline() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        ReviewItem late = ReviewItems.pending(Requests.request("req-late")
                .requestedAt(Instant.now()).deadlineAfter(Duration.ofMinutes(9)));
        ReviewItem soon = ReviewItems.pending("req-soon");
        ReviewItem done = ReviewItems.decided(ReviewItems.pending("req-done"), "c", "bob", ReviewAction.APPROVE);
        List.of(done, late, soon).forEach(queue::put);
        // When
        HttpResponse<String> response = client.get("/api/reviews");
        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("items").findValuesAsText("requestId"))
                .containsExactly("req-soon", "req-late", "req-done");
    }
}
