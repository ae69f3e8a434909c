package io.samplingbroker.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.schemas.testing.Requests;

class ReplyRoutesTest {

    private final SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults().withPrefix("unit."));
    private final SamplingContext asked = ReplyRoutes.toBroker(Requests.request("req-1").build().getContext(), topics);

    @Test
    void givenADecisionThatLetsTheRequestThroughAndAsksForResponseReview_whenRouted_thenItsAnswerGoesToReview() {
        for (Decision letThrough : new Decision[] {Decision.APPROVED, Decision.AMENDED}) {
            SamplingContext routed = ReplyRoutes.forDecision(decided(letThrough, true), topics);
            assertThat(routed.getReplyRoute().getReplyTopic()).as(letThrough.name()).isEqualTo("unit.reviews");
            assertThat(ReplyRoutes.goesToReview(routed, topics)).isTrue();
            assertThat(routed.getReplyRoute().getBrokerInstanceId())
                    .isEqualTo(asked.getReplyRoute().getBrokerInstanceId());
            assertThat(ReplyRoutes.toBroker(routed, topics)).as("the way back").isEqualTo(asked);
        }
    }

    @Test
    void givenADenialAHoldOrNoResponseReview_whenRouted_thenTheContextIsLeftAsItIs() {
        assertThat(ReplyRoutes.forDecision(decided(Decision.DENIED, true), topics)).isEqualTo(asked);
        assertThat(ReplyRoutes.forDecision(decided(Decision.HELD_FOR_REVIEW, true), topics)).isEqualTo(asked);
        assertThat(ReplyRoutes.forDecision(decided(Decision.APPROVED, false), topics)).isEqualTo(asked);
        assertThat(ReplyRoutes.goesToReview(asked, topics)).isFalse();
    }

    private SamplingDecided decided(Decision decision, boolean reviewResponse) {
        return SamplingDecided.newBuilder().setContext(asked).setOccurredAt(Requests.T0).setDecision(decision)
                .setDecidedBy(new Decider(DeciderKind.RULE, "unit")).setReviewResponse(reviewResponse).build();
    }
}
