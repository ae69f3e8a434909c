package io.samplingbroker.broker.sampling;

import java.util.Objects;

/**
 * Who asks: the host the request is made for, the upstream server that sent it, and the session between them.
 *
 * @param hostId the agent host (MCP client) the broker acts for
 * @param serverName the configured upstream server name
 * @param sessionId the broker-side session id
 * @param protocolVersion MCP protocol version negotiated on the session, if known
 * @param triggeringToolCall the host's tools/call in progress when the server asked, if known
 */
public record SamplingOrigin(String hostId, String serverName, String sessionId, String protocolVersion,
        String triggeringToolCall) {

    public SamplingOrigin {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(sessionId, "sessionId");
    }
}
