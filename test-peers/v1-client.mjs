// A real MCP host on the official TypeScript SDK v1 (@modelcontextprotocol/sdk 1.32.2) for the integration tests: a
// 2025-11-25-era client with a session (initialize handshake, Mcp-Session-Id) over Streamable HTTP. It calls one tool,
// prompt or resource and answers the server's push-style sampling/createMessage and elicitation/create requests with
// the handlers below. Same command line and output contract as v2-client.mjs (less --version: v1 only speaks 2025).
//
//   node v1-client.mjs <url> <tool> <json-args> [--sampling echo|none|reject] [--elicit accept-json [<json>]]
//                      [--cancel-after <ms>]
//
//   <tool>    a tool name (tools/call), or prompt:<name> (prompts/get with <json-args> as the prompt arguments), or
//             resource:<uri> (resources/read; <json-args> is ignored, pass {}).
//   --sampling echo (default) declares the sampling capability and answers sampling/createMessage with
//             model "v1-client-echo", text "echo: <last user text>"; reject declares it and answers every request with
//             the error McpError(-1, "User rejected sampling request"); none declares no sampling capability.
//   --elicit accept-json [<json>] declares form elicitation and answers every elicitation/create with
//             {action: "accept", content: <json>} (default content {"name":"v1-client"}); without it: no elicitation.
//   --cancel-after <ms> passes an AbortSignal that aborts the call after <ms>; the SDK then sends
//             notifications/cancelled (2025 era) and the output is {"ok":false,"error":{"code":"CANCELLED",..}}.
//   env HOST_ID -> X-Sampling-Host-Id header; env HOST_TOKEN -> Authorization: Bearer header; env TRACEPARENT ->
//             the W3C traceparent header of every request; env CLIENT_TIMEOUT_MS ->
//             per-request timeout (default 90000).
//
// Prints ONE line of JSON: {"ok":true,"result":<CallToolResult|GetPromptResult|ReadResourceResult>,
// "protocolVersion":"<negotiated>"} or {"ok":false,"error":{"code":..,"message":..,"data"?:..}}. Exit 0 for both;
// exit 1 if something unexpected crashed (an error that is neither one of the SDK's typed errors nor a failed
// connection), 2 for bad usage.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { CreateMessageRequestSchema, ElicitRequestSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import { echoAnswer, hostHeaders, parseHostArgs, runCall } from "./host-cli.mjs";

const args = parseHostArgs("v1-client.mjs", ["echo", "none", "reject"]);
const client = new Client(
  { name: "sampling-broker-v1-client", version: "1.0.0" },
  {
    capabilities: {
      ...(args.sampling !== "none" && { sampling: {} }),
      ...(args.elicitContent !== undefined && { elicitation: { form: {} } }),
    },
  },
);
if (args.sampling === "echo") {
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => echoAnswer("v1-client-echo", request));
} else if (args.sampling === "reject") {
  client.setRequestHandler(CreateMessageRequestSchema, async () => {
    throw new McpError(-1, "User rejected sampling request");
  });
}
if (args.elicitContent !== undefined) {
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: args.elicitContent }));
}
const transport = new StreamableHTTPClientTransport(new URL(args.url), { requestInit: { headers: hostHeaders() } });
await runCall(args, client, transport, {
  callTool: (c, name, toolArgs, options) => c.callTool({ name, arguments: toolArgs }, undefined, options),
  protocolVersion: () => transport.protocolVersion ?? null,
  // fetch's TypeError with a cause (refused, reset, DNS) is a connection failure, as the v2 SDK reports it too.
  expected: (error) => {
    const connectionFailure = error instanceof TypeError && error.cause !== undefined;
    const typed = error instanceof McpError || error instanceof StreamableHTTPError || error instanceof UnauthorizedError;
    return { typed: typed || connectionFailure, data: connectionFailure ? { cause: error.cause } : error?.data };
  },
});
