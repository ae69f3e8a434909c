// A real MCP host on the official TypeScript SDK v2 (@modelcontextprotocol/client 2.4.0) for the integration tests of
// MCP 2026-07-28 multi round-trip (MRTR) sampling: connects over Streamable HTTP, calls one tool, and lets the SDK's
// auto-fulfilment driver answer every input_required round with the handlers below.
//
//   node v2-client.mjs <url> <tool> <json-args> [--version 2026-07-28|auto] [--sampling echo|none]
//                      [--elicit accept-json [<json>]] [--cancel-after <ms>]
//
//   <tool>    a tool name (tools/call), or prompt:<name> (prompts/get with <json-args> as the prompt arguments), or
//             resource:<uri> (resources/read; <json-args> is ignored, pass {}).
//   --version 2026-07-28 (default) pins the modern era (server/discover must offer it, no fallback);
//             auto probes server/discover and falls back to the 2025 initialize handshake.
//   --sampling echo (default) declares the sampling capability and answers sampling/createMessage with
//             model "v2-client-echo", text "echo: <last user text>"; none declares no sampling capability.
//   --elicit accept-json [<json>] declares form elicitation and answers every elicitation/create with
//             {action: "accept", content: <json>} (default content {"name":"v2-client"}); without it: no elicitation.
//   --cancel-after <ms> passes an AbortSignal that aborts the call after <ms>; on a 2026-07-28 connection the SDK
//             aborts the request's HTTP stream (the modern cancellation signal), on a 2025 one it sends
//             notifications/cancelled. The output is then {"ok":false,"error":{"code":"CANCELLED",..}}.
//   env HOST_ID -> X-Sampling-Host-Id header; env HOST_TOKEN -> Authorization: Bearer header; env TRACEPARENT ->
//             the W3C traceparent header of every request; env CLIENT_TIMEOUT_MS ->
//             per-request timeout (default 90000).
//
// Prints ONE line of JSON: {"ok":true,"result":<CallToolResult|GetPromptResult|ReadResourceResult>,
// "protocolVersion":"<negotiated>"} or
// {"ok":false,"error":{"code":..,"message":..,"data"?:..}}. Exit 0 for both; exit 1 if something unexpected crashed
// (an error that is not one of the SDK's typed errors), 2 for bad usage.
import { Client, ProtocolError, SdkError, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { echoAnswer, hostHeaders, parseHostArgs, runCall } from "./host-cli.mjs";

const args = parseHostArgs("v2-client.mjs", ["echo", "none"], { "--version": "2026-07-28" });
const version = args["--version"];
if (version !== "auto" && !/^\d{4}-\d{2}-\d{2}$/.test(version ?? "")) args.usage("--version takes 2026-07-28 or auto");
const client = new Client(
  { name: "sampling-broker-v2-client", version: "1.0.0" },
  {
    versionNegotiation: { mode: version === "auto" ? "auto" : { pin: version } },
    capabilities: {
      ...(args.sampling === "echo" && { sampling: {} }),
      ...(args.elicitContent !== undefined && { elicitation: { form: {} } }),
    },
  },
);
if (args.sampling === "echo") {
  client.setRequestHandler("sampling/createMessage", async (request) => echoAnswer("v2-client-echo", request));
}
if (args.elicitContent !== undefined) {
  client.setRequestHandler("elicitation/create", async () => ({ action: "accept", content: args.elicitContent }));
}
const transport = new StreamableHTTPClientTransport(new URL(args.url), { requestInit: { headers: hostHeaders() } });
await runCall(args, client, transport, {
  callTool: (c, name, toolArgs, options) => c.callTool({ name, arguments: toolArgs }, options),
  protocolVersion: () => client.getNegotiatedProtocolVersion(),
  expected: (error) => ({ typed: error instanceof ProtocolError || error instanceof SdkError, data: error?.data }),
});
