package io.samplingbroker.schemas.topics;

import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;

/**
 * Where a request's answer goes, told by its reply route's topic: the broker sets the results topic (the model's
 * completion is the answer, and the broker takes it from the completions topic); a policy that wants a reviewer to
 * see the response first routes the decision to the reviews topic, so the completion waits there for a reviewer
 * and the review stage writes the answer back on the route to the broker. The model-worker copies the context and
 * needs to know nothing of review.
 */
public final class ReplyRoutes {

    private ReplyRoutes() {
    }

    /**
     * The context a decision carries: routed to review when it lets the request through (to a model, or to the host)
     * and asks for its response to be reviewed (the policy's decision, or a reviewer's approval of a request held so),
     * else the context as it is.
     */
    public static SamplingContext forDecision(SamplingDecided decided, SamplingTopics topics) {
        boolean letsThrough = decided.getDecision() == Decision.APPROVED || decided.getDecision() == Decision.AMENDED
                || decided.getDecision() == Decision.FORWARDED;
        return letsThrough && decided.getReviewResponse() ? viaReview(decided.getContext(), topics)
                : decided.getContext();
    }

    /** A copy of the context whose answer goes to human review before the server sees it. */
    public static SamplingContext viaReview(SamplingContext context, SamplingTopics topics) {
        return withReplyTopic(context, topics.reviews().name());
    }

    /**
     * A copy of the context whose answer goes to another broker instance, keeping its reply topic: a 2026-07-28 host
     * answers a forwarded request in a retry that any instance may receive, and that instance then waits for it.
     */
    public static SamplingContext toInstance(SamplingContext context, String brokerInstanceId) {
        ReplyRoute route = ReplyRoute.newBuilder(context.getReplyRoute()).setBrokerInstanceId(brokerInstanceId).build();
        return SamplingContext.newBuilder(context).setReplyRoute(route).build();
    }

    /** A copy of the context whose answer goes straight to the broker instance holding the server's session. */
    public static SamplingContext toBroker(SamplingContext context, SamplingTopics topics) {
        return withReplyTopic(context, topics.results().name());
    }

    /** Whether the answer waits for a reviewer (the broker must not deliver the completion itself). */
    public static boolean goesToReview(SamplingContext context, SamplingTopics topics) {
        return topics.reviews().name().equals(context.getReplyRoute().getReplyTopic());
    }

    private static SamplingContext withReplyTopic(SamplingContext context, String topic) {
        ReplyRoute route = ReplyRoute.newBuilder(context.getReplyRoute()).setReplyTopic(topic).build();
        return SamplingContext.newBuilder(context).setReplyRoute(route).build();
    }
}
