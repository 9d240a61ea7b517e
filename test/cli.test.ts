/**
 * One command-line wiring for every offline command (tools/cli.ts on node:util parseArgs): the same usage errors
 * (exit 2, the message, no stack trace, nothing typed echoed but a cut flag name), --help exits 0, and the bench's
 * verdict is decided by order statistics, not by one noisy run.
 */
import * as os from "os";
import { parseCommandLine, UsageError, usageText } from "../tools/cli";
import { PLAN_COMMAND } from "../tools/commands/plan";
import { planAtNow as plan } from "./harness";
import { main as policy } from "../tools/commands/policy";
import { main as infinity } from "../tools/commands/infinity";
import { main as importInitScript } from "../tools/migration/importInitScript";
import { main as importStatic } from "../tools/migration/importStatic";
import { main as bench, medianWithInterval, undecided, verdict } from "../tools/dev/bench";
import { main as docs } from "../tools/dev/docs";
import { NOW } from "./fixtures/clock";

const SECRET = "Hunter2-Pexip-Pw!";
const NO_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

describe("parseCommandLine", () => {
  const spec = { name: "x", options: { stack: { type: "string" }, secret: { type: "string", multiple: true }, force: { type: "boolean" } } } as const;

  test("--flag value, --flag=value, repeats, booleans, -h and --help, -- ends the options", () => {
    expect(parseCommandLine(spec, ["--stack", "eu", "--secret=a=1", "--secret", "b=2", "--force"])).toEqual({ values: { stack: "eu", secret: ["a=1", "b=2"], force: true }, positionals: [], help: false });
    expect(parseCommandLine(spec, ["-h"]).help).toBe(true);
    expect(parseCommandLine(spec, ["--help", "--stack", "eu"]).help).toBe(true);
    expect(parseCommandLine({ ...spec, positionals: 1 }, ["--", "--stack"]).positionals).toEqual(["--stack"]);
  });

  test.each([
    [["--nope"], "unknown option --nope"],
    [["--nope=" + SECRET], "unknown option --nope"],
    [["-x"], "unknown option -x"],
    [["--" + "n".repeat(200)], `unknown option --${"n".repeat(78)}…(202 chars)`],
    [["--stack"], "--stack needs a value"],
    [["--stack", "--force"], "--stack needs a value"],
    [["--force=yes"], "--force takes no value"],
    [["--secret", "k=", SECRET], "unexpected argument (argument 3, not shown: it may be a secret); options take the form --flag value"],
  ])("%j: %s", (argv, message) => {
    expect(() => parseCommandLine(spec, argv)).toThrow(new UsageError(message));
  });

  test("a usage error points at --help", () => {
    expect(usageText("plan", "--stack needs a value")).toBe("plan: --stack needs a value\nRun `npm run plan -- --help` for the options and exit statuses.");
  });

  test("the plan keeps its documented flags", () => {
    expect(Object.keys(PLAN_COMMAND.options).map((k) => `--${k}`)).toEqual(["--stack", "--config", "--secret", "--json", "--diff", "--format", "--app-stack-plan"]);
  });
});

/** Each command's entry point, its output and exit status, in-process. */
type Result = { code: number; out: string; err: string };
async function capture(fn: (out: (s: string) => void, err: (s: string) => void) => Promise<number> | number): Promise<Result> {
  let out = "";
  let err = "";
  const w = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const code = await fn((s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
    return { code, out, err };
  } finally {
    [process.stdout.write, process.stderr.write] = w;
  }
}

const io = (out: (s: string) => void, err: (s: string) => void) => ({ cwd: os.tmpdir(), out, err });
const COMMANDS: [string, (argv: string[]) => Promise<Result>][] = [
  ["plan", (argv) => capture(async (o, e) => { const r = await plan(argv); o(r.stdout); e(r.stderr); return r.code; })],
  ["policy", (argv) => capture(() => policy(argv))],
  ["infinity", (argv) => capture((o, e) => infinity(argv, { ...io(o, e), env: {}, now: NOW }))],
  ["import-init-script", (argv) => capture((o, e) => importInitScript(argv, io(o, e)))],
  ["import-static", (argv) => capture((o, e) => importStatic(argv, io(o, e)))],
  ["bench", (argv) => capture(() => bench(argv))],
  ["docs", (argv) => capture(() => docs(argv))],
];

describe.each(COMMANDS)("%s", (name, run) => {
  test("--help exits 0 with the usage", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: npm run /);
    expect(r.out).toMatch(/Exit status/);
  });

  test("an unknown option exits 2 with the message and where the usage is, no trace, no value echoed", async () => {
    const r = await run([`--frobnicate=${SECRET}`]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${name}: unknown option --frobnicate\nRun \`npm run ${name} -- --help\``);
    expect(r.err).not.toMatch(NO_TRACE);
    expect(r.out + r.err).not.toContain(SECRET);
  });
});

describe("bench verdict", () => {
  test("the median's interval: ranks from the binomial distribution", () => {
    // n = 9: P(B <= 1) = 10/512 <= 0.025 < P(B <= 2): the interval is [x(2), x(8)].
    expect(medianWithInterval([9, 1, 8, 2, 7, 3, 6, 4, 5])).toEqual({ median: 5, low: 2, high: 8 });
    expect(medianWithInterval([1, 2, 3, 4])).toEqual({ median: 2.5, low: 1, high: 4 });
  });

  test("one slow run on a loaded machine does not fail it; a real regression does; near the target it is inconclusive", () => {
    expect(verdict([1.6, 1.7, 1.6, 1.8, 5.0, 1.7, 1.6, 4.2, 1.7], 2).verdict).toBe("pass");
    expect(verdict([2.6, 2.7, 2.5, 2.8, 2.6, 2.9, 2.7, 2.6, 2.7], 2).verdict).toBe("fail");
    expect(verdict([1.9, 2.1, 2.2, 1.95, 2.05, 2.3, 1.8, 2.1, 2.0], 2).verdict).toBe("inconclusive");
    expect(undecided([1.9, 2.1, 2.2, 1.95, 2.05, 2.3, 1.8, 2.1, 2.0], 2)).toBe(true);
    expect(undecided([1.6, 1.7, 1.6, 1.8, 1.7, 1.7, 1.6, 1.7, 1.7], 2)).toBe(false);
  });
});
