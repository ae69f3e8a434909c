package io.samplingbroker.reviewconsole;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.RefusedCommand;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.reviewconsole.DecisionConflicts.Conflict;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;

/**
 * The review list, one review, and deciding; each only for the items of the reviewer's tenants ({@link TenantScope}).
 * An item of another tenant is answered as one that does not exist, so its id tells nothing.
 */
final class ReviewRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewRoutes.class);
    /** How long concluded items stay listed, as long as the approval-worker keeps them. */
    static final Duration CONCLUDED_LISTED = Duration.ofMinutes(15);

    private final ReviewQueue queue;
    private final CommandSink commands;
    private final DecisionOutcomes outcomes;
    private final Duration decisionTimeout;
    private final Clock clock;

    ReviewRoutes(ReviewQueue queue, CommandSink commands, DecisionOutcomes outcomes, Duration decisionTimeout,
            Clock clock) {
        this.queue = queue;
        this.commands = commands;
        this.outcomes = outcomes;
        this.decisionTimeout = decisionTimeout;
        this.clock = clock;
    }

    void list(RoutingContext ctx) {
        TenantScope tenants = session(ctx).tenants();
        Instant now = clock.instant();
        List<ReviewItem> pending = new ArrayList<>();
        List<ReviewItem> concluded = new ArrayList<>();
        for (ReviewItem item : queue.items()) {
            if (!tenants.sees(item.getContext())) {
                continue;
            }
            if (item.getState() == ReviewState.PENDING) {
                pending.add(item);
            } else if (item.getUpdatedAt().plus(CONCLUDED_LISTED).isAfter(now)) {
                concluded.add(item);
            }
        }
        pending.sort(Comparator.comparing((ReviewItem item) -> item.getContext().getDeadline())
                .thenComparing(item -> item.getContext().getRequestId()));
        concluded.sort(Comparator.comparing(ReviewItem::getUpdatedAt).reversed());
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("now", now.toEpochMilli());
        ArrayNode items = json.putArray("items");
        pending.forEach(item -> items.add(ReviewJson.summary(item)));
        concluded.forEach(item -> items.add(ReviewJson.summary(item)));
        ReviewConsoleServer.json(ctx, 200, json);
    }

    void detail(RoutingContext ctx) {
        ReviewItem item = visible(ctx, ctx.pathParam("id"));
        if (item == null) {
            ConsoleErrors.UNKNOWN_REQUEST.send(ctx.response(), "No review for request " + ctx.pathParam("id"));
            return;
        }
        ReviewConsoleServer.json(ctx, 200, ReviewJson.detail(item));
    }

    void decide(RoutingContext ctx) {
        Sessions.Session session = session(ctx);
        String requestId = ctx.pathParam("id");
        if (!ReviewConsoleServer.isJson(ctx)) {
            ConsoleErrors.UNSUPPORTED_MEDIA_TYPE.send(ctx.response(), "Content-Type must be application/json");
            return;
        }
        DecisionRequest request;
        try {
            request = DecisionRequest.parse(ctx.body().asString());
        } catch (InvalidSamplingJsonException e) {
            ObjectNode body = ConsoleErrors.INVALID_DECISION.body(e.getMessage());
            body.put("pointer", e.pointer());
            ConsoleErrors.INVALID_DECISION.send(ctx.response(), body);
            return;
        }
        ReviewItem item = visible(ctx, requestId);
        if (item == null) {
            ConsoleErrors.UNKNOWN_REQUEST.send(ctx.response(), "No review for request " + requestId);
            return;
        }
        Conflict conflict = DecisionConflicts.beforeSending(item, request.stage(), clock.instant());
        if (conflict != null) {
            log(requestId, session, request, conflict.error().status(), ctx);
            conflict.error().send(ctx.response(), conflict.body());
            return;
        }
        ReviewCommand command = request.toCommand(requestId, UUID.randomUUID().toString(), session.reviewer(),
                clock.instant());
        send(ctx, session, request, command);
    }

    /** The item, or null when there is none or it belongs to a tenant the reviewer does not see. */
    private ReviewItem visible(RoutingContext ctx, String requestId) {
        ReviewItem item = queue.get(requestId);
        return item == null || !session(ctx).tenants().sees(item.getContext()) ? null : item;
    }

    private static Sessions.Session session(RoutingContext ctx) {
        return ctx.get(AuthRoutes.SESSION_KEY);
    }

    /** Waits for the item to name the command before sending, so that the fastest answer is not missed. */
    private void send(RoutingContext ctx, Sessions.Session session, DecisionRequest request, ReviewCommand command) {
        Context context = ctx.vertx().getOrCreateContext();
        String requestId = command.getRequestId();
        CompletableFuture<ReviewItem> outcome = outcomes.await(requestId, command.getCommandId(), decisionTimeout);
        commands.send(command).whenComplete((sent, error) -> {
            if (error != null) {
                outcomes.forget(command.getCommandId());
                LOG.warn("Review console: the decision on {} by {} was not written to Kafka: {}", requestId,
                        session.reviewer(), error.toString());
                context.runOnContext(v -> unavailable(ctx, "Kafka did not take the decision; nothing was decided"));
            }
        });
        outcome.whenComplete((answered, error) -> context.runOnContext(v -> {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof CancellationException) {
                return; // not sent: answered above
            }
            if (cause != null) {
                log(requestId, session, request, 503, ctx);
                unavailable(ctx, cause instanceof TimeoutException
                        ? "The approval-worker did not answer within " + decisionTimeout.toSeconds()
                                + " s; nothing was decided by this call"
                        : "The decision could not be confirmed; nothing was decided by this call");
                return;
            }
            answer(ctx, session, request, command, answered);
        }));
    }

    private void answer(RoutingContext ctx, Sessions.Session session, DecisionRequest request, ReviewCommand command,
            ReviewItem item) {
        if (DecisionOutcomes.decidedBy(item, command.getCommandId())) {
            log(command.getRequestId(), session, request, 200, ctx);
            ReviewConsoleServer.json(ctx, 200, ReviewJson.summary(item));
            return;
        }
        RefusedCommand refusal = DecisionOutcomes.refusalOf(item, command.getCommandId());
        Conflict conflict = DecisionConflicts.refused(item, refusal, request.stage());
        log(command.getRequestId(), session, request, conflict.error().status(), ctx);
        conflict.error().send(ctx.response(), conflict.body());
    }

    private static void unavailable(RoutingContext ctx, String message) {
        ConsoleErrors.REVIEW_UNAVAILABLE.send(ctx.response(), message);
    }

    private static void log(String requestId, Sessions.Session session, DecisionRequest request, int status,
            RoutingContext ctx) {
        LOG.info("Review console: {} decided {} at the {} stage of request {} -> {} ({} bytes)", session.reviewer(),
                request.actionName(), request.stage().name().toLowerCase(java.util.Locale.ROOT), requestId, status,
                ctx.body().length());
    }
}
