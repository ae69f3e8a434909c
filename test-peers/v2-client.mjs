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
//   env HOST_ID -> X-Sampling-Host-Id header; env CLIENT_TIMEOUT_MS -> per-request timeout (default 90000).
//
// Prints ONE line of JSON: {"ok":true,"result":<CallToolResult|GetPromptResult|ReadResourceResult>,
// "protocolVersion":"<negotiated>"} or
// {"ok":false,"error":{"code":..,"message":..,"data"?:..}}. Exit 0 for both; exit 1 if something unexpected crashed
// (an error that is not one of the SDK's typed errors), 2 for bad usage.
import { Client, ProtocolError, SdkError, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

function usage(message) {
  console.error(`${message}\nusage: node v2-client.mjs <url> <tool|prompt:<name>|resource:<uri>> <json-args> ` +
    "[--version 2026-07-28|auto] [--sampling echo|none] [--elicit accept-json [<json>]] [--cancel-after <ms>]");
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
let version = "2026-07-28";
let sampling = "echo";
let elicitContent; // undefined = no elicitation capability
let cancelAfter; // undefined = never cancel
for (let i = 0; i < flags.length; i++) {
  const flag = flags[i];
  if (flag === "--version") version = flags[++i];
  else if (flag === "--sampling") sampling = flags[++i];
  else if (flag === "--elicit") {
    if (flags[++i] !== "accept-json") usage("--elicit takes accept-json");
    const next = flags[i + 1];
    elicitContent = next !== undefined && !next.startsWith("--") ? parseJson(flags[++i], "--elicit content") : { name: "v2-client" };
  } else if (flag === "--cancel-after") {
    cancelAfter = Number(flags[++i]);
    if (!Number.isFinite(cancelAfter) || cancelAfter < 0) usage("--cancel-after takes a number of milliseconds");
  } else usage(`unknown option ${flag}`);
}
if (!["echo", "none"].includes(sampling)) usage("--sampling takes echo or none");
if (version !== "auto" && !/^\d{4}-\d{2}-\d{2}$/.test(version ?? "")) usage("--version takes 2026-07-28 or auto");
const mode = version === "auto" ? "auto" : { pin: version };

const client = new Client(
  { name: "sampling-broker-v2-client", version: "1.0.0" },
  {
    versionNegotiation: { mode },
    capabilities: {
      ...(sampling === "echo" && { sampling: {} }),
      ...(elicitContent !== undefined && { elicitation: { form: {} } }),
    },
  },
);
if (sampling === "echo") {
  client.setRequestHandler("sampling/createMessage", async (request) => {
    const lastUser = request.params.messages.filter((m) => m.role === "user").at(-1);
    const blocks = Array.isArray(lastUser?.content) ? lastUser.content : [lastUser?.content];
    const lastText = blocks.filter((c) => c?.type === "text").map((c) => c.text).join("");
    return { model: "v2-client-echo", role: "assistant", content: { type: "text", text: `echo: ${lastText}` } };
  });
}
if (elicitContent !== undefined) {
  client.setRequestHandler("elicitation/create", async () => ({ action: "accept", content: elicitContent }));
}

const headers = process.env.HOST_ID ? { "X-Sampling-Host-Id": process.env.HOST_ID } : {};
const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
// On a 2025-era connection the SDK fires notifications/cancelled without awaiting it, and close() aborts in-flight
// POSTs: remember those sends so they can finish before the transport closes.
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
  else result = await client.callTool({ name: tool, arguments: toolArgs }, options);
  console.log(JSON.stringify({ ok: true, result, protocolVersion: client.getNegotiatedProtocolVersion() }));
} catch (error) {
  if (abort.signal.aborted) {
    console.log(JSON.stringify({ ok: false, error: { code: "CANCELLED", message: String(error?.message ?? error) } }));
  } else {
    if (!(error instanceof ProtocolError || error instanceof SdkError)) exitCode = 1;
    const { code = null, message = String(error), data } = error ?? {};
    const errorsAsText = (_key, value) => (value instanceof Error ? `${value.message}${value.cause ? `: ${value.cause.message ?? value.cause}` : ""}` : value);
    console.log(JSON.stringify({ ok: false, error: { code, message, ...(data !== undefined && { data }) } }, errorsAsText));
  }
} finally {
  clearTimeout(cancelTimer);
  await Promise.race([Promise.allSettled([...cancelSends]), new Promise((resolve) => setTimeout(resolve, 5000))]);
  await client.close().catch(() => {});
}
process.exit(exitCode);
