package io.samplingbroker.devstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import io.samplingbroker.serviceruntime.tracing.TracingSettings;

/** What the dev stack prints for a newcomer: where things are, and how to point common hosts at the broker. */
final class ConnectionGuide {

    private ConnectionGuide() {
    }

    /** Where the dev stack's parts are, and how to sign in to the review console. */
    record Addresses(String mcpUrl, String bootstrapServers, String registryUrl, Path stdioScript, Path policyFile,
            Path dataDir, String consoleUrl, String reviewerName, DevReviewer reviewer,
            Map<String, Integer> managementPorts, TracingSettings tracing) {
    }

    static void print(PrintStream out, Addresses at) {
        String mcpUrl = at.mcpUrl();
        Path stdioScript = at.stdioScript();
        out.println();
        out.println("Sampling Broker dev stack is up");
        out.println("  MCP URL (give this to a host) : " + mcpUrl);
        out.println("    hosts are NOT authenticated (broker.auth.mode=none, loopback only): a host names itself");
        out.println("    with X-Sampling-Host-Id or clientInfo.name; a deployment uses bearer tokens (broker/README.md)");
        out.println("  Review console                : " + at.consoleUrl());
        out.println("    sign in as '" + at.reviewerName() + "' with password " + at.reviewer().password()
                + (at.reviewer().passwordFile() == null ? " (from SAMPLING_DEV_REVIEWER_PASSWORD)"
                        : " (kept in " + at.reviewer().passwordFile() + ")"));
        out.println("  Kafka bootstrap servers       : " + at.bootstrapServers() + " (SASL_SSL: each service signs in"
                + " as its own user;");
        out.println("    client settings of users admin, audit, broker in " + at.dataDir().resolve("kafka-clients")
                + ")");
        out.println("  Schema registry               : " + at.registryUrl());
        out.println("  Metrics and health (Prometheus): " + String.join(", ", at.managementPorts().entrySet().stream()
                .map(port -> port.getKey() + " http://127.0.0.1:" + port.getValue() + "/metrics").toList()));
        out.println("    (/health/ready and /health/live on the same ports; docs/operations.md lists the metrics)");
        out.println("  Traces (OpenTelemetry)        : " + (at.tracing().enabled() ? "OTLP to "
                + at.tracing().otlpEndpoint() : "off (set SAMPLING_TRACING_OTLP_ENDPOINT, docs/operations.md)"));
        out.println("  Approval policy (edit, restart): " + at.policyFile());
        out.println("  Data (kept across restarts)   : " + at.dataDir());
        out.println();
        out.println("Try it: call the tool 'trigger-sampling-request' of server-everything through the broker.");
        out.println("  The sample policy's last rule (review-everything-server) holds server-everything's requests:");
        out.println("  approve, edit or deny each in the review console within " + DevStack.DEADLINE.toSeconds()
                + " s. Change or remove that rule in the policy file to choose what is held.");
        out.println("  TypeScript SDK client (installed by the build):");
        out.println("    node test-peers/sampling-client.mjs http " + mcpUrl + " \"Hello\" 100");
        out.println("  MCP Inspector (Node 22+): npx @modelcontextprotocol/inspector --cli "
                + mcpUrl + " --transport http --method tools/call"
                + " --tool-name trigger-sampling-request --tool-arg prompt=hello");
        out.println();
        out.println("VS Code (.vscode/mcp.json):");
        out.println("  {\"servers\": {\"everything-via-broker\": {\"type\": \"http\", \"url\": \"" + mcpUrl + "\"}}}");
        out.println("Cursor (~/.cursor/mcp.json):");
        out.println("  {\"mcpServers\": {\"everything-via-broker\": {\"url\": \"" + mcpUrl + "\"}}}");
        out.println("Claude Desktop (claude_desktop_config.json; stdio hosts run the broker's stdio front):");
        out.println("  {\"mcpServers\": {\"everything-via-broker\": {\"command\": \"" + stdioScript + "\", \"args\": "
                + "[\"--host-id\", \"claude-desktop\", \"--\", \"npx\", \"-y\", \"" + ExampleServer.PACKAGE + "\", \"stdio\"]}}}");
        out.println();
        out.println("Press Ctrl-C to stop everything.");
        out.println();
    }
}
