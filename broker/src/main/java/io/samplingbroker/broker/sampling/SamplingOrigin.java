package io.samplingbroker.broker.sampling;

import java.util.Objects;

import io.samplingbroker.events.HostSampling;
import io.samplingbroker.events.InputRequestRef;

/**
 * Who asks: the host the request is made for, the upstream server that sent it, the session or call between them,
 * and the protocol each side speaks.
 *
 * @param host the agent host (MCP client) the broker acts for
 * @param serverName the configured upstream server name
 * @param sessionId the broker-side session id; for a sessionless (2026-07-28) host, the id the broker gave the call
 * @param hostProtocolVersion MCP protocol version negotiated with the host, if known
 * @param serverProtocolVersion MCP protocol version negotiated with the server, if known
 * @param triggeringCall the tool, prompt or resource of the host's call the server was serving when it asked, if known
 * @param inputRequest where in an {@code input_required} result the server asked (2026-07-28), else null
 * @param hostSampling what the host itself declared of {@code sampling}, when it did and the broker can send it a
 *     request (a policy may then forward the request to it); null otherwise
 * @param traceParent the W3C {@code traceparent} of the host's call the server was serving (its HTTP header, or its
 *     {@code _meta.traceparent}), if any: the request joins that trace unless the server's own request names one
 */
public record SamplingOrigin(HostIdentity host, String serverName, String sessionId, String hostProtocolVersion,
        String serverProtocolVersion, String triggeringCall, InputRequestRef inputRequest, HostSampling hostSampling,
        String traceParent) {

    public SamplingOrigin {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(host.id(), "host.id");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(sessionId, "sessionId");
    }

    public String hostId() {
        return host.id();
    }
}
