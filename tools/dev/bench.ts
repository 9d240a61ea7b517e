/**
 * `npm run bench`: how much the offline plan costs on top of loading the Pulumi SDK modules the program uses.
 * Median of 5 runs of `plan --stack eu --json <tmp>` (spawned as node directly: npm's own start-up is not the plan's)
 * against a Node process that only `require`s the same `@pulumi/*` modules. The target is a ratio <= 2.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const RUNS = 5;
export const TARGET_RATIO = 2;

/** The `@pulumi/*` module specifiers imported by index.ts and components/*.ts (type-only imports excluded). */
export function pulumiModules(root = ROOT): string[] {
  const files = [path.join(root, "index.ts"), ...fs.readdirSync(path.join(root, "components")).filter((f) => f.endsWith(".ts")).map((f) => path.join(root, "components", f))];
  const found = new Set<string>();
  const re = /^\s*import\s+(?!type\b)[^;]*?from\s+["'](@pulumi\/[^"']+)["']/gm;
  for (const f of files) {
    const text = fs.readFileSync(f, "utf8");
    for (const m of text.matchAll(re)) found.add(m[1]);
  }
  return [...found].sort();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeRun(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function main(): void {
  const modules = pulumiModules();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-")), "eu.json");
  const planArgs = ["-r", "./tools/register.js", "tools/commands/plan.ts", "--stack", "eu", "--json", out];
  const baseArgs = ["-e", modules.map((m) => `require(${JSON.stringify(m)});`).join("")];
  const plan: number[] = [];
  const base: number[] = [];
  // Interleaved, so that machine load hits both sides alike; one warm-up of each fills the file cache.
  timeRun(baseArgs);
  timeRun(planArgs);
  for (let i = 0; i < RUNS; i++) {
    base.push(timeRun(baseArgs));
    plan.push(timeRun(planArgs));
  }
  const p = median(plan);
  const b = median(base);
  const ratio = p / b;
  console.log(`modules required by the baseline: ${modules.join(", ")}`);
  console.log(`plan --stack eu --json: median ${p.toFixed(0)} ms (runs: ${plan.map((x) => x.toFixed(0)).join(", ")})`);
  console.log(`require @pulumi/* only: median ${b.toFixed(0)} ms (runs: ${base.map((x) => x.toFixed(0)).join(", ")})`);
  console.log(`ratio: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO})`);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
}

if (require.main === module) main();
