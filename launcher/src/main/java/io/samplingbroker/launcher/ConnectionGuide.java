package io.samplingbroker.launcher;

import java.io.PrintStream;
import java.nio.file.Path;

/** What the dev stack prints for a newcomer: where things are, and how to point common hosts at the broker. */
final class ConnectionGuide {

    private ConnectionGuide() {
    }

    static void print(PrintStream out, String mcpUrl, String bootstrapServers, String registryUrl, Path stdioScript,
            Path policyFile, Path dataDir) {
        out.println();
        out.println("Sampling Broker dev stack is up");
        out.println("  MCP URL (give this to a host) : " + mcpUrl);
        out.println("  Kafka bootstrap servers       : " + bootstrapServers);
        out.println("  Schema registry               : " + registryUrl);
        out.println("  Approval policy (edit, restart): " + policyFile);
        out.println("  Data (kept across restarts)   : " + dataDir);
        out.println();
        out.println("Try it: call the tool 'trigger-sampling-request' of server-everything through the broker.");
        out.println("  TypeScript SDK client (installed by the build):");
        out.println("    node test-peers/sampling-client.mjs http " + mcpUrl + " \"Hello\" 100");
        out.println("  MCP Inspector (Node 22+): npx @modelcontextprotocol/inspector --cli "
                + mcpUrl.substring(0, mcpUrl.lastIndexOf('/')) + " --transport http --method tools/call"
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
