// What the SDK v2 fixture servers (mrtr-server.mjs, conformance-server.mjs) share: serving one MCP endpoint, /mcp,
// on a loopback port, with the SDK's localhost Host check, the line `LISTENING <port>` on stdout, and a clean stop.
import { createServer } from "node:http";
import { localhostHostValidation } from "@modelcontextprotocol/node";

/** A JSON-RPC error body with id null: what the fixtures answer before a request could be read. */
export function jsonError(res, status, code, message) {
  return res.writeHead(status, { "content-type": "application/json" })
    .end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

/**
 * Serves `serve(req, res)` on /mcp of 127.0.0.1:`port` (0: any free port), prints `LISTENING <port>` once it listens,
 * and stops on SIGTERM or SIGINT, closing open SSE streams.
 */
export function serveMcp(port, serve, { log, onerror, mode }) {
  const validateHost = localhostHostValidation();
  const httpServer = createServer((req, res) => {
    if (!validateHost(req, res)) return;
    if (new URL(req.url ?? "/", "http://localhost").pathname !== "/mcp") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found; the MCP endpoint is /mcp\n");
      return;
    }
    serve(req, res).catch((error) => {
      onerror(error);
      if (res.headersSent) return;
      if (error?.status === 413) jsonError(res, 413, -32000, error.message); // body over toWebRequest's 4 MiB bound
      else jsonError(res, 500, -32603, "Internal error");
    });
  });
  httpServer.listen(Number(port), "127.0.0.1", () => {
    process.stdout.write(`LISTENING ${httpServer.address().port}\n`);
    log(`serving ${mode} on http://127.0.0.1:${httpServer.address().port}/mcp`);
  });
  const stop = () => {
    httpServer.close(() => process.exit(0));
    httpServer.closeAllConnections(); // open SSE streams would otherwise keep close() waiting
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
