package io.samplingbroker.broker.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Calls;
import io.samplingbroker.broker.mcp.Envelope;
import io.samplingbroker.broker.mcp.HeldRound;
import io.samplingbroker.broker.mcp.InputRounds.RoundAnswer;
import io.samplingbroker.broker.mcp.ProtocolVersions;
import io.samplingbroker.broker.mcp.RequestStateSeal;
import io.samplingbroker.broker.sampling.HostIdentity;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.upstream.ServerEras;
import io.samplingbroker.broker.upstream.SessionlessServer;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.broker.upstream.Upstreams;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves hosts that speak 2026-07-28: each request stands alone, so any broker instance serves any request and N
 * instances behind a load balancer need no affinity. A call to a 2026-07-28 server runs through its input rounds
 * here ({@link HostRound} answers them); what the host must answer itself comes back to it as {@code input_required},
 * with the broker's sampling answers sealed in the {@code requestState} its retry brings back. A call to a legacy
 * server goes over a session the broker holds for the host ({@link LegacySessionPool}).
 */
final class SessionlessCalls {

    private static final Logger LOG = LoggerFactory.getLogger(SessionlessCalls.class);
    /** How long a host may take to answer the input the broker passed on (a person filling a form). */
    static final Duration HELD_FOR = Duration.ofHours(1);

    private final Vertx vertx;
    private final Upstreams upstreams;
    private final SamplingDispatcher dispatcher;
    private final RequestStateSeal seal;
    private final Clock clock;
    private final LegacySessionPool legacySessions;
    private final ForwardedAnswers forwardedAnswers;

    SessionlessCalls(Vertx vertx, Upstreams upstreams, SamplingDispatcher dispatcher, RequestStateSeal seal,
            Clock clock, LegacySessionPool legacySessions) {
        this.vertx = vertx;
        this.legacySessions = legacySessions;
        this.upstreams = upstreams;
        this.dispatcher = dispatcher;
        this.seal = seal;
        this.clock = clock;
        this.forwardedAnswers = new ForwardedAnswers(dispatcher);
    }

    void serve(RoutingContext ctx, UpstreamSpec spec, JsonRpcMessage request) {
        EnvelopeCheck.Refusal refusal = EnvelopeCheck.check(request, ctx.request().headers());
        if (refusal != null) {
            GatewayErrors.refused(ctx.response(), request, refusal);
            return;
        }
        if (request.isRequest("initialize")) {
            // The SDK v2 server's answer: there is no initialize in this revision.
            GatewayErrors.refused(ctx.response(), request, new EnvelopeCheck.Refusal(404, JsonRpc.METHOD_NOT_FOUND,
                    "Method not found: initialize is not a " + ProtocolVersions.CURRENT + " method (use server/discover,"
                            + " or initialize without the envelope for a 2025-11-25 session)", null));
            return;
        }
        if (request.kind() != JsonRpcMessage.Kind.REQUEST) {
            ctx.response().setStatusCode(202).end(); // nothing to pass on: without a session, a notification has no peer
            return;
        }
        Context context = vertx.getOrCreateContext();
        CallReply reply = new CallReply(ctx.response(), String.valueOf(ctx.request().getHeader("Accept")), context);
        upstreams.eras().of(spec).whenComplete((era, failure) -> {
            if (failure != null) {
                context.runOnContext(ignored -> GatewayErrors.upstreamUnavailable(ctx.response(), request, spec.name(),
                        failure.getCause() != null ? failure.getCause() : failure));
            } else if (era instanceof ServerEras.Era.Sessionless) {
                call(ctx, upstreams.eras().sessionless(spec.name()), request, reply);
            } else {
                callLegacy(ctx, spec, request, reply);
            }
        });
    }

    /** A legacy server: the call goes over the session the broker holds for this host. */
    private void callLegacy(RoutingContext ctx, UpstreamSpec spec, JsonRpcMessage request, CallReply reply) {
        Envelope envelope = Envelope.of(request.params());
        legacySessions.session(spec, HostIdentities.of(ctx, request), envelope).whenComplete((session, failure) -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                reply.finish(JsonRpc.error(request.idJson(), SamplingErrors.INTERNAL_ERROR, "Upstream server '"
                        + spec.name() + "' unavailable: " + cause.getMessage(), null));
                return;
            }
            if (request.isRequest("server/discover")) {
                reply.finish(JsonRpc.result(request.idJson(), discoveryOf(session.initializeResult()).encode()));
                return;
            }
            LegacySessionPool.PooledSession.Call call = session.call(request);
            ctx.response().closeHandler(closed -> session.cancel(call, "the host closed its connection"));
            call.response().thenAccept(response -> reply.finish(complete(response)));
        });
    }

    /** What a 2026-07-28 host learns of a legacy server, from the initialize result of the session held for it. */
    private static JsonObject discoveryOf(JsonObject initializeResult) {
        JsonObject discovery = new JsonObject().put("supportedVersions", new JsonArray(ProtocolVersions.SUPPORTED))
                .put("capabilities", initializeResult.getJsonObject("capabilities", new JsonObject()))
                .put("resultType", "complete")
                .put("_meta", new JsonObject().put(Envelope.SERVER_INFO, initializeResult.getJsonObject("serverInfo",
                        new JsonObject())));
        if (initializeResult.getValue("instructions") instanceof String instructions) {
            discovery.put("instructions", instructions);
        }
        return discovery;
    }

    /** A legacy result for a 2026-07-28 host, which requires every result to say its {@code resultType}. */
    private static JsonRpcMessage complete(JsonRpcMessage response) {
        if (response.json().getValue("result") instanceof JsonObject result && !result.containsKey("resultType")) {
            return JsonRpcMessage.of(response.json().copy().put("result", result.copy().put("resultType", "complete")));
        }
        return response;
    }

    private void call(RoutingContext ctx, SessionlessServer server, JsonRpcMessage request, CallReply reply) {
        if (request.isRequest("server/discover")) {
            server.send(request, Map.of(), reply::notify)
                    .thenAccept(answer -> reply.finish(discovered(answer.message()), answer.status()));
            return;
        }
        HeldRound held;
        try {
            held = heldRound(ctx, request);
        } catch (RequestStateSeal.InvalidRequestStateException e) {
            // The SDK v2 server's answer to a bad requestState, so hosts handle both alike.
            reply.finish(JsonRpc.error(request.idJson(), JsonRpc.INVALID_PARAMS, "Invalid or expired requestState: "
                    + e.getMessage(), "{\"reason\":\"invalid_request_state\"}"));
            return;
        }
        if (held != null && !held.forwarded().isEmpty()) {
            // The host answered sampling the policy forwarded to it: through the pipeline first, then to the server.
            forwardedAnswers.record(held, request).thenAccept(recorded -> {
                if (recorded instanceof RoundAnswer.Finish finish) {
                    reply.finish(finish.toHost());
                } else {
                    RoundAnswer.Responses responses = (RoundAnswer.Responses) recorded;
                    proceed(ctx, server, request, withAnswers(held, responses.inputResponses()), reply,
                            responses.whenSent());
                }
            });
            return;
        }
        proceed(ctx, server, request, held, reply, () -> { });
    }

    /** A held round with more of the broker's answers: those the pipeline concluded for the host's forwards. */
    private static HeldRound withAnswers(HeldRound held, JsonObject concluded) {
        JsonObject answers = held.answers().copy();
        concluded.forEach(entry -> answers.put(entry.getKey(), entry.getValue()));
        return new HeldRound(held.serverState(), answers, held.forwarded(), held.round(), held.callMethod(),
                held.callName(), held.expires(), held.owner());
    }

    private void proceed(RoutingContext ctx, SessionlessServer server, JsonRpcMessage request, HeldRound held,
            CallReply reply, Runnable whenSent) {
        Envelope envelope = Envelope.of(request.params());
        HostIdentity host = HostIdentities.of(ctx, request);
        JsonRpcMessage call = forServer(request, envelope, held);
        String scope = "call-" + UUID.randomUUID();
        HostRound round = new HostRound(dispatcher, seal, clock, HELD_FOR, host, server.name(), scope, request,
                Calls.traceParentOf(request, ctx.request().getHeader(McpHeaders.TRACEPARENT)));
        ctx.response().closeHandler(closed -> round.hostLeft());
        LOG.debug("Call {} {} of host {} to server '{}'{}", request.method(), request.idJson(), host.id(), server.name(),
                held == null ? "" : " continues round " + held.round());
        Map<String, String> passedOn = passedOnHeaders(ctx);
        AtomicInteger lastStatus = new AtomicInteger(200); // of the server's latest answer, across rounds
        upstreams.rounds().run(call, held == null ? 0 : held.round(), sent -> server.send(sent, passedOn, reply::notify)
                .thenApply(answer -> {
                    lastStatus.set(answer.status());
                    return answer.message();
                }), round)
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        reply.finish(JsonRpc.error(request.idJson(), SamplingErrors.INTERNAL_ERROR,
                                "The call could not be completed: " + failure.getMessage(), null));
                    } else {
                        whenSent.run();
                        // The server's status says what kind of answer it is (400 bad envelope, 404 no method, ...);
                        // what the broker concludes itself follows a server answer of 200.
                        reply.finish(response.withId(request.idJson()), lastStatus.get());
                    }
                });
    }

    /**
     * The host's {@code Mcp-Param-*} headers (SEP-2243: tool arguments a server reads from headers), passed on as sent;
     * the server checks them against the body. Its W3C trace context too: the server's spans join the host's trace.
     */
    private static Map<String, String> passedOnHeaders(RoutingContext ctx) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        ctx.request().headers().forEach(header -> {
            if (header.getKey().regionMatches(true, 0, "Mcp-Param-", 0, "Mcp-Param-".length())
                    || header.getKey().equalsIgnoreCase(McpHeaders.TRACEPARENT)
                    || header.getKey().equalsIgnoreCase("tracestate")) {
                headers.put(header.getKey(), header.getValue());
            }
        });
        return headers;
    }

    /** The round the host's retry continues, when its requestState is the broker's; null for a first call. */
    private HeldRound heldRound(RoutingContext ctx, JsonRpcMessage request) {
        Object state = request.params().getValue("requestState");
        if (!(state instanceof String text) || !RequestStateSeal.isSealed(text)) {
            return null;
        }
        return seal.open(text, clock.instant(), request.method(), Calls.nameOf(request),
                HostIdentities.of(ctx, request).owner());
    }

    /**
     * The request as the server must see it: {@code sampling} declared in the envelope, and for a retry of a round the
     * broker held, its sampling answers merged with the host's and the server's own {@code requestState} restored.
     * The broker's answers win over an entry the host wrote under the same key: they went through the pipeline.
     */
    static JsonRpcMessage forServer(JsonRpcMessage request, Envelope envelope, HeldRound held) {
        JsonObject json = request.json().copy();
        JsonObject params = envelope.withSampling().writeInto(json.getJsonObject("params"));
        if (held != null) {
            JsonObject responses = params.getValue("inputResponses") instanceof JsonObject fromHost ? fromHost.copy()
                    : new JsonObject();
            held.answers().forEach(entry -> responses.put(entry.getKey(), entry.getValue()));
            params.put("inputResponses", responses);
            if (held.serverState() == null) {
                params.remove("requestState");
            } else {
                params.put("requestState", held.serverState());
            }
        }
        return JsonRpcMessage.of(json.put("params", params));
    }

    /** The server's discovery, naming every revision the broker speaks with hosts: it bridges the eras. */
    private static JsonRpcMessage discovered(JsonRpcMessage response) {
        if (!(response.json().getValue("result") instanceof JsonObject result)) {
            return response;
        }
        JsonObject copy = result.copy().put("supportedVersions", new JsonArray(ProtocolVersions.SUPPORTED));
        return JsonRpcMessage.of(response.json().copy().put("result", copy));
    }

}
