/**
 * `npm run docs`: rewrites the README's generated blocks from their sources (the config reference from the config
 * schema; with `--diagram`, the Mermaid diagram from `npm run plan -- --stack eu --format mermaid`). `--check`
 * exits 1 when the README is out of date instead of writing it.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseCommandLine, UsageError, usageText } from "../cli";
import { configReferenceMarkdown } from "../../components/configSchema";

const ROOT = path.resolve(__dirname, "..", "..");
const BLOCK = /(<!-- config-reference:[^\n]*-->\n)[\s\S]*?(\n<!-- \/config-reference -->)/;

/** The README with its generated blocks as the sources say. */
export function renderReadme(readme: string): string {
  if (!BLOCK.test(readme)) throw new Error("README.md has no <!-- config-reference --> block");
  return readme.replace(BLOCK, (_m, open: string, close: string) => `${open}${configReferenceMarkdown()}${close}`);
}

/** The README with its Mermaid block replaced by the plan's diagram of the eu stack (the lab stack's warnings kept out). */
export function withDiagram(readme: string): string {
  const diagram = execFileSync(process.execPath, ["-r", "./tools/register.js", "tools/commands/plan.ts", "--stack", "eu", "--format", "mermaid"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return readme.replace(/```mermaid\n[\s\S]*?\n```/, () => "```mermaid\n" + diagram.trimEnd() + "\n```");
}

export const HELP = `Usage: npm run docs [-- --diagram] [--check]

Rewrites the README's generated blocks: the config reference from components/configSchema.ts, and with
--diagram the Mermaid diagram from npm run plan -- --stack eu --format mermaid.

  --diagram   also the diagram (evaluates the eu stack offline)
  --check     write nothing; exit 1 when the README is out of date
  -h, --help  this text

Exit status: 0 written (or up to date); 1 out of date (--check); 2 usage error.
`;

export const DOCS_COMMAND = { name: "docs", options: { check: { type: "boolean" }, diagram: { type: "boolean" } } } as const;

export function main(argv: string[]): number {
  let values;
  try {
    const cl = parseCommandLine(DOCS_COMMAND, argv);
    if (cl.help) {
      process.stdout.write(HELP);
      return 0;
    }
    values = cl.values;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${usageText("docs", e.message)}\n`);
    return 2;
  }
  const file = path.join(ROOT, "README.md");
  const current = fs.readFileSync(file, "utf8");
  const rendered = renderReadme(current);
  const next = values.diagram ? withDiagram(rendered) : rendered;
  if (values.check) {
    if (next !== current) {
      process.stderr.write("README.md is out of date: run npm run docs\n");
      return 1;
    }
  } else if (next !== current) fs.writeFileSync(file, next);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
