/**
 * `npm run import-init-script -- <init.ps1> [--stack <name>] [--out <file>] [--force]`
 * Turns a Pexip variables initialization script into `Pulumi.<stack>.yaml` (secrets excepted: it prints the
 * `pulumi config set --secret` commands instead), then checks the result with the program's own config loader.
 */
import { toolNow } from "../engine/clock";
import { CommandSpec, Io, OptionSpec, parseCommandLine, runMain, UsageError, usageText } from "../cli";
import * as fs from "fs";
import * as path from "path";
import { Document } from "yaml";
import { formatIssue, loadConfig, PROJECT } from "../../components/config";
import { applySecret, readStackFile, stackFileSource } from "../engine/stackFile";
import { cutEcho } from "../../components/echo";
import { readBoundedText } from "../cli";
import { getVariable, MAX_SCRIPT_CHARS, parseInitScript, toStackConfig, PFX_PASSWORD_VARIABLES } from "./initScript";

const HELP = `Usage: npm run import-init-script -- <init script .ps1> [--stack <name>] [--out <file>] [--force]
                                     [--secrets-provider <url>]

Reads a Pexip Teams Connector "variables initialization script" (the PowerShell file of the
guide's "Specify installation variables" section) and writes the stack file Pulumi.<stack>.yaml
with the same settings under the ${PROJECT}: keys (see the README's config reference).

  --stack <name>   stack name (default: the value of $PxVmssRegion)
  --out <file>     file to write (default: Pulumi.<stack>.yaml in the current directory)
  --force          overwrite the file if it exists
  --secrets-provider <url>
                   the secrets provider of the printed pulumi stack init (default: the Azure Key Vault
                   key the docs recommend, azurekeyvault://<vault>.vault.azure.net/keys/pulumi-state)
  --help           this text

The script may be UTF-8 or UTF-16 (Windows PowerShell 5.1's Out-File default). Secrets
($PxWinAdminPassword, a PFX password) are never written or printed: the tool prints pulumi stack init
with the secrets provider, then the pulumi config set --secret commands to run. Lines it cannot
read are listed with their line numbers. At the end it checks the written file as npm run plan
would and lists what is still missing (connectorVersion, certificate.password, dialInstructions, ...).

Exit status: 0 written; 2 usage error or unreadable script.`;

export type { Io };

/** The command line (tools/cli.ts: one wiring for every command). */
export const IMPORT_INIT_SCRIPT_COMMAND = {
  name: "import-init-script",
  options: { stack: { type: "string" }, out: { type: "string" }, force: { type: "boolean" }, "secrets-provider": { type: "string" } },
  positionals: 1,
  positionalsHint: "one init script at a time",
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

/** The secrets provider the docs recommend (docs/operations.md): a key in the state backend's Key Vault. */
export const DEFAULT_SECRETS_PROVIDER = "azurekeyvault://<vault>.vault.azure.net/keys/pulumi-state";

const STACK_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

export function main(argv: string[], io: Io): number {
  let cl;
  try {
    cl = parseCommandLine(IMPORT_INIT_SCRIPT_COMMAND, argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(usageText("import-init-script", e.message));
    return 2;
  }
  if (cl.help) {
    io.out(HELP);
    return 0;
  }
  const args = { script: cl.positionals[0], stack: cl.values.stack, out: cl.values.out, force: cl.values.force, secretsProvider: cl.values["secrets-provider"] };
  if (!args.script) {
    io.err(usageText("import-init-script", "the init script's path is missing"));
    return 2;
  }
  for (const [flag, v] of [["--stack", args.stack], ["--out", args.out], ["--secrets-provider", args.secretsProvider]] as const) {
    if (v === "") {
      io.err(usageText("import-init-script", `${flag} needs a value`));
      return 2;
    }
  }
  const userDir = io.userCwd ?? io.cwd;
  const scriptPath = path.resolve(userDir, args.script);
  let text: string;
  try {
    // Bounded: an initialization script is a few kilobytes (and /dev/zero never ends).
    text = readBoundedText(scriptPath, MAX_SCRIPT_CHARS, "an initialization script is a few kilobytes");
  } catch (e) {
    io.err(`import-init-script: cannot read ${args.script}: ${(e as Error).message}`);
    return 2;
  }

  const parsed = parseInitScript(text);
  // No output is searched for secret values (that corrupted it and revealed short secrets by position): secrets
  // never enter it. Secret variables' values, placeholders and lines are never put into a message or the file.
  const say = (line = "") => io.out(line);
  const warn = (line: string) => io.err(line);

  const region = getVariable(parsed.variables, "PxVmssRegion")?.value;
  const stack = args.stack ?? (typeof region === "string" && region !== "" ? region : undefined);
  if (!stack) {
    warn("import-init-script: no stack name: the script sets no $PxVmssRegion; pass --stack <name>");
    return 2;
  }
  if (!STACK_NAME.test(stack)) {
    warn(`import-init-script: "${stack}" is not a usable stack name (letters, digits, _ . - only); pass --stack <name>`);
    return 2;
  }
  const imported = toStackConfig(parsed.variables, { stack });
  const keyCount = Object.keys(imported.config).length;
  if (parsed.variables.size === 0 || (keyCount === 0 && imported.secrets.every((s) => s.variable === undefined))) {
    warn(`import-init-script: ${args.script} sets none of the initialization script's variables ($PxBaseConnName, $PxVmssRegion, ...): is it the right file?`);
    for (const p of parsed.problems.slice(0, 5)) warn(`  line ${p.line}${p.endLine ? `-${p.endLine}` : ""}: ${p.message}`);
    return 2;
  }

  const shortStack = stack.split("/").pop()!;
  const outPath = args.out !== undefined ? path.resolve(userDir, args.out) : path.resolve(io.cwd, `Pulumi.${shortStack}.yaml`);
  const outShown = path.relative(userDir, outPath) || outPath;
  if (fs.existsSync(outPath) && !args.force) {
    warn(`import-init-script: ${outShown} exists; not overwritten (pass --force to replace it, or --out <file>)`);
    return 2;
  }

  const doc = new Document({ config: imported.config });
  doc.commentBefore =
    ` Imported from ${path.basename(scriptPath)} by npm run import-init-script.\n` +
    " Secrets are not in this file: set them with the pulumi config set --secret commands the tool printed.";
  const yamlText = doc.toString();
  try {
    fs.mkdirSync(path.dirname(outPath), { recursive: true });
    fs.writeFileSync(outPath, yamlText);
  } catch (e) {
    warn(`import-init-script: cannot write ${outShown}: ${(e as Error).message}`);
    return 1;
  }

  say(`Read ${args.script}: ${parsed.variables.size} variables.`);
  say(`Wrote ${outShown} (stack "${stack}"): ${keyCount} keys.`);

  say("");
  say("First, once (after pulumi login): create the stack with its secrets provider, which the secret commands below");
  say("encrypt with. The docs recommend an Azure Key Vault key (docs/operations.md, \"State backend\"):");
  say(`  pulumi stack init ${stack} --secrets-provider="${args.secretsProvider ?? DEFAULT_SECRETS_PROVIDER}"`);
  if (args.secretsProvider === undefined) say("  (replace <vault> with your state vault's name, or pass --secrets-provider <url> to this tool)");
  say("");
  say("Secrets: not written to the file. Run these, replacing <...> with the value (or leave the value off:");
  say("pulumi then prompts for it and it stays out of your shell history):");
  for (const s of imported.secrets) say(`  ${s.command}`);

  if (parsed.problems.length > 0) {
    say("");
    say("Lines not imported (fix them in the script and run again, or set the keys by hand):");
    for (const p of parsed.problems) say(`  line ${p.line}${p.endLine ? `-${p.endLine}` : ""}: ${p.message}`);
  }
  const reassigned = [...parsed.variables.values()].filter((v) => v.lines.length > 1);
  const notes = imported.notes.filter((n) => n.kind !== "nextStep");
  if (notes.length > 0 || reassigned.length > 0) {
    say("");
    say("Notes:");
    for (const v of reassigned) {
      const shown = v.lines.length > 10 ? `${v.lines.slice(0, 10).join(", ")} and ${v.lines.length - 10} more` : v.lines.join(", ");
      say(`  - $${v.name} is assigned on lines ${shown}: the last one counts, as in PowerShell`);
    }
    for (const n of notes) say(`  - ${n.message}`);
  }
  say("");
  say("Next steps (keys the script cannot give):");
  for (const n of imported.notes.filter((x) => x.kind === "nextStep")) say(`  - ${n.message}`);
  say("  - To adopt the existing static resources (public IP, Key Vault, ...): npm run import-static -- --help, and docs/migration.md");

  // The same check `npm run plan` makes, offline; the script's secrets are applied in memory only, to check their rules.
  say("");
  say(`Config check of ${outShown} (as npm run plan would see it; secrets from the script checked in memory, not stored):`);
  try {
    const sf = readStackFile(outPath);
    const adminPassword = getVariable(parsed.variables, "PxWinAdminPassword")?.value;
    if (typeof adminPassword === "string" && adminPassword !== "") applySecret(sf, `adminPassword=${adminPassword}`);
    const pfxPassword = PFX_PASSWORD_VARIABLES.map((n) => getVariable(parsed.variables, n)?.value).find((v) => typeof v === "string" && v !== "");
    if (typeof pfxPassword === "string") applySecret(sf, `certificate.password=${pfxPassword}`);
    const result = loadConfig(stackFileSource(sf), { stack, projectDir: io.cwd, offline: true, now: toolNow() });
    if (result.errors.length === 0) say("  no errors");
    for (const e of result.errors) say(`  error: ${formatIssue({ ...e, value: cutEcho(e.value) })}`);
    for (const w of result.warnings) say(`  warning: ${w}`);
    for (const n of result.notices) say(`  notice: ${n}`);
  } catch (e) {
    warn(`import-init-script: the written file could not be checked: ${(e as Error).message}`);
  }
  return 0;
}

if (require.main === module) runMain(main);
