package io.samplingbroker.broker.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.apache.avro.specific.SpecificRecord;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.samplingbroker.events.RefusalReason;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.serviceruntime.metrics.SamplingLabels;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.vertx.core.json.JsonObject;

/**
 * What the broker records of every answer it gave a server (docs/operations.md, "Metrics"): requests by outcome,
 * error code, host, tenant, server and model; the end-to-end time; the time from an answer's writing to its
 * arrival here; refusals by reason. Counted where the lifecycle concludes a request, so each request counts once.
 */
final class RequestMetrics {

    static final String REQUESTS = "sampling.requests";
    static final String REFUSALS = "sampling.refusals";

    private final ServiceMetrics metrics;
    private final Clock clock;

    RequestMetrics(ServiceMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
        for (RefusalReason reason : RefusalReason.values()) {
            refusals(reason); // a few series at zero from the start: a rate over them works before the first refusal
        }
    }

    /** The reply reached the server: a result (with the model that made it) or an error (with its code). */
    void delivered(SamplingOutcome.Reply reply) {
        if (reply.context() == null) {
            return; // a reply to no request of the broker's (a task poll): not a sampling answer
        }
        String model = SamplingLabels.NONE;
        if (reply.errorCode() == null && reply.message().json().getValue("result") instanceof JsonObject result) {
            model = SamplingLabels.orNone(result.getString("model"));
        }
        Tags who = SamplingLabels.of(reply.context());
        count(who, reply.errorCode() == null ? "result" : "error",
                reply.errorCode() == null ? SamplingLabels.NONE : Integer.toString(reply.errorCode()), model);
        metrics.stage("end_to_end", who).record(since(reply.context().getRequestedAt()));
    }

    /** The reply could not be written to the server (its connection went away): the server got nothing. */
    void undelivered(SamplingOutcome.Reply reply) {
        if (reply.context() != null) {
            count(SamplingLabels.of(reply.context()), "undelivered", reply.errorCode() == null ? SamplingLabels.NONE
                    : Integer.toString(reply.errorCode()), SamplingLabels.NONE);
        }
    }

    /** Nothing is sent: the server cancelled, or the session or the broker went away ({@code outcome}). */
    void ended(SamplingContext context, String outcome) {
        count(SamplingLabels.of(context), outcome, SamplingLabels.NONE, SamplingLabels.NONE);
    }

    /** An answer for a request pending here arrived: how long it took from being written to reaching this instance. */
    void answered(SpecificRecord answer) {
        Instant written = EventContexts.occurredAt(answer);
        SamplingContext context = EventContexts.of(answer);
        if (written != null && context != null) {
            metrics.stage("delivery", SamplingLabels.of(context)).record(since(written));
        }
    }

    void refused(RefusalReason reason) {
        refusals(reason).increment();
    }

    private Counter refusals(RefusalReason reason) {
        return metrics.counter(REFUSALS, "Sampling requests the broker refused before the pipeline",
                Tags.of("reason", reason.name().toLowerCase(Locale.ROOT)));
    }

    /** @param who the request's labels (host, tenant, server) */
    private void count(Tags who, String outcome, String code, String model) {
        metrics.counter(REQUESTS, "Answers the broker gave servers' sampling requests, by outcome",
                who.and("outcome", outcome, SamplingLabels.CODE, code, SamplingLabels.MODEL, model)).increment();
    }

    private Duration since(Instant start) {
        Duration elapsed = Duration.between(start, clock.instant());
        return elapsed.isNegative() ? Duration.ZERO : elapsed; // another machine's clock ahead of ours
    }
}
