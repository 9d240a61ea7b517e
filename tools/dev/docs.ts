/**
 * `npm run docs`: rewrites the README's generated blocks from their sources (the config reference from the config
 * schema; with `--diagram`, the Mermaid diagram from `npm run plan -- --stack eu --format mermaid`). `--check`
 * exits 1 when the README is out of date instead of writing it.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { configReferenceMarkdown } from "../../components/configSchema";

const ROOT = path.resolve(__dirname, "..", "..");
const BLOCK = /(<!-- config-reference:[^\n]*-->\n)[\s\S]*?(\n<!-- \/config-reference -->)/;

/** The README with its generated blocks as the sources say. */
export function renderReadme(readme: string): string {
  if (!BLOCK.test(readme)) throw new Error("README.md has no <!-- config-reference --> block");
  return readme.replace(BLOCK, (_m, open: string, close: string) => `${open}${configReferenceMarkdown()}${close}`);
}

/** The README with its Mermaid block replaced by the plan's diagram of the eu stack. */
export function withDiagram(readme: string): string {
  const diagram = execFileSync(process.execPath, ["-r", "./tools/register.js", "tools/commands/plan.ts", "--stack", "eu", "--format", "mermaid"], { cwd: ROOT, encoding: "utf8" });
  return readme.replace(/```mermaid\n[\s\S]*?\n```/, () => "```mermaid\n" + diagram.trimEnd() + "\n```");
}

if (require.main === module) {
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false }, diagram: { type: "boolean", default: false } } });
  const file = path.join(ROOT, "README.md");
  const current = fs.readFileSync(file, "utf8");
  const rendered = renderReadme(current);
  const next = values.diagram ? withDiagram(rendered) : rendered;
  if (values.check) {
    if (next !== current) {
      process.stderr.write("README.md is out of date: run npm run docs\n");
      process.exitCode = 1;
    }
  } else if (next !== current) fs.writeFileSync(file, next);
}
