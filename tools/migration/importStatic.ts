/**
 * `npm run import-static -- --stack <name> <resources.json>... [--out <file>] [--config-out <file>]`
 * Writes the `pulumi import --file` file that adopts a PowerShell deployment's static resources (public IP,
 * Key Vault, storage, Event Hubs) into the program's StaticResources component, and the existingStatic.* keys.
 */
import { CommandSpec, Io, OptionSpec, parseCommandLine, parseJsonText, readBoundedText, runMain, UsageError, usageText } from "../cli";

/** `az resource list` of one resource group is kilobytes; this bounds the read. */
const MAX_AZ_OUTPUT_BYTES = 32 * 1024 * 1024;
import * as fs from "fs";
import * as path from "path";
import { PROJECT } from "../../components/config";
import { MAX_STACK_FILE_BYTES, readStackFile } from "../engine/stackFile";
import { importFileText, mergeExistingStatic, planStaticImport, providerUrn, readAzResources, STATIC_COMPONENT, StaticImportOptions } from "./staticImport";

const HELP = `Usage: npm run import-static -- --stack <name> <resources.json> [more.json ...] [options]

Adopts the static resources of a Teams Connector deployed by Pexip's PowerShell scripts.
<resources.json> is the output of

  az resource list --resource-group <baseName>-TeamsConn-<regionCode>-static-RG -o json

(add the outputs of az eventhubs eventhub list / authorization-rule list to adopt the event hub
and its access policy too: az resource list does not show them). The tool writes a file for

  pulumi import --stack <name> --file <out> --generate-code=false

that maps the static resource group, public IP, Key Vault, storage account and Event Hubs
namespace (and events_hub with standard_access_policy) onto the program's ${STATIC_COMPONENT.type}
component "${STATIC_COMPONENT.name}", bound to the program's explicit azure-native provider "azure", with every
ID spelling the resource group as Azure names it, and prints the existingStatic.* stack keys that make the program
use the names the PowerShell scripts chose. See docs/migration.md for the whole move.

  --stack <name>              stack to import into (required)
  --out <file>                import file to write (default: import-static.<stack>.json)
  --config-out <file>         also set existingStatic.* in this stack file (e.g. Pulumi.<stack>.yaml;
                              created if missing, every other setting kept)
  --stack-file <file>         stack config to check names, subscription and region against
                              (default: Pulumi.<stack>.yaml when it exists)
  --public-ip <name>          which one to adopt when the group holds several of a kind
  --key-vault <name>
  --storage-account <name>
  --event-hub-namespace <name>
  --component-exists          the stack's state already has the ${STATIC_COMPONENT.type} component
  --force                     overwrite --out if it exists
  --help                      this text

Exit status: 0 file written; 2 usage error, unreadable input, or a mapping that cannot be made
(several candidates and no rule to choose, wrong subscription or region, a resource group name the
program cannot adopt).`;

export type { Io };

/** The command line (tools/cli.ts: one wiring for every command). */
export const IMPORT_STATIC_COMMAND = {
  name: "import-static",
  options: {
    stack: { type: "string" },
    out: { type: "string" },
    "config-out": { type: "string" },
    "stack-file": { type: "string" },
    "public-ip": { type: "string" },
    "key-vault": { type: "string" },
    "storage-account": { type: "string" },
    "event-hub-namespace": { type: "string" },
    "component-exists": { type: "boolean" },
    force: { type: "boolean" },
  },
  positionals: Infinity,
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

type ValueFlag = `--${"stack" | "out" | "config-out" | "stack-file" | "public-ip" | "key-vault" | "storage-account" | "event-hub-namespace"}`;

interface Args {
  values: Partial<Record<ValueFlag, string>>;
  inputs: string[];
  componentExists: boolean;
  force: boolean;
  help: boolean;
}

function parseArgs(argv: string[]): Args | string {
  let cl;
  try {
    cl = parseCommandLine(IMPORT_STATIC_COMMAND, argv);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  const a: Args = { values: {}, inputs: cl.positionals, componentExists: cl.values["component-exists"], force: cl.values.force, help: cl.help };
  for (const [k, v] of Object.entries(cl.values)) {
    if (typeof v !== "string") continue;
    if (v === "") return `--${k} needs a value`;
    a.values[`--${k}` as ValueFlag] = v;
  }
  return a;
}

/** A plain string value of a stack-file key, or undefined. */
function stackValue(file: ReturnType<typeof readStackFile>, key: string): string | undefined {
  const v = file.entries.get(key.includes(":") ? key : `${PROJECT}:${key}`)?.value;
  // Encrypted values (EncryptedValue) are not strings: a secret never serves as a name here.
  return typeof v === "string" && v !== "" ? v : undefined;
}

function providerVersion(): string | undefined {
  try {
    // The program's azure-native version: the import must use the provider the program will run with.
    return (require("@pulumi/azure-native/package.json") as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export function main(argv: string[], io: Io): number {
  const args = parseArgs(argv);
  const usage = (msg: string) => {
    io.err(usageText("import-static", msg));
    return 2;
  };
  if (typeof args === "string") return usage(args);
  if (args.help) {
    io.out(HELP);
    return 0;
  }
  const stack = args.values["--stack"];
  if (!stack) return usage("--stack <name> is required");
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) return usage(`"${stack}" is not a stack name (letters, digits, _ . - only)`);
  if (args.inputs.length === 0) return usage("the az resource list output (a JSON file) is missing");

  const userDir = io.userCwd ?? io.cwd;
  const docs: unknown[] = [];
  for (const f of args.inputs) {
    try {
      // Bounded, and the JSON error names a line, never the file's text.
      docs.push(parseJsonText(readBoundedText(path.resolve(userDir, f), MAX_AZ_OUTPUT_BYTES, "az resource list output for one resource group is far smaller")));
    } catch (e) {
      io.err(`import-static: cannot read ${f}: ${(e as Error).message}`);
      return 2;
    }
  }
  const { resources, errors: inputErrors } = readAzResources(docs);
  if (inputErrors.length > 0) {
    for (const e of inputErrors) io.err(`import-static: ${e}`);
    return 2;
  }

  const opts: StaticImportOptions = {
    stack,
    componentInState: args.componentExists,
    providerVersion: providerVersion(),
    choose: {
      publicIp: args.values["--public-ip"],
      keyVault: args.values["--key-vault"],
      storageAccount: args.values["--storage-account"],
      eventHubNamespace: args.values["--event-hub-namespace"],
    },
  };
  const stackFilePath = args.values["--stack-file"] ?? `Pulumi.${stack}.yaml`;
  const stackFileAbs = path.resolve(args.values["--stack-file"] !== undefined ? userDir : io.cwd, stackFilePath);
  let stackFileRead = false;
  if (fs.existsSync(stackFileAbs)) {
    try {
      const sf = readStackFile(stackFileAbs);
      opts.baseName = stackValue(sf, "baseName");
      opts.regionCode = stackValue(sf, "regionCode");
      opts.subscriptionId = stackValue(sf, "azure-native:subscriptionId");
      opts.location = stackValue(sf, "azure-native:location");
      if (opts.baseName === undefined || opts.regionCode === undefined) {
        opts.baseName = undefined;
        opts.regionCode = undefined;
      }
      stackFileRead = true;
    } catch (e) {
      io.err(`import-static: ${(e as Error).message}`);
      return 2;
    }
  } else if (args.values["--stack-file"] !== undefined) {
    io.err(`import-static: cannot read ${stackFilePath}: ENOENT`);
    return 2;
  }

  const plan = planStaticImport(resources, opts);
  const list = (title: string, items: string[], to: (l: string) => void) => {
    if (items.length === 0) return;
    to("");
    to(title);
    for (const i of items) to(`  - ${i}`);
  };
  if (plan.errors.length > 0) {
    io.err("import-static: no file written:");
    for (const e of plan.errors) io.err(`  - ${e}`);
    list("Also:", plan.warnings, io.err);
    return 2;
  }

  const outPath = args.values["--out"] !== undefined ? path.resolve(userDir, args.values["--out"]) : path.resolve(io.cwd, `import-static.${stack}.json`);
  const outShown = path.relative(userDir, outPath) || outPath;
  if (fs.existsSync(outPath) && !args.force) {
    io.err(`import-static: ${outShown} exists; not overwritten (pass --force, or --out <file>)`);
    return 2;
  }
  try {
    fs.writeFileSync(outPath, importFileText(plan));
  } catch (e) {
    io.err(`import-static: cannot write ${outShown}: ${(e as Error).message}`);
    return 1;
  }
  const configOut = args.values["--config-out"];
  if (configOut !== undefined) {
    const p = path.resolve(userDir, configOut);
    try {
      // Bounded as every stack-file read: --config-out /dev/zero is refused, not read into memory.
      const before = fs.existsSync(p) ? readBoundedText(p, MAX_STACK_FILE_BYTES, "a stack file is a few kilobytes") : undefined;
      fs.writeFileSync(p, mergeExistingStatic(before, plan.existingStatic));
    } catch (e) {
      io.err(`import-static: cannot update ${configOut}: ${(e as Error).message}`);
      return 1;
    }
  }

  io.out(`Static resource group ${plan.resourceGroup!.name} (subscription ${plan.resourceGroup!.subscriptionId})` + (stackFileRead ? `, checked against ${stackFilePath}` : ", no stack file read"));
  if (plan.naming) io.out(`Naming: baseName "${plan.naming.baseName}", regionCode "${plan.naming.regionCode}" (from the ${plan.naming.from})`);
  io.out("");
  io.out(`Wrote ${outShown}: ${plan.selections.length} resources under ${STATIC_COMPONENT.type} "${STATIC_COMPONENT.name}"${opts.componentInState ? " (already in the state)" : ""}:`);
  for (const s of plan.selections) io.out(`  ${s.entry.logicalName.padEnd(16)} ${s.entry.pulumiType.padEnd(48)} <- ${s.name}`);
  if (plan.configCommands.length > 0) {
    io.out("");
    io.out(configOut !== undefined ? `Set in ${configOut} (the same as running):` : "Stack keys that make the program use these names (run them, or pass --config-out Pulumi.<stack>.yaml):");
    for (const c of plan.configCommands) io.out(`  ${c}`);
  }
  list("Warnings:", plan.warnings, io.out);
  list("Check on the live deployment (nothing here can):", plan.checks, io.out);
  io.out("");
  io.out("Then (the import binds each resource to the program's explicit provider, which must be in the state first;");
  io.out("the targeted up below records only that provider, it creates nothing in Azure):");
  io.out(`  pulumi up --stack ${stack} --target "${providerUrn(stack)}"`);
  io.out(`  pulumi import --stack ${stack} --file ${outShown} --generate-code=false`);
  io.out(`  pulumi preview --diff --stack ${stack}`);
  io.out("  and follow docs/migration.md for the cut-over.");
  return 0;
}

if (require.main === module) runMain(main);
