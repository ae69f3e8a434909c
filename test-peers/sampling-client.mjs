// A real MCP client (the official TypeScript SDK) for the integration tests: connects to an MCP endpoint, calls
// server-everything's trigger-sampling-request tool, and prints one JSON line: {"ok":true,"text":...} or
// {"ok":false,"error":...}. It declares no sampling capability itself: the broker must answer sampling. With
// CALLS=n in the environment it makes n calls at once in its one session (prompts "<prompt> #1".."#n"), and is ok
// only if every one is; the texts are joined by newlines.
//
//   node sampling-client.mjs http <url> <prompt> [maxTokens]
//   node sampling-client.mjs stdio <prompt> <maxTokens> <command> [args...]
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [mode, ...rest] = process.argv.slice(2);
let transport;
let prompt;
let maxTokens;
if (mode === "http") {
  const [url, p, m] = rest;
  prompt = p;
  maxTokens = Number(m ?? 100);
  transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { "X-Sampling-Host-Id": process.env.HOST_ID ?? "ts-sdk-test-host" } },
  });
} else if (mode === "stdio") {
  const [p, m, command, ...args] = rest;
  prompt = p;
  maxTokens = Number(m);
  transport = new StdioClientTransport({ command, args, env: { ...process.env }, stderr: "inherit" });
} else {
  console.error("usage: sampling-client.mjs http <url> <prompt> [maxTokens] | stdio <prompt> <maxTokens> <command> [args...]");
  process.exit(2);
}

const client = new Client({ name: "sampling-broker-it-client", version: "1.0.0" }, { capabilities: {} });
const timeoutMs = Number(process.env.CLIENT_TIMEOUT_MS ?? 90000);
try {
  await client.connect(transport);
  const tools = await client.listTools();
  const names = tools.tools.map((t) => t.name);
  if (!names.includes("trigger-sampling-request")) {
    throw new Error("server offers no trigger-sampling-request tool (sampling capability not declared?): " + names.join(","));
  }
  const calls = Number(process.env.CALLS ?? 1);
  const results = await Promise.all(Array.from({ length: calls }, (_, i) => client.callTool(
    { name: "trigger-sampling-request", arguments: { prompt: calls === 1 ? prompt : `${prompt} #${i + 1}`, maxTokens } },
    undefined,
    { timeout: timeoutMs },
  )));
  const text = results.flatMap((result) => (result.content ?? []).filter((c) => c.type === "text").map((c) => c.text))
    .join("\n");
  const isError = results.some((result) => result.isError);
  console.log(JSON.stringify({ ok: !isError, isError, text }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error?.message ?? error), code: error?.code ?? null }));
} finally {
  await client.close().catch(() => {});
}
