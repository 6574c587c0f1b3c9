import { createRequire as __dmsRequire } from 'node:module'; const require = __dmsRequire(import.meta.url);

// src/action.ts
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// src/action-outcome.ts
var FAIL_ON = ["failed", "degraded", "never"];
function parseFailOn(input) {
  const value = (input ?? "").trim() || "failed";
  return FAIL_ON.includes(value) ? value : void 0;
}
function fails(result, failOn) {
  if (failOn === "never") return false;
  if (result === "failed" || result === "stopped") return true;
  return failOn === "degraded" && result === "degraded";
}
function complete(summary) {
  return summary.collections.every((c) => c.result !== "stopped" && !(c.result === "failed" && c.error !== void 0));
}
function actionOutcome(summary, cliExitCode, reportPath, failOn = "failed") {
  const outputs = {
    changed: String((summary?.files.length ?? 0) > 0),
    created: String(summary?.created ?? 0),
    updated: String(summary?.updated ?? 0),
    deleted: String(summary?.deleted ?? 0),
    failed: String(summary?.failed ?? 0),
    result: summary?.result ?? "",
    complete: String(summary !== void 0 && complete(summary)),
    report: summary ? reportPath : ""
  };
  if (!summary) return { exitCode: cliExitCode === 0 ? 1 : cliExitCode, outputs };
  if (summary.result === "ok") return { exitCode: 0, outputs };
  const failing = fails(summary.result, failOn);
  const wholeFailures = summary.collections.filter((c) => c.result === "failed" && c.error !== void 0).length;
  const message = `dropmark-sync: the run is ${summary.result}: ${summary.failed} item(s) or file(s) failed, ${wholeFailures} collection(s) could not be synced, ${summary.imagesMissing} image(s) missing; the job summary and the report list them${failing ? ` (fail-on: ${failOn})` : ""}`;
  return { exitCode: failing ? 1 : 0, outputs, annotation: { level: failing ? "error" : "warning", message } };
}
function stepSummary(report2) {
  if (report2 !== void 0) return report2.endsWith("\n") ? report2 : `${report2}
`;
  return "## Dropmark sync\n\nThe sync could not run: the job log says why.\n";
}

// src/action.ts
var env = process.env;
var cli = path.join(path.dirname(fileURLToPath(import.meta.url)), "cli.js");
var report = env["INPUT_REPORT"] || path.join(env["RUNNER_TEMP"] || tmpdir(), "dropmark-sync", "report.md");
var config = env["INPUT_CONFIG"] || void 0;
var extra = (env["INPUT_ARGS"] ?? "").split(/\s+/).filter(Boolean);
var args = ["sync", "--json", "--report", report, ...config ? ["--config", config] : [], ...extra];
function readSummary(stdout) {
  try {
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
  } catch {
    return void 0;
  }
}
function readReport(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return void 0;
  }
}
function main() {
  const failOn = parseFailOn(env["INPUT_FAIL-ON"]);
  if (failOn === void 0) {
    process.stderr.write(`dropmark-sync: fail-on: "${env["INPUT_FAIL-ON"]}" is not one of ${FAIL_ON.join(", ")}
`);
    return 1;
  }
  mkdirSync(path.dirname(report), { recursive: true });
  const run = spawnSync(process.execPath, [cli, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    // The --json summary lists every change: a first sync of thousands of items passes the 1 MiB default, which
    // would kill the CLI mid-run and lose the summary.
    maxBuffer: Number.POSITIVE_INFINITY
  });
  const summary = readSummary(run.stdout);
  const outcome = actionOutcome(summary, run.status ?? 1, report, failOn);
  const lines = Object.entries(outcome.outputs).map(([key, value]) => `${key}=${value}
`);
  if (env["GITHUB_OUTPUT"]) appendFileSync(env["GITHUB_OUTPUT"], lines.join(""));
  else process.stdout.write(lines.join(""));
  const text = stepSummary(summary ? readReport(report) : void 0);
  if (env["GITHUB_STEP_SUMMARY"]) appendFileSync(env["GITHUB_STEP_SUMMARY"], text);
  if (outcome.annotation) process.stdout.write(`::${outcome.annotation.level}::${outcome.annotation.message}
`);
  return outcome.exitCode;
}
process.exitCode = main();
