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
//   env HOST_ID -> X-Sampling-Host-Id header; env CLIENT_TIMEOUT_MS -> per-request timeout (default 90000).
//
// Prints ONE line of JSON: {"ok":true,"result":<CallToolResult|GetPromptResult|ReadResourceResult>,
// "protocolVersion":"<negotiated>"} or {"ok":false,"error":{"code":..,"message":..,"data"?:..}}. Exit 0 for both;
// exit 1 if something unexpected crashed (an error that is neither one of the SDK's typed errors nor a failed
// connection), 2 for bad usage.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { CreateMessageRequestSchema, ElicitRequestSchema, McpError } from "@modelcontextprotocol/sdk/types.js";

function usage(message) {
  console.error(`${message}\nusage: node v1-client.mjs <url> <tool|prompt:<name>|resource:<uri>> <json-args> ` +
    "[--sampling echo|none|reject] [--elicit accept-json [<json>]] [--cancel-after <ms>]");
  process.exit(2);
}

const [url, tool, argsJson, ...flags] = process.argv.slice(2);
if (!url || !tool || argsJson === undefined) usage("missing arguments");
const parseJson = (text, what) => {
  try {
    return JSON.parse(text);
  } catch {
    usage(`${what} is not JSON: ${text}`);
  }
};
const toolArgs = parseJson(argsJson, "<json-args>");
let sampling = "echo";
let elicitContent; // undefined = no elicitation capability
let cancelAfter; // undefined = never cancel
for (let i = 0; i < flags.length; i++) {
  const flag = flags[i];
  if (flag === "--sampling") sampling = flags[++i];
  else if (flag === "--elicit") {
    if (flags[++i] !== "accept-json") usage("--elicit takes accept-json");
    const next = flags[i + 1];
    elicitContent = next !== undefined && !next.startsWith("--") ? parseJson(flags[++i], "--elicit content") : { name: "v1-client" };
  } else if (flag === "--cancel-after") {
    cancelAfter = Number(flags[++i]);
    if (!Number.isFinite(cancelAfter) || cancelAfter < 0) usage("--cancel-after takes a number of milliseconds");
  } else usage(`unknown option ${flag}`);
}
if (!["echo", "none", "reject"].includes(sampling)) usage("--sampling takes echo, none or reject");

const client = new Client(
  { name: "sampling-broker-v1-client", version: "1.0.0" },
  {
    capabilities: {
      ...(sampling !== "none" && { sampling: {} }),
      ...(elicitContent !== undefined && { elicitation: { form: {} } }),
    },
  },
);
if (sampling === "echo") {
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    const lastUser = request.params.messages.filter((m) => m.role === "user").at(-1);
    const blocks = Array.isArray(lastUser?.content) ? lastUser.content : [lastUser?.content];
    const lastText = blocks.filter((c) => c?.type === "text").map((c) => c.text).join("");
    return { model: "v1-client-echo", role: "assistant", content: { type: "text", text: `echo: ${lastText}` } };
  });
} else if (sampling === "reject") {
  client.setRequestHandler(CreateMessageRequestSchema, async () => {
    throw new McpError(-1, "User rejected sampling request");
  });
}
if (elicitContent !== undefined) {
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: elicitContent }));
}

const headers = process.env.HOST_ID ? { "X-Sampling-Host-Id": process.env.HOST_ID } : {};
const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
// The SDK fires notifications/cancelled without awaiting it, and close() aborts in-flight POSTs: remember those sends
// so they can finish before the transport closes.
const cancelSends = new Set();
const send = transport.send.bind(transport);
transport.send = (message, options) => {
  const sent = send(message, options);
  if (message?.method === "notifications/cancelled") {
    cancelSends.add(sent);
    sent.catch(() => {}).finally(() => cancelSends.delete(sent));
  }
  return sent;
};
const timeout = Number(process.env.CLIENT_TIMEOUT_MS ?? 90000);
const abort = new AbortController();
let cancelTimer;
let exitCode = 0;
try {
  await client.connect(transport, { timeout });
  if (cancelAfter !== undefined) cancelTimer = setTimeout(() => abort.abort(`cancelled after ${cancelAfter} ms`), cancelAfter);
  const options = { timeout, signal: abort.signal };
  let result;
  if (tool.startsWith("prompt:")) result = await client.getPrompt({ name: tool.slice(7), arguments: toolArgs }, options);
  else if (tool.startsWith("resource:")) result = await client.readResource({ uri: tool.slice(9) }, options);
  else result = await client.callTool({ name: tool, arguments: toolArgs }, undefined, options);
  console.log(JSON.stringify({ ok: true, result, protocolVersion: transport.protocolVersion ?? null }));
} catch (error) {
  if (abort.signal.aborted) {
    console.log(JSON.stringify({ ok: false, error: { code: "CANCELLED", message: String(error?.message ?? error) } }));
  } else {
    // fetch's TypeError with a cause (refused, reset, DNS) is a connection failure, as the v2 SDK reports it too.
    const connectionFailure = error instanceof TypeError && error.cause !== undefined;
    const typed = error instanceof McpError || error instanceof StreamableHTTPError || error instanceof UnauthorizedError;
    if (!typed && !connectionFailure) exitCode = 1;
    const { code = null, message = String(error), data = connectionFailure ? { cause: error.cause } : undefined } = error ?? {};
    const errorsAsText = (_key, value) => (value instanceof Error ? `${value.message}${value.cause ? `: ${value.cause.message ?? value.cause}` : ""}` : value);
    console.log(JSON.stringify({ ok: false, error: { code, message, ...(data !== undefined && { data }) } }, errorsAsText));
  }
} finally {
  clearTimeout(cancelTimer);
  await Promise.race([Promise.allSettled([...cancelSends]), new Promise((resolve) => setTimeout(resolve, 5000))]);
  await client.close().catch(() => {});
}
process.exit(exitCode);
