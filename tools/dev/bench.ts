/**
 * `npm run bench`: how much the offline plan costs on top of loading the Pulumi SDK modules the program uses.
 * Pairs of runs, interleaved (the order alternates, so that drift hits both sides alike): `plan --stack eu --json
 * <tmp>` (node directly: npm's own start-up is not the plan's) and the SDK's own cost for this program
 * (tools/dev/benchBaseline.js: `require` the same `@pulumi/*` modules and start the closure serializer that the
 * program's dynamic resources need), both with the same preload (tools/register.js). The target is on wall time (what a user waits for); a pair's two runs see the same load, so
 * the verdict is on the per-pair ratios: their median with its distribution-free confidence interval. It fails only
 * when the whole interval is above the target, adds pairs (up to --max-runs) while the interval straddles it, and
 * says "inconclusive" when they run out. Each run's CPU time (tools/dev/cpuTime.js, all threads) is printed beside
 * it as a cross-check that hardly moves with the neighbours' load.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCommandLine, UsageError, usageText } from "../cli";

const ROOT = path.resolve(__dirname, "..", "..");
export const TARGET_RATIO = 2;
/** Pairs measured before the first verdict, and at most. */
export const MIN_RUNS = 9;
export const MAX_RUNS = 25;

export const HELP = `Usage: npm run bench [-- --runs <n>] [--max-runs <n>] [--target <ratio>]

Measures the offline plan (plan --stack eu --json) against the Pulumi SDK's own cost for the program (require
the @pulumi/* modules it imports, and start the closure serializer its dynamic resources need), in interleaved
pairs: the verdict on the median wall-time ratio of the pairs and its 95% interval (CPU time, which hardly moves
with other load, and the ratio to a bare require are printed beside it).

  --runs <n>        pairs before the first verdict (default ${MIN_RUNS}, at least 5)
  --max-runs <n>    pairs at most, added while the result is within noise of the target (default ${MAX_RUNS})
  --target <ratio>  the ratio plan / baseline that must not be exceeded (default ${TARGET_RATIO})
  -h, --help        this text

Exit status: 0 within the target, or inconclusive (within noise of it: printed as such); 1 the median ratio and
its whole 95% confidence interval are above the target; 2 usage error, or a measured process failed.
`;

export const BENCH_COMMAND = {
  name: "bench",
  options: { runs: { type: "string" }, "max-runs": { type: "string" }, target: { type: "string" } },
} as const;

/** The `@pulumi/*` module specifiers imported by index.ts and components/*.ts (type-only imports excluded). */
export function pulumiModules(root = ROOT): string[] {
  const files = [path.join(root, "index.ts"), ...fs.readdirSync(path.join(root, "components")).filter((f) => f.endsWith(".ts")).map((f) => path.join(root, "components", f))];
  const found = new Set<string>();
  // TypeScript's pre-processor lists the value imports (an `import type` loads nothing, and it leaves those out).
  const ts = require("typescript") as typeof import("typescript");
  for (const f of files) {
    for (const { fileName } of ts.preProcessFile(fs.readFileSync(f, "utf8"), true, false).importedFiles) {
      if (fileName.startsWith("@pulumi/")) found.add(fileName);
    }
  }
  return [...found].sort();
}

/** P(X <= k) for X ~ Binomial(n, 1/2). */
function binomialCdf(n: number, k: number): number {
  let sum = 0;
  let c = 1; // C(n, 0)
  for (let i = 0; i <= k; i++) {
    sum += c;
    c = (c * (n - i)) / (i + 1);
  }
  return sum / 2 ** n;
}

/**
 * The median of `xs` and a distribution-free confidence interval for it (order statistics: the interval
 * [x(k), x(n-k+1)] with the largest k for which P(Binomial(n, 1/2) < k) <= (1 - confidence) / 2).
 */
export function medianWithInterval(xs: number[], confidence = 0.95): { median: number; low: number; high: number } {
  if (xs.length === 0) throw new Error("no measurements");
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  let k = 0;
  while (k + 1 <= Math.floor(n / 2) && binomialCdf(n, k) <= (1 - confidence) / 2) k++;
  // k is the 1-based rank of the lower bound (0: the sample is too small for this confidence: the whole range).
  const low = k === 0 ? s[0] : s[k - 1];
  const high = k === 0 ? s[n - 1] : s[n - k];
  return { median, low, high };
}

export type Verdict = "pass" | "fail" | "inconclusive";

/** pass: the median is within the target; fail: the whole interval is above it; else inconclusive (noise). */
export function verdict(ratios: number[], target: number): { verdict: Verdict; median: number; low: number; high: number } {
  const m = medianWithInterval(ratios);
  const v: Verdict = m.low > target ? "fail" : m.median <= target ? "pass" : "inconclusive";
  return { verdict: v, ...m };
}

/** Whether more pairs could still settle it: the interval straddles the target. */
export function undecided(ratios: number[], target: number): boolean {
  const m = medianWithInterval(ratios);
  return m.low <= target && m.high > target;
}

interface Run {
  cpuMs: number;
  wallMs: number;
}

function timeRun(args: string[], cpuFile: string, env: Record<string, string> = {}): Run {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-r", "./tools/dev/cpuTime.js", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    env: { ...process.env, ...env, BENCH_CPU_OUT: cpuFile },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.slice(0, 3).join(" ")} ... exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return { cpuMs: Number(fs.readFileSync(cpuFile, "utf8")) / 1000, wallMs };
}

function positiveInt(flag: string, v: string | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${flag} must be a whole number of at least ${min}`);
  return Number(v);
}

export function main(argv: string[]): number {
  let runs: number;
  let maxRuns: number;
  let target: number;
  try {
    const { values, help } = parseCommandLine(BENCH_COMMAND, argv);
    if (help) {
      process.stdout.write(HELP);
      return 0;
    }
    runs = positiveInt("runs", values.runs, MIN_RUNS, 5);
    maxRuns = Math.max(runs, positiveInt("max-runs", values["max-runs"], MAX_RUNS, 5));
    target = values.target === undefined ? TARGET_RATIO : Number(values.target);
    if (!Number.isFinite(target) || target <= 0) throw new UsageError("--target must be a positive number");
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${usageText("bench", e.message)}\n`);
    return 2;
  }
  const modules = pulumiModules();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-"));
  const cpuFile = path.join(dir, "cpu");
  const planArgs = ["-r", "./tools/register.js", "tools/commands/plan.ts", "--stack", "eu", "--json", path.join(dir, "eu.json")];
  // The same preload as the plan (tools/register.js: Node's compile cache), so that both sides load modules alike.
  const baseArgs = ["-r", "./tools/register.js", "tools/dev/benchBaseline.js", ...modules];
  const plan: Run[] = [];
  const base: Run[] = [];
  const requireOnly: Run[] = [];
  const ratios: number[] = [];
  try {
    // One warm-up of each fills the file cache, the swc cache and the compile cache.
    timeRun(baseArgs, cpuFile);
    timeRun(planArgs, cpuFile);
    while (ratios.length < runs || (ratios.length < maxRuns && undecided(ratios, target))) {
      const first = ratios.length % 2 === 0;
      const b1 = first ? timeRun(baseArgs, cpuFile) : undefined;
      const p = timeRun(planArgs, cpuFile);
      const b = b1 ?? timeRun(baseArgs, cpuFile);
      // For comparison only: the modules alone, without the serializer's start-up.
      requireOnly.push(timeRun(baseArgs, cpuFile, { BENCH_REQUIRE_ONLY: "1" }));
      plan.push(p);
      base.push(b);
      ratios.push(p.wallMs / b.wallMs);
    }
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const v = verdict(ratios, target);
  const med = (xs: number[]) => medianWithInterval(xs).median.toFixed(0);
  console.log(`modules required by the baseline: ${modules.join(", ")}`);
  console.log(`load average (1 min) ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} CPUs; ${ratios.length} pairs`);
  console.log(`plan --stack eu --json: median CPU ${med(plan.map((r) => r.cpuMs))} ms, wall ${med(plan.map((r) => r.wallMs))} ms`);
  console.log(`SDK baseline (require @pulumi/*, start the closure serializer): median CPU ${med(base.map((r) => r.cpuMs))} ms, wall ${med(base.map((r) => r.wallMs))} ms`);
  console.log(`  of which require @pulumi/* only: median CPU ${med(requireOnly.map((r) => r.cpuMs))} ms, wall ${med(requireOnly.map((r) => r.wallMs))} ms`);
  const cpu = medianWithInterval(plan.map((p, i) => p.cpuMs / base[i].cpuMs));
  console.log(`ratio (wall, per pair): median ${v.median.toFixed(2)}, 95% interval ${v.low.toFixed(2)}-${v.high.toFixed(2)} (target <= ${target})`);
  console.log(`ratio (CPU, per pair): median ${cpu.median.toFixed(2)}, 95% interval ${cpu.low.toFixed(2)}-${cpu.high.toFixed(2)} (for comparison)`);
  const bare = medianWithInterval(plan.map((p, i) => p.wallMs / requireOnly[i].wallMs));
  console.log(`ratio (wall) to require @pulumi/* only: median ${bare.median.toFixed(2)} (for comparison)`);
  const say: Record<Verdict, string> = {
    pass: "verdict: within the target",
    fail: "verdict: over the target (the whole interval is above it)",
    inconclusive: `verdict: inconclusive: the median is above the target but within noise after ${ratios.length} pairs; run again on a quieter machine`,
  };
  console.log(say[v.verdict]);
  return v.verdict === "fail" ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
