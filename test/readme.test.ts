/**
 * The README is read by operators before anything else: its config reference, commands and diagram must say what the
 * code does. Each check here reads the source of truth and fails when the README drifts from it.
 */
import * as fs from "fs";
import * as path from "path";
import { KNOWN_KEYS } from "../components/config";
import { renderReadme } from "../tools/dev/docs";
import { planAtNow as plan, ROOT } from "./harness";

const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

test("the config reference is the one generated from the config schema (npm run docs), and names every key", () => {
  expect(renderReadme(readme)).toBe(readme);
  const undocumented = KNOWN_KEYS.filter((k) => !readme.includes(`| \`${k}`));
  expect(undocumented).toEqual([]);
});

test("the config reference maps every $Px variable of the seed's init script", () => {
  const seed = fs.readFileSync(path.join(ROOT, "test", "fixtures", "seed-init.ps1"), "utf8");
  const vars = [...new Set([...seed.matchAll(/^\s*(\$(?:Px\w+|tags|BotChan\w+))\s*=/gm)].map((m) => m[1]))];
  expect(vars.length).toBeGreaterThanOrEqual(20);
  const missing = vars.filter((v) => !readme.includes(`\`${v}\``));
  expect(missing).toEqual([]);
});

test("every `npm run <script>` the README mentions exists", () => {
  const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);
  const used = [...new Set([...readme.matchAll(/npm run ([a-z-]+)/g)].map((m) => m[1]))];
  expect(used.length).toBeGreaterThan(3);
  expect(used.filter((s) => !scripts.includes(s))).toEqual([]);
});

test("CI runs the README's test command", () => {
  expect(readme).toContain("npm ci && npm test");
  const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
  expect(ci.split("\n").filter((l) => /^npm (ci|test)\b/.test(l.trim()))).toEqual(["npm ci --no-audit --no-fund", "npm test"]);
});

test("every document the README links exists", () => {
  const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]);
  expect(links.length).toBeGreaterThan(3);
  expect(links.filter((l) => !fs.existsSync(path.join(ROOT, l)))).toEqual([]);
});

test("the README's diagram is the one `npm run plan -- --stack eu --format mermaid` draws today (npm run docs -- --diagram)", async () => {
  const r = await plan(["--stack", "eu", "--format", "mermaid"]);
  expect(r.code).toBe(0);
  const block = /```mermaid\n([\s\S]*?)\n```/.exec(readme)?.[1];
  expect(block).toBe(r.stdout.trimEnd());
});
