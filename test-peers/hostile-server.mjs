// A hostile MCP server for the integration tests, over stdio: it sends the broker broken or abusive server->client
// requests and reports what came back, so each case can be checked for a clear JSON-RPC error instead of silence.
// It is written by hand on purpose (no SDK): the SDKs cannot send what it sends.
//
//   node hostile-server.mjs
//
// Tool `send` {case}: sends the case's line, waits (10 s) for the answer to its id, and returns one text block
// holding {"case":..., "answer":<the JSON-RPC response> | "timeout"}. Cases: mixed-tool-result, orphan-tool-result,
// bad-base64, object-id, nan, jsonrpc-1.0, deep, too-large.
import { createInterface } from "node:readline";

const write = (message) => process.stdout.write((typeof message === "string" ? message : JSON.stringify(message)) + "\n");
const text = (t) => ({ type: "text", text: t });
const sampling = (id, params) => ({ jsonrpc: "2.0", id, method: "sampling/createMessage", params });
const user = (content) => ({ role: "user", content });

const cases = {
  "mixed-tool-result": () => sampling("mixed-1", {
    maxTokens: 10,
    messages: [
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "weather", input: {} }] },
      user([{ type: "tool_result", toolUseId: "t1", content: [text("sunny")] }, text("and also this")]),
    ],
  }),
  "orphan-tool-result": () => sampling("orphan-1", {
    maxTokens: 10, messages: [user([{ type: "tool_result", toolUseId: "t9", content: [text("?")] }])],
  }),
  "bad-base64": () => sampling("b64-1", {
    maxTokens: 10, messages: [user({ type: "image", data: "this is not base64!", mimeType: "image/png" })],
  }),
  "object-id": () => sampling({ nested: 1 }, { maxTokens: 10, messages: [user(text("hi"))] }),
  nan: () => '{"jsonrpc":"2.0","id":"nan-1","method":"sampling/createMessage","params":{"maxTokens":NaN,"messages":[]}}',
  "jsonrpc-1.0": () => ({ ...sampling("v1-1", { maxTokens: 10, messages: [user(text("hi"))] }), jsonrpc: "1.0" }),
  deep: () => '{"jsonrpc":"2.0","id":"deep-1","method":"sampling/createMessage","params":{"metadata":'
    + "[".repeat(5000) + "]".repeat(5000) + ',"maxTokens":10,"messages":[]}}',
  "too-large": () => sampling("large-1", { maxTokens: 10, messages: [user(text("x".repeat(8 * 1024 * 1024)))] }),
};
const expectedId = { "mixed-tool-result": "mixed-1", "orphan-tool-result": "orphan-1", "bad-base64": "b64-1",
  "object-id": null, nan: "nan-1", "jsonrpc-1.0": "v1-1", deep: "deep-1", "too-large": "large-1" };

const waiting = new Map(); // id (JSON text) -> resolve
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (!line.trim()) return;
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  if (message.method === undefined) { // a response to one of our requests
    const resolve = waiting.get(JSON.stringify(message.id ?? null));
    if (resolve) resolve(message);
    return;
  }
  if (message.id === undefined) return; // notifications
  if (message.method === "initialize") {
    write({ jsonrpc: "2.0", id: message.id, result: { protocolVersion: "2025-11-25", capabilities: { tools: {} },
      serverInfo: { name: "hostile-server", version: "1.0.0" } } });
  } else if (message.method === "tools/list") {
    write({ jsonrpc: "2.0", id: message.id, result: { tools: [{ name: "send", inputSchema: { type: "object",
      properties: { case: { type: "string", enum: Object.keys(cases) } }, required: ["case"] } }] } });
  } else if (message.method === "tools/call" && cases[message.params?.arguments?.case]) {
    const name = message.params.arguments.case;
    const answer = new Promise((resolve) => {
      waiting.set(JSON.stringify(expectedId[name]), resolve);
      setTimeout(() => resolve("timeout"), 10_000);
    });
    write(cases[name]());
    answer.then((got) => {
      waiting.delete(JSON.stringify(expectedId[name]));
      write({ jsonrpc: "2.0", id: message.id, result: { content: [text(JSON.stringify({ case: name, answer: got }))] } });
    });
  } else {
    write({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: `no ${message.method}` } });
  }
});
lines.on("close", () => process.exit(0));
