// The fixture server for the official MCP conformance suite (@modelcontextprotocol/conformance, server mode), on the
// official TypeScript SDK v2 (@modelcontextprotocol/server 2.4.0 + @modelcontextprotocol/node 2.1.2) over Streamable
// HTTP. It implements the tools, resources, prompts and behaviours the suite's server scenarios call for, by name
// (test_simple_text, test://static-text, test_simple_prompt, test_input_required_result_*, ...), the SDK v2 way; it
// follows the SDK's own conformance fixture (typescript-sdk test/conformance/src/everythingServer.ts) without express
// or zod: schemas are plain JSON Schema through fromJsonSchema, like mrtr-server.mjs.
//
//   node conformance-server.mjs <port|0> [stateless|sessionful]
//
// Prints exactly one line to stdout, `LISTENING <port>` (port 0 picks a free one), then logs to stderr only.
// Endpoint: http://127.0.0.1:<port>/mcp (other paths answer 404; Host must be a localhost name, else 403).
//
//   stateless  (default) createMcpHandler(factory): 2026-07-28 requests are served per request; 2025-era requests get
//              the SDK's stateless legacy fallback (a fresh server per POST, no sessions, GET/DELETE = 405). That
//              posture has no return path for server->client requests, so the 2025-only scenarios that need one
//              (tools-call-sampling, tools-call-elicitation, elicitation-sep1034-defaults, elicitation-sep1330-enums)
//              and those that need a session (server-sse-polling; server-session-lifecycle has nothing to test)
//              cannot pass in this mode: an SDK limit of the posture, documented in its migration guide.
//   sessionful the SDK's documented dual-era wiring: isLegacyRequest() routes 2025-era traffic to sessionful
//              NodeStreamableHTTPServerTransports (Mcp-Session-Id, GET stream, an in-memory event store and a retry
//              interval for SEP-1699 resumability), everything else to a strict createMcpHandler(factory,
//              { legacy: 'reject' }). On a 2025 session the SDK's legacy shim fulfils the inputRequired returns by
//              sending real server->client sampling/createMessage, elicitation/create and roots/list requests.
//
// Extensions: io.modelcontextprotocol/skills (sep-2640-*) through the SDK's SkillsExtension; not implemented:
// io.modelcontextprotocol/tasks (tasks-* scenarios), for which SDK v2 2.4.0 has no server support.
import { randomUUID } from "node:crypto";
import {
  CLIENT_CAPABILITIES_META_KEY,
  McpServer,
  ResourceTemplate,
  acceptedContent,
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
import { SkillsExtension, memorySkillFiles } from "@modelcontextprotocol/server/ext/skills";

const [portArg = "0", mode = "stateless"] = process.argv.slice(2);
if (!["stateless", "sessionful"].includes(mode)) {
  console.error("usage: node conformance-server.mjs <port|0> [stateless|sessionful]");
  process.exit(2);
}
const log = (...args) => console.error("[conformance-server]", ...args);

// 1x1 red PNG and a minimal WAV, the payloads the scenarios' descriptions suggest.
const TEST_IMAGE_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const TEST_AUDIO_BASE64 = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

// requestState travels through the client, so it is HMAC-sealed by the SDK's codec; its verify runs at the server
// seam, which answers a tampered or expired state with -32602 before any handler runs (input-required-result-
// tampered-state). The key is per process: the 2026-07-28 path builds a fresh McpServer per request.
const stateCodec = createRequestStateCodec({ key: crypto.getRandomValues(new Uint8Array(32)), ttlSeconds: 600 });

const schema = (properties = {}, required = []) => fromJsonSchema({ type: "object", properties, required });
const emptySchema = schema();
const text = (t, isError = false) => ({ content: [{ type: "text", text: t }], ...(isError && { isError: true }) });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nameRequest = (message = "What is your name?") =>
  inputRequired.elicit({
    message,
    requestedSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
  });
const confirmRequest = () =>
  inputRequired.elicit({
    message: "Please confirm",
    requestedSchema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
  });
const samplingText = (view) =>
  view.kind === "sampling"
    ? (Array.isArray(view.result.content) ? view.result.content : [view.result.content])
        .map((c) => (c?.type === "text" ? c.text : JSON.stringify(c)))
        .join("")
    : undefined;
const elicitSummary = (view) => `action=${view.action}, content=${JSON.stringify(view.content ?? {})}`;

// SEP-2640 skills extension (sep-2640-* scenarios): one skill with a subdirectory, served from memory by the SDK's
// SkillsExtension (skills/list, skills/get, resources/directory/read, skill:// resources). Loaded once; attached to
// every server instance.
const skills = await SkillsExtension.load(
  memorySkillFiles({
    "conformance-fixture/SKILL.md":
      "---\nname: conformance-fixture\ndescription: How to drive the conformance fixture server's test tools.\n---\n" +
      "# Conformance fixture\n\nCall `test_simple_text` for a text result; [the guide](references/GUIDE.md) lists the rest.\n",
    "conformance-fixture/references/GUIDE.md":
      "# Guide\n\n- `test_image_content`: one PNG image\n- `test_audio_content`: one WAV clip\n",
  }),
  { onWarning: (warning) => log("skill warning:", warning.path, warning.message) },
);

// 2025-era session transports, by Mcp-Session-Id (sessionful mode only); test_reconnection closes its SSE stream.
const sessions = new Map();
// The modern (2026-07-28) handler: its .notify publishes list-changed events to open subscriptions/listen streams.
let modernHandler;

// The 2025-11-25 scenarios' session features (resources/subscribe, logging/setLevel) act on this per-server state.
function buildServer() {
  const subscriptions = new Set();
  const server = new McpServer(
    { name: "conformance-test-server", version: "1.0.0" },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {}, // deprecated at 2026-07-28 (SEP-2577); kept for the 2025 logging-set-level leg
        completions: {},
      },
      requestState: { verify: stateCodec.verify },
    },
  );
  const sendLog = (level, data) =>
    server.server
      .notification({ method: "notifications/message", params: { level, logger: "conformance-test-server", data } })
      .catch(() => {});

  // ----- tools: content types, errors, logging, progress (tools-call-*) -----
  server.registerTool("test_simple_text", { description: "Tests simple text content response" }, async () =>
    text("This is a simple text response for testing."),
  );
  server.registerTool("test_image_content", { description: "Tests image content response" }, async () => ({
    content: [{ type: "image", data: TEST_IMAGE_BASE64, mimeType: "image/png" }],
  }));
  server.registerTool("test_audio_content", { description: "Tests audio content response" }, async () => ({
    content: [{ type: "audio", data: TEST_AUDIO_BASE64, mimeType: "audio/wav" }],
  }));
  server.registerTool("test_embedded_resource", { description: "Tests embedded resource content response" }, async () => ({
    content: [
      {
        type: "resource",
        resource: { uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." },
      },
    ],
  }));
  server.registerTool(
    "test_multiple_content_types",
    { description: "Tests response with multiple content types (text, image, resource)" },
    async () => ({
      content: [
        { type: "text", text: "Multiple content types test:" },
        { type: "image", data: TEST_IMAGE_BASE64, mimeType: "image/png" },
        {
          type: "resource",
          resource: {
            uri: "test://mixed-content-resource",
            mimeType: "application/json",
            text: JSON.stringify({ test: "data", value: 123 }),
          },
        },
      ],
    }),
  );
  server.registerTool(
    "test_tool_with_logging",
    { description: "Tests tool that emits log messages during execution", inputSchema: emptySchema },
    async (_args, ctx) => {
      for (const [i, data] of ["Tool execution started", "Tool processing data", "Tool execution completed"].entries()) {
        if (i > 0) await sleep(50);
        await ctx.mcpReq.notify({ method: "notifications/message", params: { level: "info", data } });
      }
      return text("Tool with logging executed successfully");
    },
  );
  server.registerTool(
    "test_tool_with_progress",
    { description: "Tests tool that reports progress notifications", inputSchema: emptySchema },
    async (_args, ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      if (progressToken !== undefined) {
        // no progress without a client-supplied token
        for (const progress of [0, 50, 100]) {
          await ctx.mcpReq.notify({
            method: "notifications/progress",
            params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
          });
          if (progress < 100) await sleep(50);
        }
      }
      return text(String(progressToken ?? "no-progress-token"));
    },
  );
  server.registerTool("test_error_handling", { description: "Tests error response handling" }, async () => {
    throw new Error("This tool intentionally returns an error for testing"); // the SDK answers isError: true
  });

  // SEP-1699 (server-sse-polling, 2025 sessions): closes the call's SSE stream mid-call; the result is then delivered
  // from the event store when the client reconnects with Last-Event-ID.
  server.registerTool(
    "test_reconnection",
    { description: "Closes the SSE stream mid-call; the result arrives after the client reconnects (SEP-1699)", inputSchema: emptySchema },
    async (_args, ctx) => {
      const transport = ctx.sessionId ? sessions.get(ctx.sessionId) : undefined;
      if (transport && ctx.mcpReq.id !== undefined) transport.closeSSEStream(ctx.mcpReq.id);
      await sleep(100);
      return text("Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.");
    },
  );

  // ----- tools that need client input (2025: server->client requests via the legacy shim; 2026: input_required) -----
  server.registerTool(
    "test_sampling",
    { description: "Tests server-initiated sampling (LLM completion request)", inputSchema: schema({ prompt: { type: "string" } }, ["prompt"]) },
    async ({ prompt }, ctx) => {
      const answer = samplingText(inputResponse(ctx.mcpReq.inputResponses, "sampling"));
      if (answer === undefined) {
        return inputRequired({
          inputRequests: {
            sampling: inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text: prompt } }], maxTokens: 100 }),
          },
        });
      }
      return text(`LLM response: ${answer}`);
    },
  );
  server.registerTool(
    "test_elicitation",
    { description: "Tests server-initiated elicitation (user input request)", inputSchema: schema({ message: { type: "string" } }, ["message"]) },
    async ({ message }, ctx) => {
      const view = inputResponse(ctx.mcpReq.inputResponses, "response");
      if (view.kind !== "elicit") {
        return inputRequired({
          inputRequests: {
            response: inputRequired.elicit({
              message,
              requestedSchema: {
                type: "object",
                properties: { response: { type: "string", description: "User's response" } },
                required: ["response"],
              },
            }),
          },
        });
      }
      return text(`User response: ${elicitSummary(view)}`);
    },
  );
  server.registerTool(
    "test_elicitation_sep1034_defaults",
    { description: "Tests elicitation with default values per SEP-1034", inputSchema: emptySchema },
    async (_args, ctx) => {
      const view = inputResponse(ctx.mcpReq.inputResponses, "defaults");
      if (view.kind !== "elicit") {
        return inputRequired({
          inputRequests: {
            defaults: inputRequired.elicit({
              message: "Please review and update the form fields with defaults",
              requestedSchema: {
                type: "object",
                properties: {
                  name: { type: "string", description: "User name", default: "John Doe" },
                  age: { type: "integer", description: "User age", default: 30 },
                  score: { type: "number", description: "User score", default: 95.5 },
                  status: { type: "string", description: "User status", enum: ["active", "inactive", "pending"], default: "active" },
                  verified: { type: "boolean", description: "Verification status", default: true },
                },
                required: [],
              },
            }),
          },
        });
      }
      return text(`Elicitation completed: ${elicitSummary(view)}`);
    },
  );
  server.registerTool(
    "test_elicitation_sep1330_enums",
    { description: "Tests elicitation with enum schema improvements per SEP-1330", inputSchema: emptySchema },
    async (_args, ctx) => {
      const view = inputResponse(ctx.mcpReq.inputResponses, "enums");
      if (view.kind !== "elicit") {
        return inputRequired({
          inputRequests: {
            enums: inputRequired.elicit({
              message: "Please select options from the enum fields",
              requestedSchema: {
                type: "object",
                properties: {
                  untitledSingle: { type: "string", description: "Select one option", enum: ["option1", "option2", "option3"] },
                  titledSingle: {
                    type: "string",
                    description: "Select one option with titles",
                    oneOf: [
                      { const: "value1", title: "First Option" },
                      { const: "value2", title: "Second Option" },
                      { const: "value3", title: "Third Option" },
                    ],
                  },
                  legacyEnum: {
                    type: "string",
                    description: "Select one option (legacy)",
                    enum: ["opt1", "opt2", "opt3"],
                    enumNames: ["Option One", "Option Two", "Option Three"],
                  },
                  untitledMulti: {
                    type: "array",
                    description: "Select multiple options",
                    minItems: 1,
                    maxItems: 3,
                    items: { type: "string", enum: ["option1", "option2", "option3"] },
                  },
                  titledMulti: {
                    type: "array",
                    description: "Select multiple options with titles",
                    minItems: 1,
                    maxItems: 3,
                    items: {
                      anyOf: [
                        { const: "value1", title: "First Choice" },
                        { const: "value2", title: "Second Choice" },
                        { const: "value3", title: "Third Choice" },
                      ],
                    },
                  },
                },
                required: [],
              },
            }),
          },
        });
      }
      return text(`Elicitation completed: ${elicitSummary(view)}`);
    },
  );

  // SEP-1613 / SEP-2106: the JSON Schema 2020-12 keywords must survive tools/list verbatim.
  server.registerTool(
    "json_schema_2020_12_tool",
    {
      description: "Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613, SEP-2106)",
      inputSchema: fromJsonSchema({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        $defs: {
          address: { $anchor: "addressDef", type: "object", properties: { street: { type: "string" }, city: { type: "string" } } },
        },
        properties: {
          name: { type: "string" },
          address: { $ref: "#/$defs/address" },
          contactMethod: { type: "string", enum: ["phone", "email"] },
          phone: { type: "string" },
          email: { type: "string" },
        },
        allOf: [{ anyOf: [{ required: ["phone"] }, { required: ["email"] }] }],
        if: { properties: { contactMethod: { const: "phone" } }, required: ["contactMethod"] },
        then: { required: ["phone"] },
        else: { required: ["email"] },
        additionalProperties: false,
      }),
    },
    async (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
  );

  // SEP-2243 (http-custom-header-server-validation): a parameter mirrored into an Mcp-Param-Region header.
  server.registerTool(
    "test_x_mcp_header",
    {
      description: "Tests SEP-2243 Mcp-Param-* server-side validation",
      inputSchema: schema({
        region: { type: "string", description: "mirrored into Mcp-Param-Region", "x-mcp-header": "Region" },
        level: { type: "integer", description: "non-mirrored argument" },
      }),
    },
    async ({ region }) => text(`region=${region ?? "<none>"}`),
  );

  // ----- SEP-2575 (server-stateless) diagnostic tools -----
  // Needs the sampling capability (an embedded createMessage): called with empty clientCapabilities, the SDK seam
  // rejects it with -32021 over HTTP 400.
  server.registerTool(
    "test_missing_capability",
    { description: "Requires the sampling client capability (SEP-2575 -32021 rejection)", inputSchema: emptySchema },
    async (_args, ctx) => {
      if (ctx.mcpReq.inputResponses?.llm_answer === undefined) {
        return inputRequired({
          inputRequests: {
            llm_answer: inputRequired.createMessage({
              messages: [{ role: "user", content: { type: "text", text: "Reply with the single word: pong" } }],
              maxTokens: 16,
            }),
          },
        });
      }
      return text("sampling round-trip complete");
    },
  );
  server.registerTool(
    "test_streaming_elicitation",
    { description: "A response stream that carries no independent top-level JSON-RPC request (SEP-2575)", inputSchema: emptySchema },
    async () => text("stream observed: result frames only, no top-level requests"),
  );
  server.registerTool(
    "test_logging_tool",
    { description: "Logs through ctx.mcpReq.log, which the SDK gates on _meta logLevel (SEP-2575)", inputSchema: emptySchema },
    async (_args, ctx) => {
      await ctx.mcpReq.log("info", "test_logging_tool ran (delivered only when the request set a logLevel)");
      return text("logged through the request-scoped, logLevel-gated channel");
    },
  );
  // subscriptions/listen triggers: publish list-changed events onto the modern handler's bus.
  server.registerTool(
    "test_trigger_tool_change",
    { description: "Publishes a tools/list_changed event to open subscriptions/listen streams", inputSchema: emptySchema },
    async () => {
      modernHandler.notify.toolsChanged();
      return text("tools_list_changed published");
    },
  );
  server.registerTool(
    "test_trigger_prompt_change",
    { description: "Publishes a prompts/list_changed event to open subscriptions/listen streams", inputSchema: emptySchema },
    async () => {
      modernHandler.notify.promptsChanged();
      return text("prompts_list_changed published");
    },
  );

  // ----- SEP-2322 multi round-trip (input-required-result-*) -----
  server.registerTool(
    "test_input_required_result_elicitation",
    { description: "MRTR: asks for the caller's name through an embedded elicitation", inputSchema: emptySchema },
    async (_args, ctx) => {
      const name = acceptedContent(ctx.mcpReq.inputResponses, "user_name")?.name;
      if (typeof name !== "string") return inputRequired({ inputRequests: { user_name: nameRequest() } });
      return text(`Hello, ${name}!`);
    },
  );
  server.registerTool(
    "test_input_required_result_sampling",
    { description: "MRTR: asks for an LLM completion through an embedded sampling request", inputSchema: emptySchema },
    async (_args, ctx) => {
      const answer = samplingText(inputResponse(ctx.mcpReq.inputResponses, "capital_question"));
      if (answer === undefined) {
        return inputRequired({
          inputRequests: {
            capital_question: inputRequired.createMessage({
              messages: [{ role: "user", content: { type: "text", text: "What is the capital of France?" } }],
              maxTokens: 100,
            }),
          },
        });
      }
      return text(`Sampling response: ${answer}`);
    },
  );
  server.registerTool(
    "test_input_required_result_list_roots",
    { description: "MRTR: asks for the client's roots through an embedded roots/list request", inputSchema: emptySchema },
    async (_args, ctx) => {
      const view = inputResponse(ctx.mcpReq.inputResponses, "client_roots");
      if (view.kind !== "roots") return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
      const roots = view.result.roots;
      return text(`Client exposed ${roots.length} root(s): ${roots.map((r) => r.uri).join(", ")}`);
    },
  );
  server.registerTool(
    "test_input_required_result_request_state",
    { description: "MRTR: round-trips a sealed requestState alongside an elicitation", inputSchema: emptySchema },
    async (_args, ctx) => {
      const state = ctx.mcpReq.requestState(); // verified payload, or undefined on the first round
      const confirmed = acceptedContent(ctx.mcpReq.inputResponses, "confirm");
      if (state?.tool !== "request_state" || confirmed === undefined) {
        return inputRequired({
          inputRequests: { confirm: confirmRequest() },
          requestState: await stateCodec.mint({ tool: "request_state", nonce: randomUUID() }),
        });
      }
      return text("state-ok: requestState verified and confirmation received");
    },
  );
  server.registerTool(
    "test_input_required_result_multiple_inputs",
    { description: "MRTR: asks for elicitation, sampling and roots input in one round", inputSchema: emptySchema },
    async (_args, ctx) => {
      const responses = ctx.mcpReq.inputResponses;
      const name = acceptedContent(responses, "user_name")?.name;
      const greeting = samplingText(inputResponse(responses, "greeting"));
      const roots = inputResponse(responses, "client_roots");
      if (typeof name !== "string" || greeting === undefined || roots.kind !== "roots") {
        return inputRequired({
          inputRequests: {
            user_name: nameRequest(),
            greeting: inputRequired.createMessage({
              messages: [{ role: "user", content: { type: "text", text: "Generate a greeting" } }],
              maxTokens: 50,
            }),
            client_roots: inputRequired.listRoots(),
          },
          requestState: await stateCodec.mint({ tool: "multiple_inputs", nonce: randomUUID() }),
        });
      }
      return text(`${greeting} ${name} (${roots.result.roots.length} root(s) visible)`);
    },
  );
  server.registerTool(
    "test_input_required_result_multi_round",
    { description: "MRTR: two elicitation rounds with an evolving sealed requestState", inputSchema: emptySchema },
    async (_args, ctx) => {
      const state = ctx.mcpReq.requestState();
      const round = state?.tool === "multi_round" && typeof state.round === "number" ? state.round : 0;
      if (round === 0) {
        return inputRequired({
          inputRequests: { step1: nameRequest("Step 1: What is your name?") },
          requestState: await stateCodec.mint({ tool: "multi_round", round: 1, nonce: randomUUID() }),
        });
      }
      if (round === 1) {
        const name = acceptedContent(ctx.mcpReq.inputResponses, "step1")?.name ?? "unknown";
        return inputRequired({
          inputRequests: {
            step2: inputRequired.elicit({
              message: "Step 2: What is your favorite color?",
              requestedSchema: { type: "object", properties: { color: { type: "string" } }, required: ["color"] },
            }),
          },
          requestState: await stateCodec.mint({ tool: "multi_round", round: 2, name, nonce: randomUUID() }),
        });
      }
      const color = acceptedContent(ctx.mcpReq.inputResponses, "step2")?.color ?? "unknown";
      return text(`Multi-round complete: ${String(state.name)} likes ${color}`);
    },
  );
  server.registerTool(
    "test_input_required_result_tampered_state",
    { description: "MRTR: a retry whose requestState fails verification is rejected (-32602) by the SDK seam", inputSchema: emptySchema },
    async (_args, ctx) => {
      if (ctx.mcpReq.requestState() !== undefined && acceptedContent(ctx.mcpReq.inputResponses, "confirm") !== undefined) {
        return text("integrity-ok: requestState verified");
      }
      return inputRequired({
        inputRequests: { confirm: confirmRequest() },
        requestState: await stateCodec.mint({ tool: "tampered_state", nonce: randomUUID() }),
      });
    },
  );
  server.registerTool(
    "test_input_required_result_capabilities",
    { description: "MRTR: only asks for input kinds the request's declared client capabilities cover", inputSchema: emptySchema },
    async (_args, ctx) => {
      if (ctx.mcpReq.inputResponses !== undefined) return text("Capability-aware input requests fulfilled");
      const declared = ctx.mcpReq.envelope?.[CLIENT_CAPABILITIES_META_KEY];
      const inputRequests = {
        ...(declared?.elicitation !== undefined && { user_name: nameRequest() }),
        ...(declared?.sampling !== undefined && {
          greeting: inputRequired.createMessage({
            messages: [{ role: "user", content: { type: "text", text: "Generate a short greeting" } }],
            maxTokens: 50,
          }),
        }),
        ...(declared?.roots !== undefined && { client_roots: inputRequired.listRoots() }),
      };
      if (Object.keys(inputRequests).length === 0) return text("No declared client capability supports an in-band input request");
      return inputRequired({ inputRequests });
    },
  );

  // ----- resources -----
  server.registerResource(
    "static-text",
    "test://static-text",
    { title: "Static Text Resource", description: "A static text resource for testing", mimeType: "text/plain" },
    async () => ({
      contents: [{ uri: "test://static-text", mimeType: "text/plain", text: "This is the content of the static text resource." }],
    }),
  );
  server.registerResource(
    "static-binary",
    "test://static-binary",
    { title: "Static Binary Resource", description: "A static binary resource (image) for testing", mimeType: "image/png" },
    async () => ({ contents: [{ uri: "test://static-binary", mimeType: "image/png", blob: TEST_IMAGE_BASE64 }] }),
  );
  server.registerResource(
    "template",
    new ResourceTemplate("test://template/{id}/data", { list: undefined }),
    { title: "Resource Template", description: "A resource template with parameter substitution", mimeType: "application/json" },
    async (uri, { id }) => ({
      contents: [
        { uri: uri.toString(), mimeType: "application/json", text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) },
      ],
    }),
  );
  server.registerResource(
    "watched-resource",
    "test://watched-resource",
    { title: "Watched Resource", description: "A resource for subscribe/unsubscribe testing", mimeType: "text/plain" },
    async () => ({ contents: [{ uri: "test://watched-resource", mimeType: "text/plain", text: "Watched resource content" }] }),
  );
  server.server.setRequestHandler("resources/subscribe", async (request) => {
    subscriptions.add(request.params.uri);
    sendLog("info", `Subscribed to resource: ${request.params.uri}`);
    return {};
  });
  server.server.setRequestHandler("resources/unsubscribe", async (request) => {
    subscriptions.delete(request.params.uri);
    sendLog("info", `Unsubscribed from resource: ${request.params.uri}`);
    return {};
  });

  // ----- prompts -----
  server.registerPrompt(
    "test_simple_prompt",
    { title: "Simple Test Prompt", description: "A simple prompt without arguments" },
    async () => ({ messages: [{ role: "user", content: { type: "text", text: "This is a simple prompt for testing." } }] }),
  );
  server.registerPrompt(
    "test_prompt_with_arguments",
    {
      title: "Prompt With Arguments",
      description: "A prompt with required arguments",
      argsSchema: schema(
        { arg1: { type: "string", description: "First test argument" }, arg2: { type: "string", description: "Second test argument" } },
        ["arg1", "arg2"],
      ),
    },
    async ({ arg1, arg2 }) => ({
      messages: [{ role: "user", content: { type: "text", text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }],
    }),
  );
  server.registerPrompt(
    "test_prompt_with_embedded_resource",
    {
      title: "Prompt With Embedded Resource",
      description: "A prompt that includes an embedded resource",
      argsSchema: schema({ resourceUri: { type: "string", description: "URI of the resource to embed" } }, ["resourceUri"]),
    },
    async ({ resourceUri }) => ({
      messages: [
        {
          role: "user",
          content: { type: "resource", resource: { uri: resourceUri, mimeType: "text/plain", text: "Embedded resource content for testing." } },
        },
        { role: "user", content: { type: "text", text: "Please process the embedded resource above." } },
      ],
    }),
  );
  server.registerPrompt(
    "test_prompt_with_image",
    { title: "Prompt With Image", description: "A prompt that includes image content" },
    async () => ({
      messages: [
        { role: "user", content: { type: "image", data: TEST_IMAGE_BASE64, mimeType: "image/png" } },
        { role: "user", content: { type: "text", text: "Please analyze the image above." } },
      ],
    }),
  );
  // SEP-2322: prompts/get may answer input_required too (input-required-result-non-tool-request).
  server.registerPrompt(
    "test_input_required_result_prompt",
    { title: "MRTR Prompt", description: "MRTR: a prompt that needs an elicitation answer before rendering" },
    async (ctx) => {
      const context = acceptedContent(ctx.mcpReq.inputResponses, "user_context")?.context;
      if (typeof context !== "string") {
        return inputRequired({
          inputRequests: {
            user_context: inputRequired.elicit({
              message: "What context should the prompt use?",
              requestedSchema: { type: "object", properties: { context: { type: "string" } }, required: ["context"] },
            }),
          },
        });
      }
      return { messages: [{ role: "user", content: { type: "text", text: `Use the following context: ${context}` } }] };
    },
  );

  skills.attach(server); // after the test:// resources, so resources/list still starts with test://static-text

  // ----- logging/setLevel (2025 only) and completion/complete -----
  server.server.setRequestHandler("logging/setLevel", async (request) => {
    sendLog("info", `Log level set to: ${request.params.level}`);
    return {};
  });
  server.server.setRequestHandler("completion/complete", async () => ({ completion: { values: [], total: 0, hasMore: false } }));

  return server;
}

// ----- HTTP serving -----
const onerror = (error) => log("error:", error?.message ?? error);

// SEP-1699 resumability for 2025 sessions: every SSE event gets an id `<streamId>::<seq>`, replayed after Last-Event-ID.
function createEventStore() {
  const events = new Map(); // eventId -> {streamId, message}
  let seq = 0;
  return {
    async storeEvent(streamId, message) {
      const eventId = `${streamId}::${String(++seq).padStart(12, "0")}`;
      events.set(eventId, { streamId, message });
      return eventId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const streamId = lastEventId.split("::")[0];
      for (const [eventId, event] of events) {
        if (event.streamId === streamId && eventId > lastEventId && event.message && Object.keys(event.message).length > 0) {
          await send(eventId, event.message);
        }
      }
      return streamId;
    },
  };
}

let serve; // (req, res) => Promise<void>
if (mode === "stateless") {
  modernHandler = createMcpHandler(buildServer, { onerror });
  serve = toNodeHandler(modernHandler, { onerror });
} else {
  modernHandler = createMcpHandler(buildServer, { legacy: "reject", onerror });
  const modern = toNodeHandler(modernHandler, { onerror });
  const legacy = async (req, res, body) => {
    const sessionId = req.headers["mcp-session-id"];
    if (sessionId) {
      const transport = sessions.get(sessionId);
      return transport ? transport.handleRequest(req, res, body) : jsonError(res, 404, -32001, "Session not found");
    }
    if (req.method !== "POST" || !isInitializeRequest(body)) return jsonError(res, 400, -32000, "Bad Request: Session ID required");
    const server = buildServer();
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: createEventStore(),
      retryInterval: 5000,
      onsessioninitialized: (id) => sessions.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      server.close().catch(() => {});
    };
    await server.connect(transport);
    return transport.handleRequest(req, res, body);
  };
  serve = async (req, res) => {
    const request = await toWebRequest(req); // reads the body once; isLegacyRequest classifies exactly as the SDK does
    const body = req.method === "POST" ? await request.clone().json().catch(() => undefined) : undefined;
    return (await isLegacyRequest(request)) ? legacy(req, res, body) : modern(req, res, body);
  };
}

serveMcp(portArg, serve, { log, onerror, mode });
