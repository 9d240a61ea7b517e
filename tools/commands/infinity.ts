/**
 * `npm run infinity -- diff|apply --stack <name> [--config <file>] [--outputs <file>]` (spec/cli.md): configures the
 * Pexip Infinity side of a stack through the management API, out of band from `pulumi up`, with the same desired
 * objects (components/infinity/desired.ts) and the same client (components/infinity/client.ts).
 * Exit status: 0 done or nothing to do; 1 the API refused or could not be reached; 2 config or usage errors.
 */
import * as fs from "fs";
import * as path from "path";
import { CommandLine, CommandSpec, OptionSpec, parseCommandLine, parseJsonText, readBoundedText, UsageError, usageText } from "../cli";
import { toolNow } from "../engine/clock";
import { cutEcho } from "../../components/echo";
import type { StackConfig } from "../../components/config";
import type { InfinitySettings } from "../../components/infinity/settings";
import type { DeploymentValues } from "../../components/infinity/desired";
import type { ClientOptions, Pending as PendingT } from "../../components/infinity/client";
import type { StackFile } from "../engine/stackFile";

const ROOT = path.resolve(__dirname, "..", "..");

export const HELP = `Usage: npm run infinity -- diff|apply --stack <name> [--config <file>] [--outputs <file>]

Configures the Pexip Infinity side of a stack (its "infinity" key) through the Management Node's REST API:
the Teams tenant, the Teams Connector, the Virtual Reception, the Call Routing Rules and scheduled scaling, the
same objects \`pulumi up\` manages with the PexipInfinity component.

  diff    prints what would change; writes nothing
  apply   makes it so: creates, one PATCH per changed object, deletes objects this stack made and no longer
          names; objects it did not make are never touched

Options:
  --stack <name>     the stack; reads Pulumi.<name>.yaml (required)
  --config <file>    read this stack file instead (same format)
  --outputs <file>   the JSON of \`pulumi stack output --json --show-secrets\`: the tenant ID and the Event Hub
                     connection string; without it they come from the offline evaluation, where they are only
                     placeholders (diff shows them as such; apply refuses to write them)
  -h, --help         this text

Environment:
  INFINITY_PASSWORD  the management API password (required)
  NODE_EXTRA_CA_CERTS, or infinity.caCertificateFile: a private CA for the Management Node's certificate

Exit status: 0 done or nothing to do; 1 the API refused or could not be reached; 2 config or usage errors.
`;

/** The command line (tools/cli.ts: one wiring for every command): `diff|apply` and its options. */
export const INFINITY_COMMAND = {
  name: "infinity",
  options: { stack: { type: "string" }, config: { type: "string" }, outputs: { type: "string" } },
  positionals: 1,
  positionalsHint: "one of diff or apply",
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

export interface InfinityIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  /** Where the user typed the command: the base of --config and --outputs. */
  cwd: string;
  /** Injected clock (a scaling policy's default start date). */
  now: Date;
  /** Client settings (tests: short timeouts, no real sleeps). */
  client?: ClientOptions;
}

/** `pulumi stack output --json --show-secrets` is a few kilobytes; 1 MiB is far above it. */
export const MAX_OUTPUTS_BYTES = 1024 * 1024;

class Exit extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    // Bounded: a huge file or a device that never ends (/dev/zero) is refused, not read into memory.
    text = readBoundedText(file, MAX_OUTPUTS_BYTES, "stack outputs are kilobytes");
  } catch (e) {
    throw new Exit(2, `--outputs ${file}: cannot read it (${(e as Error).message})`);
  }
  let v: unknown;
  try {
    // The file holds secrets (--show-secrets): the parse error names the place, never the text.
    v = parseJsonText(text);
  } catch (e) {
    throw new Exit(2, `--outputs ${file}: not the JSON of \`pulumi stack output --json --show-secrets\` (${(e as Error).message})`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Exit(2, `--outputs ${file}: not the JSON of \`pulumi stack output --json --show-secrets\` (not an object)`);
  return v as Record<string, unknown>;
}

/** Deployment values from `pulumi stack output --json --show-secrets`. */
function valuesFromOutputs(file: string, cfg: StackConfig, stack: string): DeploymentValues<string> {
  const o = readJson(file);
  const str = (k: string, required: boolean): string | undefined => {
    const v = o[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== "string" || v === "") throw new Exit(2, `--outputs ${file}: "${k}" is missing or not a string`);
    if (v === "[secret]" || v === "[secret]\n") throw new Exit(2, `--outputs ${file}: "${k}" is masked: run pulumi stack output --json --show-secrets`);
    return v;
  };
  const eventHub = str("eventHubConnectionString", cfg.enhancedStatus);
  return {
    stack,
    defaultConnectorName: `${cfg.baseName}-${cfg.regionCode}`,
    connectorFqdn: str("connectorFqdn", false) ?? cfg.connectorFqdn,
    tenantId: str("tenantId", true)!,
    eventHubConnectionString: cfg.enhancedStatus ? eventHub : undefined,
    dialInstructions: cfg.dialInstructions,
  };
}

/** Deployment values from the offline evaluation: what only a deployment knows is a placeholder. */
async function valuesFromEvaluation(sf: StackFile, cfg: StackConfig, stack: string, now: Date, err: (s: string) => void): Promise<DeploymentValues<string | PendingT>> {
  const { evaluateProgram } = require("./plan") as typeof import("./plan");
  const { MOCK_TENANT_ID, unmark } = require("../engine/mocks") as typeof import("../engine/mocks");
  const { Pending } = require("../../components/infinity/client") as typeof import("../../components/infinity/client");
  const monitor = await evaluateProgram({ stack, sf, cfg, now, onOutput: () => undefined, programLog: () => undefined });
  const root = monitor.registrations.find((r) => r.type === "pulumi:pulumi:Stack");
  const outputs = unmark((root && monitor.registeredOutputs.get(root.urn)) ?? {}) as Record<string, unknown>;
  err("notice: no --outputs: values only a deployment knows (tenant ID, Event Hub connection string) are placeholders from the offline evaluation");
  const tenant = outputs.tenantId;
  return {
    stack,
    defaultConnectorName: `${cfg.baseName}-${cfg.regionCode}`,
    connectorFqdn: typeof outputs.connectorFqdn === "string" ? outputs.connectorFqdn : cfg.connectorFqdn,
    tenantId: typeof tenant === "string" && tenant !== MOCK_TENANT_ID ? tenant : new Pending("the app's tenant ID: pulumi stack output tenantId"),
    eventHubConnectionString: outputs.eventHubConnectionString !== undefined ? new Pending("the Event Hub connection string: pulumi stack output --show-secrets eventHubConnectionString") : undefined,
    dialInstructions: cfg.dialInstructions,
  };
}

/** The whole command; returns the exit status. */
export async function main(argv: string[], io: InfinityIo): Promise<number> {
  try {
    let parsed: CommandLine<typeof INFINITY_COMMAND.options>;
    try {
      parsed = parseCommandLine(INFINITY_COMMAND, argv);
    } catch (e) {
      if (e instanceof UsageError) throw new Exit(2, usageText("infinity", e.message));
      throw e;
    }
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const [command] = parsed.positionals;
    if (command !== "diff" && command !== "apply") throw new Exit(2, usageText("infinity", `the first argument must be diff or apply${command ? `, not "${cutEcho(command)}"` : ""}`));
    const stack = parsed.values.stack;
    if (!stack) throw new Exit(2, "infinity: --stack <name> is required");
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new Exit(2, `infinity: --stack: "${cutEcho(stack)}" is not a stack name`);
    const configFile = parsed.values.config ? path.resolve(io.cwd, parsed.values.config) : path.join(ROOT, `Pulumi.${stack}.yaml`);

    // ---- config: the whole stack (for connectorFqdn, dialInstructions, enhancedStatus), then the infinity key
    const { readStackFile, stackFileSource } = require("../engine/stackFile") as typeof import("../engine/stackFile");
    let sf: StackFile;
    try {
      sf = readStackFile(configFile);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Exit(2, code ? `infinity: cannot read the stack file ${configFile} (${code})` : `infinity: ${(e as Error).message}`);
    }
    const { formatIssue, loadConfig } = require("../../components/config") as typeof import("../../components/config");
    const loaded = loadConfig(stackFileSource(sf), { stack, projectDir: ROOT, offline: true, now: io.now });
    const problems = loaded.errors.map(formatIssue);
    if (problems.length === 0 && loaded.config && !loaded.config.infinity) problems.push("pexip-teams-connector:infinity is not set: this stack does not manage Pexip Infinity (see the README's config reference)");
    if (problems.length > 0 || !loaded.config?.infinity) {
      throw new Exit(2, `The stack configuration ${path.relative(io.cwd, configFile) || configFile} has ${problems.length} problem${problems.length === 1 ? "" : "s"} (nothing was sent):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    const cfg = loaded.config;
    const inf = cfg.infinity!;
    const settings = inf.settings;
    const password = io.env.INFINITY_PASSWORD;
    if (!password) throw new Exit(2, "infinity: set INFINITY_PASSWORD to the management API password (it is never read from the command line)");

    const client = require("../../components/infinity/client") as typeof import("../../components/infinity/client");
    const ca = inf.caCertificate;
    // ---- deployment values and the desired objects
    const values = parsed.values.outputs
      ? valuesFromOutputs(path.resolve(io.cwd, parsed.values.outputs), cfg, stack)
      : await valuesFromEvaluation(sf, cfg, stack, io.now, io.err);
    const { desiredObjects } = require("../../components/infinity/desired") as typeof import("../../components/infinity/desired");
    const desired = desiredObjects<string | PendingT>(settings, values);

    // ---- talk to the Management Node
    let api: InstanceType<typeof client.InfinityClient>;
    try {
      api = new client.InfinityClient({ managementNode: settings.managementNode, username: settings.username, password, caCertificate: ca }, { ...(io.client ?? {}), log: io.err });
    } catch (e) {
      throw new Exit(2, (e as Error).message);
    }
    try {
      const plan = await client.planReconcile(api, desired, stack);
      for (const line of client.renderPlan(plan, api.host)) io.out(line);
      if (command === "diff") return 0;
      if (plan.changes.every((c) => c.op === "unchanged")) return 0;
      const { written } = await client.applyReconcile(api, plan, desired, io.now);
      io.out(`Applied: ${written} write${written === 1 ? "" : "s"} to ${api.host}.`);
      return 0;
    } catch (e) {
      if (client.isInfinityError(e)) throw new Exit(e.kind === "invalid" ? 2 : 1, `infinity: ${e.message}`);
      throw e;
    }
  } catch (e) {
    if (e instanceof Exit) {
      io.err(e.message);
      return e.code;
    }
    io.err(`infinity: ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    env: process.env,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    now: toolNow(),
  }).then((code) => {
    // Exit without waiting for the SDK's idle handles (offline evaluation); flush stdout first (it may be a pipe).
    process.stdout.write("", () => process.exit(code));
  });
}
