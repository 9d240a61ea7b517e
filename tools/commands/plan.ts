/**
 * `npm run plan`: evaluates the real program (index.ts and the components) under the shared Azure mocks and shows
 * what `pulumi up` would register, with no Pulumi CLI, no plugins and no Azure credentials (spec/cli.md).
 * Start-up is most of the run, so modules load lazily and only after the arguments are known to be good.
 */
import * as fs from "fs";
import * as path from "path";
import type { ConfigIssue, StackConfig } from "../../components/config";
import type { Registration } from "../engine/mocks";
import type { SecretSet } from "../engine/mask";
import type { PlanDoc, Violation } from "../engine/model";
import type { StackFile } from "../engine/stackFile";
import type * as pulumi from "@pulumi/pulumi";
import { cutEcho } from "../../components/echo";
import { CommandSpec, OptionSpec, parseCommandLine, UsageError, usageText } from "../cli";

const ROOT = path.resolve(__dirname, "..", "..");

export const HELP = `Usage: npm run plan -- --stack <name> [options]

Evaluates the program for one stack offline (mock Azure, no Pulumi CLI, no credentials) and prints what
\`pulumi up --stack <name>\` would register: the config summary, the resources by component, the NSG rules,
the policy verdicts and the next steps (DNS record, consent URL, Teams PowerShell, Pexip Infinity settings,
capacity and quota). Secrets are shown as "[secret]", on the terminal and in every file written.

Options:
  --stack <name>            stack to plan; reads Pulumi.<name>.yaml (required)
  --config <file>           read this stack file instead of Pulumi.<name>.yaml (same format)
  --secret <key>=<value>    a secret config value, as \`pulumi config set --secret [--path]\` would set it;
                            repeatable; e.g. --secret pexip-teams-connector:adminPassword=...
                            or --secret pexip-teams-connector:certificate.password=...
  --json <out>              also write the plan as JSON (the shape of docs/commands.md) to <out>
  --diff <old.json>         compare with an earlier plan file: create / update / replace / delete, and
                            "refused" (Azure rejects the change in place, so pulumi up would fail), with the
                            changed values (old -> new, secrets as [secret]) and the rule behind each replace
  --format text|mermaid     text for people (default), or a Mermaid flowchart of components, resources and
                            the network flows with their ports
  --app-stack-plan <file>   for stacks with appStack: take the referenced stack's outputs (appId, tenantId,
                            botName, consentUrl) from its plan JSON; default: stable mock values
  -h, --help                this text

Exit status:
  0  the plan was made and no mandatory policy is violated
  1  a mandatory policy is violated, or --diff finds a change Azure refuses in place
  2  the plan could not be made: config errors (every problem is listed, nothing is registered),
     a usage error (unknown flag, missing value), an unreadable or invalid file, or a program error
`;

export interface PlanArgs {
  stack: string;
  config?: string;
  secrets: string[];
  json?: string;
  diff?: string;
  format: "text" | "mermaid";
  appStackPlan?: string;
  help: boolean;
}

export { UsageError };

/** The plan's command line (tools/cli.ts: one wiring for every command). */
export const PLAN_COMMAND = {
  name: "plan",
  options: {
    stack: { type: "string" },
    config: { type: "string" },
    secret: { type: "string", multiple: true },
    json: { type: "string" },
    diff: { type: "string" },
    format: { type: "string" },
    "app-stack-plan": { type: "string" },
  },
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

/** Parses the command line (`--flag value` and `--flag=value`). Throws UsageError. */
export function parseArgs(argv: string[]): PlanArgs {
  const { values: v, help } = parseCommandLine(PLAN_COMMAND, argv);
  const format = v.format ?? "text";
  if (format !== "text" && format !== "mermaid") throw new UsageError(`--format must be text or mermaid, got ${JSON.stringify(cutEcho(format))}`);
  const a: PlanArgs = { stack: v.stack ?? "", secrets: v.secret, json: v.json, diff: v.diff, config: v.config, appStackPlan: v["app-stack-plan"], format, help };
  for (const k of Object.keys(a) as (keyof PlanArgs)[]) if (a[k] === undefined) delete a[k];
  if (!a.help && a.stack === "") throw new UsageError("--stack <name> is required");
  if (a.stack !== "" && !/^[A-Za-z0-9_.-]+$/.test(a.stack)) throw new UsageError(`--stack: ${JSON.stringify(cutEcho(a.stack))} is not a stack name`);
  return a;
}

/**
 * An alias the provider adds for each API version of the resource's own type (`azure-native:network/v20240301:Subnet`
 * on an `azure-native:network:Subnet`; azure-native lists 10 to 60 per resource), as opposed to an alias the program
 * declares (`{ name: "vmss-nsg" }`), which has other keys or another type.
 */
export function isApiVersionAlias(resourceType: string, alias: unknown): boolean {
  if (typeof alias !== "object" || alias === null || Array.isArray(alias)) return false;
  const keys = Object.keys(alias);
  const type = (alias as { type?: unknown }).type;
  if (keys.length !== 1 || typeof type !== "string") return false;
  const own = resourceType.split(":");
  const m = /^([^:/]+):([^:/]+)\/v\d{8}[a-z0-9]*:([^:/]+)$/.exec(type);
  return own.length === 3 && m !== null && m[1] === own[0] && m[2] === own[1] && m[3] === own[2];
}

/**
 * Stack transformation for the plan: drops the API-version aliases (isApiVersionAlias) before the SDK expands them.
 * The SDK turns every alias into a chain of URN Outputs in the Resource constructor (~950 for the eu stack, about
 * half of the evaluation time) that nothing reads under the mock monitor, and the plan shows no aliases; they only
 * matter to the engine, for state written by an older provider version. Aliases the program declares are kept.
 */
export function dropApiVersionAliases(a: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult | undefined {
  const aliases = a.opts.aliases;
  if (!aliases || aliases.length === 0) return undefined;
  const kept = aliases.filter((x) => !isApiVersionAlias(a.type, x));
  return kept.length === aliases.length ? undefined : { props: a.props, opts: { ...a.opts, aliases: kept } };
}

/** A failure that ends the run with a status and a message (already masked). */
class Exit extends Error {
  constructor(public readonly code: number, message: string) {
    super(message);
  }
}

/** A plan file is tens of kilobytes; this bounds the read of `--diff` and `--app-stack-plan` (and `/dev/zero`). */
export const MAX_PLAN_FILE_BYTES = 32 * 1024 * 1024;

function readJson(file: string, what: string): unknown {
  const { parseJsonText, readBoundedText } = require("../cli") as typeof import("../cli");
  let text: string;
  try {
    text = readBoundedText(file, MAX_PLAN_FILE_BYTES, "a plan file is tens of kilobytes");
  } catch (e) {
    throw new Exit(2, `${what} ${file}: cannot read it (${(e as Error).message})`);
  }
  try {
    return parseJsonText(text);
  } catch (e) {
    // The line and column only: the file's text is not quoted.
    throw new Exit(2, `${what} ${file}: ${(e as Error).message}`);
  }
}

/** Outputs the referenced stack (appStack) would give: from its plan file when given, else stable mock values. */
function appStackOutputs(cfg: StackConfig, planFile: string | undefined, placeholders: Map<string, string>): { outputs: Record<string, unknown>; secret: string[] } {
  const { guid, hash, MOCK_TENANT_ID, placeholder } = require("../engine/mocks") as typeof import("../engine/mocks");
  // Offline, the referenced stack's values are made up too (a plan file's are the mocks' of that stack).
  placeholder(placeholders, hash(cfg.appStack, 5), "consent-suffix");
  const outputs: Record<string, unknown> = {
    appId: guid(`${cfg.appStack}/appId`),
    // The password is masked in any plan file, so it is always a mock; it only has to be stable and secret.
    appPassword: `mock~${hash(`${cfg.appStack}/appPassword`, 34)}`,
    tenantId: MOCK_TENANT_ID,
    botName: cfg.botName,
    consentUrl: `https://${cfg.baseName}-pexip-cvi-${hash(cfg.appStack, 5)}.azurewebsites.net/`,
  };
  if (planFile) {
    const doc = readJson(planFile, "--app-stack-plan") as Partial<PlanDoc>;
    const from = (doc && typeof doc.outputs === "object" && doc.outputs) || {};
    for (const k of ["appId", "tenantId", "botName", "consentUrl"]) {
      const v = (from as Record<string, unknown>)[k];
      if (typeof v === "string" && v !== "" && v !== "[secret]") outputs[k] = v;
    }
  }
  placeholder(placeholders, outputs.appId, "app ID");
  placeholder(placeholders, outputs.tenantId, "tenant ID");
  return { outputs, secret: ["appPassword"] };
}

type RunPolicies = (resources: { type: string; name: string; urn?: string; inputs: Record<string, unknown>; dependencies?: string[] }[], config?: { requiredTags?: string[] }) => Promise<Violation[]>;

/**
 * The policy verdicts of an evaluation: the policies judge the real inputs (secret markers kept, nothing masked)
 * and the plan's dependencies (the stack policies' order checks), and only their messages, which are printed and
 * written, are masked.
 */
export async function judge(regs: Registration[], secrets: SecretSet, runPolicies: RunPolicies, config: { requiredTags?: string[] }, projectDir = ROOT): Promise<Violation[]> {
  const { planViolations, policyResources } = require("../engine/model") as typeof import("../engine/model");
  return planViolations(await runPolicies(policyResources(regs, projectDir), config), secrets);
}

/** The policy pack's offline runner, when it exists (it is written alongside this tool). */
function policyRunner(): RunPolicies | undefined {
  try {
    return (require("../../policy/runner") as { runPolicies?: RunPolicies }).runPolicies;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "MODULE_NOT_FOUND" && /policy[\\/]runner/.test(err.message.split("\n")[0])) return undefined;
    throw e;
  }
}

/** What an offline evaluation of the program gives: the mock monitor's registrations and outputs. */
export interface EvaluateOptions {
  stack: string;
  sf: StackFile;
  cfg: StackConfig;
  appStackPlan?: string;
  now: Date;
  /** Where text the SDK or a component prints goes (collected and scrubbed by the caller). */
  onOutput: (text: string) => void;
  /** Each warning or notice the program logged, after the evaluation. */
  programLog: (message: string) => void;
  /** PLAN_TIMING's progress marks. */
  mark?: (what: string) => void;
}

/**
 * Evaluates index.ts for one validated stack under the shared Azure mocks, in this process, exactly as `npm run plan`
 * does (and `npm run infinity` reuses for its offline values). Throws Exit(2) when the program fails under the mocks.
 */
export async function evaluateProgram(o: EvaluateOptions): Promise<import("../engine/mocks").RecordingMonitor> {
  const { PROJECT } = require("../../components/config") as typeof import("../../components/config");
  const warn = o.onOutput;
  const args = { stack: o.stack, appStackPlan: o.appStackPlan };
  const cfg = o.cfg;
  const sf = o.sf;
  const now = o.now;
  const source = (require("../engine/stackFile") as typeof import("../engine/stackFile")).stackFileSource(sf);
  const mark = o.mark ?? (() => undefined);
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const { installMocks, MOCK_TENANT_ID } = require("../engine/mocks") as typeof import("../engine/mocks");
  const { toRuntimeConfig } = require("../engine/stackFile") as typeof import("../engine/stackFile");
  const rc = toRuntimeConfig(sf);
  // Components reading `new pulumi.Config()` see what `pulumi up` would pass them.
  (pulumi.runtime as unknown as { setAllConfig(c: Record<string, string>, s?: string[]): void }).setAllConfig(rc.config, rc.secretKeys);
  const placeholders = new Map<string, string>();
  const monitor = installMocks({
    project: PROJECT,
    stack: args.stack,
    subscriptionId: cfg.subscriptionId,
    tenantId: MOCK_TENANT_ID,
    location: cfg.location,
    stackOutputs: cfg.appStack !== "" ? { [cfg.appStack]: appStackOutputs(cfg, args.appStackPlan, placeholders) } : {},
    placeholders,
  });
  const programLog: string[] = [];
  mark("mocks installed");
  // What the SDK or a component prints itself (pulumi.log under the mocks goes to the console) is scrubbed too.
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((st) => st.write);
  for (const st of streams) {
    st.write = ((chunk: unknown, ...rest: unknown[]) => {
      warn(String(chunk));
      const done = rest.find((x) => typeof x === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof st.write;
  }
  // The SDK formats a stack trace for every promise and resource it makes; one frame is enough for a plan
  // (PLAN_DEBUG=1 keeps full traces for debugging a component that fails under the mocks).
  const traceLimit = Error.stackTraceLimit;
  if (!process.env.PLAN_DEBUG) Error.stackTraceLimit = 1;
  try {
    const main = require("../../index") as (o: object) => Promise<Record<string, unknown>>;
    mark("program loaded");
    await pulumi.runtime.runInPulumiStack(() => {
      // PLAN_DEBUG=1 keeps them, for debugging the SDK's alias handling.
      if (!process.env.PLAN_DEBUG) pulumi.runtime.registerStackTransformation(dropApiVersionAliases);
      return main({ source, stack: args.stack, offline: true, projectDir: ROOT, now, log: (m: string) => programLog.push(m) });
    });
    await (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();
  } catch (e) {
    const hint = process.env.PLAN_DEBUG ? "" : "(run with PLAN_DEBUG=1 for the full stack trace)\n";
    throw new Exit(2, `plan: the program failed under the mocks: ${(e as Error).stack ?? String(e)}\n${hint}`);
  } finally {
    Error.stackTraceLimit = traceLimit;
    streams.forEach((st, i) => (st.write = writes[i]));
  }
  for (const m of programLog) o.programLog(m);
  return monitor;
}

export interface PlanResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The whole command, returning what to print and the exit status (main() prints it). */
export async function plan(argv: string[]): Promise<PlanResult> {
  let out = "";
  let err = "";
  // PLAN_TIMING=1 prints where the time goes (npm run bench's companion).
  // Elapsed time on the monotonic clock, not a date: nothing here depends on when the plan runs.
  const t0 = performance.now();
  const mark = (what: string) => process.env.PLAN_TIMING && process.stderr.write(`[timing] ${what}: ${Math.round(performance.now() - t0)} ms\n`);
  // stdout is built from masked values only (the plan document, the config summary, scrubbed policy messages).
  // stderr carries free text (warnings, what the SDK or a component prints, error messages): each secret the
  // evaluation came to know is scrubbed from it where it stands as a word (SecretSet.scrub), once at the end.
  let scrub = (s: string) => s;
  const say = (s: string) => (out += s);
  const warn = (s: string) => (err += s);
  try {
    let args: PlanArgs;
    try {
      args = parseArgs(argv);
    } catch (e) {
      if (e instanceof UsageError) throw new Exit(2, `${usageText("plan", e.message)}\n`);
      throw e;
    }
    if (args.help) return { code: 0, stdout: HELP, stderr: "" };

    // ---- the earlier plan, read and checked before anything is evaluated: a bad file costs no evaluation
    let oldPlan: unknown;
    if (args.diff) {
      const { planFileProblem } = require("../engine/diff") as typeof import("../engine/diff");
      oldPlan = readJson(args.diff, "--diff");
      const problem = planFileProblem(oldPlan);
      if (problem) throw new Exit(2, `--diff ${args.diff}: not a plan file of npm run plan --json (${problem})\n`);
    }

    // ---- config, validated before anything is registered
    const configFile = args.config ? path.resolve(args.config) : path.join(ROOT, `Pulumi.${args.stack}.yaml`);
    try {
      // Before any module is loaded: a typo in --stack should not cost the SDK's start-up.
      fs.accessSync(configFile, fs.constants.R_OK);
    } catch (e) {
      throw new Exit(2, `plan: cannot read the stack file ${configFile} (${(e as NodeJS.ErrnoException).code})`);
    }
    const { applySecret, plaintextSecrets, readStackFile, stackFileSource } = require("../engine/stackFile") as typeof import("../engine/stackFile");
    let sf: StackFile;
    try {
      sf = readStackFile(configFile);
    } catch (e) {
      // The message names the file and the place, never its text (stackFile.ts).
      throw new Exit(2, `plan: ${(e as Error).message}`);
    }
    for (const w of sf.warnings ?? []) warn(`warning: ${w}\n`);
    const secretValues: string[] = [];
    for (const s of args.secrets) {
      try {
        applySecret(sf, s);
      } catch (e) {
        throw new Exit(2, `plan: ${(e as Error).message}`);
      }
      const v = s.slice(s.indexOf("=") + 1);
      if (v !== "") secretValues.push(v);
    }
    const { SecretSet } = require("../engine/mask") as typeof import("../engine/mask");
    const configSecrets = [...plaintextSecrets(sf), ...secretValues];
    scrub = (s: string) => new SecretSet(configSecrets).scrub(s);

    const { toolNow } = require("../engine/clock") as typeof import("../engine/clock");
    const { formatIssue, loadConfig, PROJECT } = require("../../components/config") as typeof import("../../components/config");
    const source = stackFileSource(sf);
    const now = toolNow();
    const loaded = loadConfig(source, { stack: args.stack, projectDir: ROOT, offline: true, now });
    const shownFile = path.relative(process.cwd(), configFile) || configFile;
    if (loaded.errors.length > 0 || !loaded.config) {
      const issues: ConfigIssue[] = loaded.errors;
      // Values are cut: a 5 MB config value is echoed as 80 characters and its length.
      throw new Exit(2, `The stack configuration ${shownFile} has ${issues.length} problem${issues.length === 1 ? "" : "s"} (nothing was registered):\n` +
        issues.map((i) => `  - ${formatIssue(i)}\n`).join(""));
    }
    const cfg = loaded.config;
    mark("config loaded");
    const printed = new Set<string>();
    // Every warning goes to stderr (scripts) and into the text plan, beside what it is about (people).
    const inPlan: string[] = [];
    for (const w of loaded.warnings) { warn(`warning: ${w}\n`); printed.add(w); inPlan.push(`warning: ${w}`); }
    for (const n of loaded.notices) { warn(`notice: ${n}\n`); printed.add(n); inPlan.push(`notice: ${n}`); }

    // ---- evaluate the program under the mocks
    const monitor = await evaluateProgram({
      stack: args.stack, sf, cfg, appStackPlan: args.appStackPlan, now, mark, onOutput: warn,
      programLog: (m) => void (printed.has(m) || (warn(`${m}\n`), inPlan.push(m))),
    });
    mark("program evaluated");

    // ---- the plan document, masked
    const { knownSecrets, planOutputs, planResources } = require("../engine/model") as typeof import("../engine/model");
    const regs: Registration[] = monitor.registrations;
    const root = regs.find((r) => r.type === "pulumi:pulumi:Stack");
    const rawOutputs = (root && monitor.registeredOutputs.get(root.urn)) ?? {};
    const secrets = knownSecrets(regs, rawOutputs, [...configSecrets, ...monitor.generatedSecrets]);
    scrub = (s: string) => secrets.scrub(s);
    const strays: import("../engine/model").StraySecret[] = [];
    const doc: PlanDoc = {
      stack: args.stack,
      resources: planResources(regs, secrets, ROOT, strays),
      outputs: planOutputs(rawOutputs, secrets, ROOT, strays),
      policy: { violations: [] },
    };
    // Masked all the same; but a secret that lost its marking would be plaintext in the engine's state.
    for (const s of strays) {
      const w = `warning: ${s.where} ${s.path} carries a secret value without being marked secret (shown as [secret] here): the program must keep it secret (pulumi.secret)`;
      warn(`${w}\n`);
      inPlan.push(w);
    }

    mark("plan document built");
    // ---- policy verdicts, over the real inputs (secret markers kept); only their messages are masked
    const runPolicies = policyRunner();
    if (runPolicies) {
      // The resources carry the plan's dependencies: grants-before-use is judged here as `npm run policy` judges the file.
      doc.policy.violations = await judge(regs, secrets, runPolicies, { requiredTags: Object.keys(cfg.tags).sort() });
    }

    mark("policies run");
    // ---- diff against an earlier plan
    let diffLines: string[] = [];
    // A change Azure refuses blocks like a mandatory policy: the plan is made, but applying it would fail.
    let refused = 0;
    if (args.diff) {
      const { diffPlans, renderDiff } = require("../engine/diff") as typeof import("../engine/diff");
      const { fit } = require("./render") as typeof import("./render");
      const d = diffPlans(oldPlan as PlanDoc, doc, { isSecretValue: (v) => secrets.leaks(v) });
      doc.diff = d;
      const shownDiff = path.relative(process.cwd(), path.resolve(args.diff)) || args.diff;
      diffLines = renderDiff(d, shownDiff);
      const oldStack = (oldPlan as { stack?: unknown }).stack;
      if (typeof oldStack === "string" && oldStack !== args.stack) {
        // Two stacks differ in names, addresses and regions by design: read such a diff as a comparison, not an update.
        const w = `warning: --diff compares different stacks: ${shownDiff} is a plan of "${cutEcho(oldStack)}", this one of "${args.stack}", ` +
          "so every difference between them shows as a change; pulumi up never turns one into the other";
        warn(`${w}\n`);
        diffLines.push("", ...fit(`  ${w}`, "    "));
      }
      refused = d.counts.refused;
      for (const w of d.warnings) warn(`warning: --diff: ${w}\n`);
      if (refused > 0) warn(`warning: --diff: ${refused} change${refused === 1 ? "" : "s"} that Azure refuses in place (pulumi up would fail): see "refused" in the diff\n`);
    }

    // ---- output
    if (args.format === "mermaid") {
      const { renderMermaid } = require("./mermaid") as typeof import("./mermaid");
      const { flows } = require("../../components/network") as typeof import("../../components/network");
      const all = flows({ signalling: cfg.nodeSignallingPorts, media: cfg.nodeMediaPorts });
      // Every flow is drawn and numbered; the ones this stack turns off say why.
      const off = new Map<number, string>();
      for (const f of all) {
        if (f.when === "enhancedStatus" && !cfg.enhancedStatus) off.set(f.id, "enhancedStatus is false");
        if (f.when === "managementSourcePrefixes" && cfg.managementSourcePrefixes.length === 0) off.set(f.id, "managementSourcePrefixes is empty");
      }
      say(renderMermaid(doc.resources, { flows: all, off }));
    } else {
      const { renderText } = require("./render") as typeof import("./render");
      say(renderText({
        doc, stackFile: sf, project: PROJECT, configFile: shownFile, appStack: cfg.appStack, policyAvailable: runPolicies !== undefined,
        warnings: inPlan, placeholders: monitor.placeholders, diff: diffLines,
      }));
    }
    if (args.json) {
      // Already masked leaf by leaf (toPlain, planViolations); scrubbing the text could break the JSON syntax.
      const text = JSON.stringify(doc, null, 2) + "\n";
      try {
        fs.writeFileSync(args.json, text);
      } catch (e) {
        throw new Exit(2, `plan: cannot write ${args.json} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      }
      if (args.format === "text") say(`\nPlan written to ${args.json}\n`);
    }
    mark("output written");
    const blocking = doc.policy.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return { code: blocking > 0 || refused > 0 ? 1 : 0, stdout: out, stderr: scrub(err) };
  } catch (e) {
    if (e instanceof Exit) return { code: e.code, stdout: out, stderr: scrub(err + (e.message.endsWith("\n") ? e.message : `${e.message}\n`)) };
    return { code: 2, stdout: out, stderr: scrub(`${err}plan: ${(e as Error).stack ?? String(e)}\n`) };
  }
}

if (require.main === module) {
  plan(process.argv.slice(2)).then((r) => {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    // Exit without waiting for the SDK's idle handles; flush stdout first (it may be a pipe).
    process.stdout.write("", () => process.exit(r.code));
  });
}
