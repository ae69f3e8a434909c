// What the test hosts v1-client.mjs (SDK v1) and v2-client.mjs (SDK v2) share: their command line, the echo model,
// and the one call they make, printed as one JSON line. Each host keeps only what its SDK does differently.

/** Reads `<url> <tool> <json-args> [options]`; `extra` names the host's own options and their defaults. */
export function parseHostArgs(script, samplingModes, extra = {}) {
  const extraUsage = Object.keys(extra).map((flag) => `[${flag} <value>] `).join("");
  const usage = (message) => {
    console.error(`${message}\nusage: node ${script} <url> <tool|prompt:<name>|resource:<uri>> <json-args> ${extraUsage}`
      + `[--sampling ${samplingModes.join("|")}] [--elicit accept-json [<json>]] [--cancel-after <ms>]`);
    process.exit(2);
  };
  const [url, tool, argsJson, ...flags] = process.argv.slice(2);
  if (!url || !tool || argsJson === undefined) usage("missing arguments");
  const parseJson = (text, what) => {
    try {
      return JSON.parse(text);
    } catch {
      usage(`${what} is not JSON: ${text}`);
    }
  };
  const parsed = { url, tool, toolArgs: parseJson(argsJson, "<json-args>"), sampling: "echo", ...extra, usage };
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    if (flag in extra) parsed[flag] = flags[++i];
    else if (flag === "--sampling") parsed.sampling = flags[++i];
    else if (flag === "--elicit") {
      if (flags[++i] !== "accept-json") usage("--elicit takes accept-json");
      const next = flags[i + 1];
      parsed.elicitContent = next !== undefined && !next.startsWith("--") ? parseJson(flags[++i], "--elicit content")
        : { name: script.replace(".mjs", "") };
    } else if (flag === "--cancel-after") {
      parsed.cancelAfter = Number(flags[++i]);
      if (!Number.isFinite(parsed.cancelAfter) || parsed.cancelAfter < 0) usage("--cancel-after takes a number of milliseconds");
    } else usage(`unknown option ${flag}`);
  }
  if (!samplingModes.includes(parsed.sampling)) usage(`--sampling takes ${samplingModes.join(" or ")}`);
  return parsed;
}

/** The echo model's answer: "echo: <the last user message's text>". */
export function echoAnswer(model, request) {
  const lastUser = request.params.messages.filter((m) => m.role === "user").at(-1);
  const blocks = Array.isArray(lastUser?.content) ? lastUser.content : [lastUser?.content];
  const lastText = blocks.filter((c) => c?.type === "text").map((c) => c.text).join("");
  return { model, role: "assistant", content: { type: "text", text: `echo: ${lastText}` } };
}

/**
 * The headers of every request, for the transport's requestInit: X-Sampling-Host-Id from env HOST_ID, and
 * Authorization: Bearer from env HOST_TOKEN (a token the test issued; the host does no OAuth flow of its own), and
 * traceparent from env TRACEPARENT (the trace the host's calls belong to).
 */
export function hostHeaders() {
  return {
    ...(process.env.HOST_ID && { "X-Sampling-Host-Id": process.env.HOST_ID }),
    ...(process.env.HOST_TOKEN && { Authorization: `Bearer ${process.env.HOST_TOKEN}` }),
    ...(process.env.TRACEPARENT && { traceparent: process.env.TRACEPARENT }),
  };
}

/**
 * Connects, makes the one call (tool, prompt:<name> or resource:<uri>), prints the JSON line and exits: 0 for an
 * answer or a typed error, 1 for anything unexpected.
 *
 * @param sdk.callTool (client, name, args, options) => the SDK's tools/call
 * @param sdk.protocolVersion () => the negotiated version
 * @param sdk.expected (error) => {typed, data} — whether the error is one of the SDK's, and data to print
 */
export async function runCall(args, client, transport, sdk) {
  // A 2025-era SDK fires notifications/cancelled without awaiting it, and close() aborts in-flight POSTs: remember
  // those sends so they can finish before the transport closes.
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
    if (args.cancelAfter !== undefined) {
      cancelTimer = setTimeout(() => abort.abort(`cancelled after ${args.cancelAfter} ms`), args.cancelAfter);
    }
    const options = { timeout, signal: abort.signal };
    let result;
    if (args.tool.startsWith("prompt:")) {
      result = await client.getPrompt({ name: args.tool.slice(7), arguments: args.toolArgs }, options);
    } else if (args.tool.startsWith("resource:")) {
      result = await client.readResource({ uri: args.tool.slice(9) }, options);
    } else {
      result = await sdk.callTool(client, args.tool, args.toolArgs, options);
    }
    console.log(JSON.stringify({ ok: true, result, protocolVersion: sdk.protocolVersion() }));
  } catch (error) {
    if (abort.signal.aborted) {
      console.log(JSON.stringify({ ok: false, error: { code: "CANCELLED", message: String(error?.message ?? error) } }));
    } else {
      const { typed, data } = sdk.expected(error);
      if (!typed) exitCode = 1;
      const { code = null, message = String(error) } = error ?? {};
      const errorsAsText = (_key, value) => (value instanceof Error
        ? `${value.message}${value.cause ? `: ${value.cause.message ?? value.cause}` : ""}` : value);
      console.log(JSON.stringify({ ok: false, error: { code, message, ...(data !== undefined && { data }) } },
        errorsAsText));
    }
  } finally {
    clearTimeout(cancelTimer);
    await Promise.race([Promise.allSettled([...cancelSends]), new Promise((resolve) => setTimeout(resolve, 5000))]);
    // A 2025-era session is ended with DELETE, as the spec asks of a client that is done (none in 2026-07-28).
    if (transport.sessionId) await transport.terminateSession().catch(() => {});
    await client.close().catch(() => {});
  }
  process.exit(exitCode);
}
