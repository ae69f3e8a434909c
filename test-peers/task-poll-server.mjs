// A real MCP server on the official TypeScript SDK v1 (@modelcontextprotocol/sdk 1.32.2) over stdio, for the long
// review test: its tool asks the client for task-augmented sampling (2025-11-25, SEP-1686) and polls the task patiently,
// as a server that knows a human may approve after minutes should.
//
//   node task-poll-server.mjs
//
// Tool "sample-as-task" {prompt, maxWaitSeconds = 600, pollSeconds = 2}: sends sampling/createMessage with
// task {ttl: maxWaitSeconds * 1000}; the client must answer with a CreateTaskResult (the tool says so when it does
// not). It then polls tasks/get every pollSeconds until the task is completed, failed or cancelled, or maxWaitSeconds
// pass, and fetches tasks/result. The text result is "sampled after <n> polls: <model>: <text>", or
// "task <status> after <n> polls: <statusMessage>", or "gave up after <n> polls". Logs go to stderr.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  CreateMessageResultSchema,
  CreateTaskResultSchema,
  GetTaskResultSchema,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

const TOOL = "sample-as-task";
const server = new Server({ name: "sampling-broker-task-poll-server", version: "1.0.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    {
      name: TOOL,
      description: "Asks the client for task-augmented sampling and polls the task until it ends.",
      inputSchema: {
        type: "object",
        properties: {
          prompt: { type: "string" },
          maxWaitSeconds: { type: "number" },
          pollSeconds: { type: "number" },
        },
        required: ["prompt"],
      },
    },
  ],
}));

const text = (value) => ({ content: [{ type: "text", text: value }] });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
  if (request.params.name !== TOOL) {
    return { ...text(`unknown tool ${request.params.name}`), isError: true };
  }
  const { prompt, maxWaitSeconds = 600, pollSeconds = 2 } = request.params.arguments ?? {};
  const created = await extra.sendRequest(
    {
      method: "sampling/createMessage",
      params: {
        task: { ttl: maxWaitSeconds * 1000 },
        messages: [{ role: "user", content: { type: "text", text: prompt } }],
        maxTokens: 100,
      },
    },
    CreateTaskResultSchema,
    { timeout: 30_000 },
  );
  const taskId = created.task.taskId;
  const giveUpAt = Date.now() + maxWaitSeconds * 1000;
  let polls = 0;
  let status = created.task.status;
  let statusMessage;
  while (!["completed", "failed", "cancelled"].includes(status) && Date.now() < giveUpAt) {
    await sleep(pollSeconds * 1000);
    polls++;
    const task = await extra.sendRequest({ method: "tasks/get", params: { taskId } }, GetTaskResultSchema);
    status = task.status;
    statusMessage = task.statusMessage;
    if (polls % 15 === 0) console.error(`[task-poll-server] task ${taskId}: ${status} after ${polls} polls`);
  }
  if (status === "completed") {
    const result = await extra.sendRequest({ method: "tasks/result", params: { taskId } }, CreateMessageResultSchema);
    const blocks = Array.isArray(result.content) ? result.content : [result.content];
    return text(`sampled after ${polls} polls: ${result.model}: ${blocks.map((b) => b.text ?? "").join("")}`);
  }
  if (status === "failed" || status === "cancelled") {
    return text(`task ${status} after ${polls} polls: ${statusMessage ?? ""}`);
  }
  return text(`gave up after ${polls} polls`);
});

await server.connect(new StdioServerTransport());
console.error("[task-poll-server] serving on stdio");
