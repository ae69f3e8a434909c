// A real MCP server on the official TypeScript SDK v2 (@modelcontextprotocol/server 2.4.0 + @modelcontextprotocol/node
// 2.1.2) over Streamable HTTP, for the integration tests of the broker's MCP 2026-07-28 "multi round-trip" (MRTR,
// SEP-2322) support: every tool, prompt and resource that needs sampling asks for it the SDK v2 way, by returning
// inputRequired({ inputRequests: { key: inputRequired.createMessage(...) } }) and reading the answer on re-entry.
//
//   node mrtr-server.mjs <port|0> [stateless|sessionful]
//
// Prints exactly one line to stdout, `LISTENING <port>` (port 0 picks a free one), then logs to stderr only.
// Endpoint: http://127.0.0.1:<port>/mcp (other paths answer 404; Host must be a localhost name, else 403).
//
//   stateless  (default) createMcpHandler(factory): the SDK's default handler. 2026-07-28 requests are served per
//              request; 2025-era requests get the SDK's stateless legacy fallback (no sessions, GET/DELETE = 405).
//   sessionful the SDK's documented dual-era wiring: isLegacyRequest() routes 2025-era traffic to sessionful
//              streamable HTTP transports (Mcp-Session-Id, GET stream), everything else to a strict modern
//              createMcpHandler(factory, { legacy: 'reject' }). On a 2025 session the SDK's legacy shim fulfils
//              the same inputRequired returns by sending real server->client sampling/createMessage requests.
//
// Tools: sample {prompt}, two-rounds {prompt}, mixed {prompt}, echo {text}, progress-sample {prompt} (like sample, but
// each round first sends a notifications/progress related to the request, so the SDK answers that round with an SSE
// stream instead of a JSON body), slow-sample {prompt, delayMs} (like sample, but waits delayMs before asking; logs
// `slow-sample cancelled` to stderr if the request is cancelled meanwhile); prompt: sample-prompt {prompt};
// resource: mrtr://sampled. A sampling answer that is not a CreateMessageResult yields a result saying what came back.
import { randomUUID } from "node:crypto";
import {
  McpServer,
  createMcpHandler,
  createRequestStateCodec,
  fromJsonSchema,
  inputRequired,
  inputResponse,
  isInitializeRequest,
  isLegacyRequest,
} from "@modelcontextprotocol/server";
import {
  NodeStreamableHTTPServerTransport,
  toNodeHandler,
  toWebRequest,
} from "@modelcontextprotocol/node";
import { jsonError, serveMcp } from "./fixture-http.mjs";

const [portArg = "0", mode = "stateless"] = process.argv.slice(2);
if (!["stateless", "sessionful"].includes(mode)) {
  console.error("usage: node mrtr-server.mjs <port|0> [stateless|sessionful]");
  process.exit(2);
}
const log = (...args) => console.error("[mrtr-server]", ...args);

// requestState carries round 1's answer into round 2 of two-rounds; it travels through the client, so it is
// HMAC-sealed by the SDK's codec (a tampered value is refused with -32602 before the handler runs).
const stateCodec = createRequestStateCodec({ key: crypto.getRandomValues(new Uint8Array(32)), ttlSeconds: 600 });

const promptSchema = fromJsonSchema({ type: "object", properties: { prompt: { type: "string" } }, required: ["prompt"] });
const slowSchema = fromJsonSchema({
  type: "object",
  properties: { prompt: { type: "string" }, delayMs: { type: "number", minimum: 0 } },
  required: ["prompt", "delayMs"],
});
const textSchema = fromJsonSchema({ type: "object", properties: { text: { type: "string" } }, required: ["text"] });
const nameSchema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };

const askSampling = (text) =>
  inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text } }], maxTokens: 100 });

const textOf = (content) =>
  (Array.isArray(content) ? content : [content]).map((c) => (c?.type === "text" ? c.text : JSON.stringify(c))).join("");

// The answer to the sampling input `key` of this round: undefined while not asked/answered yet, {model, text} for a
// CreateMessageResult, or {failure} for anything else the client sent under that key (the SDK hands the handler any
// bare object; it drops non-objects and {method, result}-style wrappers and lists their keys in droppedInputResponseKeys).
function samplingAnswer(ctx, key) {
  const view = inputResponse(ctx.mcpReq.inputResponses, key);
  if (view.kind === "sampling") return { model: view.result.model, text: textOf(view.result.content) };
  if (ctx.mcpReq.droppedInputResponseKeys?.includes(key)) {
    return { failure: `input response '${key}' was dropped by the SDK (not a bare result object)` };
  }
  const raw = ctx.mcpReq.inputResponses?.[key];
  if (raw !== undefined) return { failure: `input response '${key}' is not a sampling result: ${JSON.stringify(raw)}` };
  return undefined;
}
// A progress notification related to the current request (so it travels on that request's response stream). It uses
// the request's own progressToken when the client sent one; otherwise a token of its own ("progress-sample-<id>"),
// which a client drops as unknown (the SDKs report it to onerror) but which still turns the response into SSE.
const notifyProgress = (ctx, progress, message) =>
  ctx.mcpReq.notify({
    method: "notifications/progress",
    params: { progressToken: ctx.mcpReq._meta?.progressToken ?? `progress-sample-${ctx.mcpReq.id}`, progress, total: 2, message },
  });
// Resolves after ms, or rejects with the signal's reason once the request is cancelled.
const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
const text = (t, isError = false) => ({ content: [{ type: "text", text: t }], ...(isError && { isError: true }) });
const failed = (answer) => text(`sampling failed: ${answer.failure}`, true);

function buildServer({ era }) {
  const server = new McpServer(
    { name: "mrtr-test-server", version: "1.0.0" },
    { requestState: { verify: stateCodec.verify } },
  );

  server.registerTool("echo", { description: "Returns its text", inputSchema: textSchema }, async ({ text: t }) => text(t));

  server.registerTool(
    "sample",
    { description: "One sampling round", inputSchema: promptSchema },
    async ({ prompt }, ctx) => {
      const answer = samplingAnswer(ctx, "sample");
      log(`sample era=${era} id=${ctx.mcpReq.id} answered=${answer !== undefined}`);
      if (answer === undefined) return inputRequired({ inputRequests: { sample: askSampling(prompt) } });
      if (answer.failure) return failed(answer);
      return text(`sampled: ${answer.model}: ${answer.text}`);
    },
  );

  server.registerTool(
    "progress-sample",
    { description: "One sampling round; every round sends a progress notification first (SSE response)", inputSchema: promptSchema },
    async ({ prompt }, ctx) => {
      const answer = samplingAnswer(ctx, "sample");
      log(`progress-sample era=${era} id=${ctx.mcpReq.id} answered=${answer !== undefined}`);
      if (answer === undefined) {
        await notifyProgress(ctx, 0, "asking for sampling");
        return inputRequired({ inputRequests: { sample: askSampling(prompt) } });
      }
      await notifyProgress(ctx, 1, "sampling answered");
      if (answer.failure) return failed(answer);
      return text(`sampled: ${answer.model}: ${answer.text}`);
    },
  );

  server.registerTool(
    "slow-sample",
    { description: "One sampling round, asked for after delayMs (for cancellation tests)", inputSchema: slowSchema },
    async ({ prompt, delayMs }, ctx) => {
      const answer = samplingAnswer(ctx, "sample");
      log(`slow-sample era=${era} id=${ctx.mcpReq.id} answered=${answer !== undefined}`);
      if (answer === undefined) {
        try {
          await sleep(delayMs, ctx.mcpReq.signal);
        } catch (reason) {
          log(`slow-sample cancelled era=${era} id=${ctx.mcpReq.id} reason=${String(reason?.message ?? reason)}`);
          return text("slow-sample cancelled", true); // not delivered: the SDK sends nothing for a cancelled request
        }
        return inputRequired({ inputRequests: { sample: askSampling(prompt) } });
      }
      if (answer.failure) return failed(answer);
      return text(`sampled: ${answer.model}: ${answer.text}`);
    },
  );

  server.registerTool(
    "two-rounds",
    { description: "Two sampling rounds in sequence", inputSchema: promptSchema },
    async ({ prompt }, ctx) => {
      const state = ctx.mcpReq.requestState(); // verified payload {round1} or undefined
      log(`two-rounds era=${era} id=${ctx.mcpReq.id} state=${JSON.stringify(state)}`);
      if (state === undefined) {
        const first = samplingAnswer(ctx, "round1");
        if (first === undefined) return inputRequired({ inputRequests: { round1: askSampling(prompt) } });
        if (first.failure) return failed(first);
        return inputRequired({
          inputRequests: { round2: askSampling(`${prompt} (first answer: ${first.text})`) },
          requestState: await stateCodec.mint({ round1: first.text }),
        });
      }
      const second = samplingAnswer(ctx, "round2");
      if (second === undefined) {
        return inputRequired({
          inputRequests: { round2: askSampling(`${prompt} (first answer: ${state.round1})`) },
          requestState: await stateCodec.mint(state),
        });
      }
      if (second.failure) return failed(second);
      return text(`round1: ${state.round1} | round2: ${second.text}`);
    },
  );

  server.registerTool(
    "mixed",
    { description: "Sampling and a form elicitation in one round", inputSchema: promptSchema },
    async ({ prompt }, ctx) => {
      const sampled = samplingAnswer(ctx, "sample");
      const elicited = inputResponse(ctx.mcpReq.inputResponses, "name");
      log(`mixed era=${era} id=${ctx.mcpReq.id} sampled=${sampled !== undefined} elicited=${elicited.kind}`);
      if (sampled?.failure) return failed(sampled);
      if (sampled === undefined || elicited.kind !== "elicit") {
        return inputRequired({
          inputRequests: {
            ...(sampled === undefined && { sample: askSampling(prompt) }),
            ...(elicited.kind !== "elicit" && {
              name: inputRequired.elicit({ message: "What is your name?", requestedSchema: nameSchema }),
            }),
          },
        });
      }
      return text(`sampled: ${sampled.text} | elicited: ${elicited.action} ${JSON.stringify(elicited.content ?? null)}`);
    },
  );

  server.registerPrompt(
    "sample-prompt",
    { description: "A prompt whose text comes from one sampling round", argsSchema: promptSchema },
    async ({ prompt }, ctx) => {
      const answer = samplingAnswer(ctx, "sample");
      if (answer === undefined) return inputRequired({ inputRequests: { sample: askSampling(prompt) } });
      const t = answer.failure ? `sampling failed: ${answer.failure}` : `sampled: ${answer.model}: ${answer.text}`;
      return { messages: [{ role: "user", content: { type: "text", text: t } }] };
    },
  );

  server.registerResource("sampled", "mrtr://sampled", { mimeType: "text/plain" }, async (uri, ctx) => {
    const answer = samplingAnswer(ctx, "sample");
    if (answer === undefined) return inputRequired({ inputRequests: { sample: askSampling("Describe mrtr://sampled") } });
    const t = answer.failure ? `sampling failed: ${answer.failure}` : `sampled: ${answer.model}: ${answer.text}`;
    return { contents: [{ uri: uri.href, mimeType: "text/plain", text: t }] };
  });

  return server;
}

const onerror = (error) => log("error:", error?.message ?? error);
let serve; // (req, res) => Promise<void>
if (mode === "stateless") {
  serve = toNodeHandler(createMcpHandler(buildServer, { onerror }), { onerror });
} else {
  const modern = toNodeHandler(createMcpHandler(buildServer, { legacy: "reject", onerror }), { onerror });
  const sessions = new Map(); // Mcp-Session-Id -> NodeStreamableHTTPServerTransport
  const legacy = async (req, res, body) => {
    const sessionId = req.headers["mcp-session-id"];
    if (sessionId) {
      const transport = sessions.get(sessionId);
      return transport ? transport.handleRequest(req, res, body) : jsonError(res, 404, -32001, "Session not found");
    }
    if (!isInitializeRequest(body)) return jsonError(res, 400, -32000, "Bad Request: Session ID required");
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => sessions.set(id, transport),
    });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await buildServer({ era: "legacy" }).connect(transport);
    return transport.handleRequest(req, res, body);
  };
  serve = async (req, res) => {
    const request = await toWebRequest(req); // reads the body once; isLegacyRequest classifies exactly as the SDK does
    const body = req.method === "POST" ? await request.clone().json().catch(() => undefined) : undefined;
    return (await isLegacyRequest(request)) ? legacy(req, res, body) : modern(req, res, body);
  };
}

serveMcp(portArg, serve, { log, onerror, mode });
