/**
 * `npm run policy -- --resources <file> [--json]`: runs the CrossGuard pack's validators (policy/) in-process over
 * the resources of a plan file, a `pulumi stack export`, or a bare JSON array (spec/cli.md). No Pulumi CLI, no Azure.
 */
import * as fs from "fs";
import { CommandSpec, OptionSpec, parseCommandLine, parseJsonText, readBoundedText, UsageError, usageText } from "../cli";
import * as path from "path";
import { specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { EncryptedValue, PROJECT } from "../../components/config";
import { runConfigFromStack } from "../../policy/packConfig";
import { NotApplicable, PolicyResource, PolicyRunConfig, runPolicySet, Violation } from "../../policy/runner";
import { policies } from "../../policy/policies";
import { readStackFile } from "../engine/stackFile";

const HELP = `Usage: npm run policy -- --resources <file> [--json] [--required-tags <a,b>] [--stack <name>] [--policy-config <file>]

Runs the policy pack in policy/ (the same validators \`pulumi preview --policy-pack policy\` runs) over the
resources in <file>, offline.

  --resources <file>     What to check, one of:
                           a plan file (npm run plan -- --json <file>): {"stack", "resources": [...]}
                           a state export (pulumi stack export > s.json): {"version", "deployment": {"resources": [...]}};
                             outputs (what Azure reported at the last up or refresh) win over inputs, so run
                             \`pulumi refresh\` first to audit rules edited in the portal
                           a JSON array of {"type", "name"?, "urn"?, "inputs", "dependencies"?}; a resource without urn
                             is reported by its name, or as #<index> (from 0) when it has none
                         Each resource's "dependencies" (URNs) are judged too (grants-before-use); a file where no
                         resource has any is reported under NOT CHECKED, not passed.
  --json                 Print {"violations": [...]} (the plan file's policy shape) instead of text.
  --required-tags <a,b>  Tag names every taggable resource must carry (required-tags policy).
  --stack <name>         Read Pulumi.<name>.yaml: its tags' keys become required tags (added to --required-tags),
                         its consentSourcePrefixes the consent site's access restrictions.
  --policy-config <file> Per-policy settings, the JSON that \`pulumi preview --policy-pack-config\` takes, e.g.
                         {"keyvault-network-default-deny": "mandatory", "nsg-no-rdp-ssh-from-internet": {"ports": [22, 3389, 5986]}}
  --help                 This text.

Without --required-tags or --stack, the required-tags policy has nothing to require.

Exit status: 0 no mandatory violation (advisory ones may be printed); 1 at least one mandatory violation;
2 usage error, unreadable or unrecognised file, or a policy that failed to run.
`;

interface Options {
  resources: string;
  json: boolean;
  requiredTags: string[];
  stack?: string;
  policyConfig?: string;
}

/** The command line (tools/cli.ts: one wiring for every command). */
export const POLICY_COMMAND = {
  name: "policy",
  options: {
    resources: { type: "string" },
    json: { type: "boolean" },
    "required-tags": { type: "string", multiple: true },
    stack: { type: "string" },
    "policy-config": { type: "string" },
  },
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

function parseArgs(argv: string[]): Options | "help" {
  const { values: v, help } = parseCommandLine(POLICY_COMMAND, argv);
  if (help) return "help";
  if (!v.resources) throw new UsageError("--resources <file> is required");
  return {
    resources: v.resources,
    json: v.json,
    requiredTags: v["required-tags"].flatMap((t) => t.split(",").map((s) => s.trim()).filter((s) => s !== "")),
    ...(v.stack !== undefined ? { stack: v.stack } : {}),
    ...(v["policy-config"] !== undefined ? { policyConfig: v["policy-config"] } : {}),
  };
}

// ---- reading the three file shapes

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The last `::` segment of a URN: the logical name. */
function nameFromUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Skipped everywhere: the stack itself and providers carry no Azure settings. */
function isEngineResource(type: string): boolean {
  return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

/**
 * Outputs over inputs, key by key (objects merged, anything else and secrets replaced): outputs are what Azure
 * reported at the last up or refresh (portal edits included), inputs fill what Azure never returns (passwords).
 */
function overlay(inputs: unknown, outputs: unknown): unknown {
  if (outputs === undefined || outputs === null) return inputs;
  if (isRecord(inputs) && isRecord(outputs) && !(specialSigKey in inputs) && !(specialSigKey in outputs)) {
    const out: Record<string, unknown> = { ...inputs };
    for (const [k, v] of Object.entries(outputs)) out[k] = overlay(inputs[k], v);
    return out;
  }
  return outputs;
}

function resourceAt(list: unknown[], i: number, what: string): Record<string, unknown> {
  const r = list[i];
  if (!isRecord(r) || typeof r.type !== "string" || r.type === "") throw new UsageError(`${what}[${i}] has no "type"`);
  if (r.inputs !== undefined && !isRecord(r.inputs)) throw new UsageError(`${what}[${i}].inputs is not an object`);
  return r;
}

function isUrnList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((u) => typeof u === "string");
}

/**
 * A resource's dependencies as the file records them (URNs: a plan file's and a stack export's `dependencies`, a
 * stack export's `propertyDependencies`), for the stack policies that judge the order (grants-before-use).
 */
function dependenciesOf(r: Record<string, unknown>, where: string): Pick<PolicyResource, "dependencies" | "propertyDependencies"> {
  const out: Pick<PolicyResource, "dependencies" | "propertyDependencies"> = {};
  if (r.dependencies !== undefined && r.dependencies !== null) {
    if (!isUrnList(r.dependencies)) throw new UsageError(`${where}.dependencies is not a list of URNs`);
    out.dependencies = [...r.dependencies];
  }
  if (r.propertyDependencies !== undefined && r.propertyDependencies !== null) {
    const pd = r.propertyDependencies;
    if (!isRecord(pd) || !Object.values(pd).every(isUrnList)) throw new UsageError(`${where}.propertyDependencies is not an object of property name -> list of URNs`);
    out.propertyDependencies = Object.fromEntries(Object.entries(pd).map(([k, urns]) => [k, [...(urns as string[])]]));
  }
  return out;
}

/** The resources of a parsed file, and what kind of file it was. */
export function resourcesOf(doc: unknown): { kind: string; resources: PolicyResource[] } {
  if (Array.isArray(doc)) {
    return {
      kind: "resource list",
      resources: doc.map((_, i) => {
        const r = resourceAt(doc, i, "resources");
        const urn = typeof r.urn === "string" && r.urn !== "" ? r.urn : null;
        const name = typeof r.name === "string" && r.name !== "" ? r.name : urn ? nameFromUrn(urn) : `#${i}`;
        return { type: r.type as string, name, urn, inputs: (r.inputs as Record<string, unknown>) ?? {}, ...dependenciesOf(r, `resources[${i}]`) };
      }),
    };
  }
  if (isRecord(doc) && isRecord(doc.deployment)) {
    const list = doc.deployment.resources ?? [];
    if (!Array.isArray(list)) throw new UsageError("deployment.resources is not a list");
    const out: PolicyResource[] = [];
    list.forEach((_, i) => {
      const r = resourceAt(list, i, "deployment.resources");
      if (isEngineResource(r.type as string) || r.delete === true) return;
      if (typeof r.urn !== "string" || !r.urn.includes("::")) throw new UsageError(`deployment.resources[${i}] has no URN`);
      const outputs = isRecord(r.outputs) ? r.outputs : undefined;
      out.push({
        type: r.type as string, name: nameFromUrn(r.urn), urn: r.urn, inputs: overlay(r.inputs ?? {}, outputs) as Record<string, unknown>,
        ...dependenciesOf(r, `deployment.resources[${i}]`),
      });
    });
    return { kind: "stack export", resources: out };
  }
  if (isRecord(doc) && Array.isArray(doc.resources)) {
    const list = doc.resources;
    const out: PolicyResource[] = [];
    list.forEach((_, i) => {
      const r = resourceAt(list, i, "resources");
      if (isEngineResource(r.type as string)) return;
      const urn = typeof r.urn === "string" && r.urn !== "" ? r.urn : null;
      const name = typeof r.name === "string" && r.name !== "" ? r.name : urn ? nameFromUrn(urn) : `#${i}`;
      out.push({ type: r.type as string, name, urn, inputs: (r.inputs as Record<string, unknown>) ?? {}, ...dependenciesOf(r, `resources[${i}]`) });
    });
    return { kind: "plan", resources: out };
  }
  throw new UsageError("not a plan file, a `pulumi stack export`, or a JSON array of resources");
}

/** A plan or a stack export is megabytes at most; this bounds the read (and `/dev/zero`). */
const MAX_RESOURCES_FILE_BYTES = 64 * 1024 * 1024;

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readBoundedText(file, MAX_RESOURCES_FILE_BYTES, "a plan file or a stack export is far smaller");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return parseJsonText(text);
  } catch (e) {
    // parseJsonText names the line, never the file's text (a stack export --show-secrets holds plaintext secrets).
    throw new UsageError(`${file} is ${(e as Error).message}`);
  }
}

/** The run config a stack file implies (required tags, consent prefixes). */
function stackRunConfig(stack: string): PolicyRunConfig {
  const file = path.resolve(`Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) throw new UsageError(`--stack ${stack}: ${file} does not exist`);
  let sf;
  try {
    sf = readStackFile(file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return runConfigFromStack((key) => {
    const v = sf.entries.get(`${PROJECT}:${key}`)?.value;
    return v instanceof EncryptedValue ? undefined : v;
  });
}

// ---- output

function describe(v: Violation): string {
  return `${v.type} "${v.name}"${v.urn ? `\n      ${v.urn}` : ""}`;
}

export function formatText(file: string, kind: string, count: number, violations: Violation[], notApplicable: NotApplicable[]): string {
  const lines: string[] = [];
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = violations.length - mandatory;
  if (violations.length === 0) lines.push(`No policy violations in ${file} (${kind}, ${count} resources checked).`);
  else lines.push(`${file} (${kind}, ${count} resources checked): ${mandatory} mandatory, ${advisory} advisory violation${advisory === 1 ? "" : "s"}.`);
  for (const level of ["mandatory", "advisory"] as const) {
    const vs = violations.filter((v) => v.enforcementLevel === level);
    if (vs.length === 0) continue;
    lines.push("", `${level.toUpperCase()}`);
    for (const policy of [...new Set(vs.map((v) => v.policy))]) {
      lines.push(`  ${policy}`);
      for (const v of vs.filter((x) => x.policy === policy)) lines.push(`    ${describe(v)}`, `      ${v.message}`);
    }
  }
  const notes = formatNotes(notApplicable);
  if (notes.length > 0) lines.push("", ...notes);
  return lines.join("\n") + "\n";
}

/** What the policies said they could not check, one line per policy and reason. */
function formatNotes(notApplicable: NotApplicable[]): string[] {
  const notes = new Map<string, number>();
  for (const n of notApplicable) notes.set(`${n.policy}: ${n.reason}`, (notes.get(`${n.policy}: ${n.reason}`) ?? 0) + 1);
  if (notes.size === 0) return [];
  return ["NOT CHECKED", ...[...notes].sort().map(([note, n]) => `  ${note} (${n} resource${n === 1 ? "" : "s"})`)];
}

export async function main(argv: string[]): Promise<number> {
  let o: Options | "help";
  let resources: PolicyResource[];
  let kind: string;
  const config: PolicyRunConfig = {};
  try {
    o = parseArgs(argv);
    if (o === "help") {
      process.stdout.write(HELP);
      return 0;
    }
    ({ kind, resources } = resourcesOf(readJson(o.resources)));
    const fromStack = o.stack ? stackRunConfig(o.stack) : {};
    const tags = [...new Set([...o.requiredTags, ...(fromStack.requiredTags ?? [])])];
    if (tags.length > 0) config.requiredTags = tags;
    if (fromStack.consentSourcePrefixes) config.consentSourcePrefixes = fromStack.consentSourcePrefixes;
    if (o.policyConfig) {
      const given = readJson(o.policyConfig);
      if (!isRecord(given)) throw new UsageError(`${o.policyConfig}: expected an object of policy name -> level or settings`);
      config.policyConfig = given as PolicyRunConfig["policyConfig"];
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${usageText("policy", e.message)}\n`);
    return 2;
  }
  let run;
  try {
    run = await runPolicySet(policies, resources, config);
  } catch (e) {
    process.stderr.write(`npm run policy: ${(e as Error).message}\n`);
    return 2;
  }
  if (o.json) {
    process.stdout.write(JSON.stringify({ violations: run.violations }, null, 2) + "\n");
    const notes = formatNotes(run.notApplicable);
    if (notes.length > 0) process.stderr.write(notes.join("\n") + "\n");
  } else {
    process.stdout.write(formatText(o.resources, kind, resources.length, run.violations, run.notApplicable));
  }
  return run.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      process.stderr.write(`npm run policy: ${e.stack ?? e.message}\n`);
      process.exitCode = 2;
    },
  );
}
