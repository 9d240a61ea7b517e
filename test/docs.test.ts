/**
 * The docs are all an operator has (issue 16): every file they name is in this repository, no link leaves it, every
 * shell step has its PowerShell form (or says why bash is the same or needed), and the Pulumi CLI version they pin is
 * the one the workflows install and the SDK the program runs on.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "./harness";

/** The documents a user reads: the README, docs/ and the policy pack's README. */
const DOCS = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`), "policy/README.md"];
const text = (doc: string) => fs.readFileSync(path.join(ROOT, doc), "utf8");
/** Prose only: fenced blocks removed (their commands and outputs name files the user creates). */
const prose = (md: string) => md.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}
const anchors = (md: string) => new Set([...prose(md).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));

/** Top-level entries of the repository: a backticked path starting with one of them is a reference to check. */
const TOP = new Set(fs.readdirSync(ROOT).filter((f) => f !== "node_modules" && f !== ".git"));

describe.each(DOCS)("%s", (doc) => {
  const md = text(doc);
  const dir = path.dirname(path.join(ROOT, doc));

  test("every link stays in the repository and reaches a file (and its heading) that exists", () => {
    const links = [...prose(md).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^(https?:|mailto:)/.test(l));
    const broken: string[] = [];
    for (const l of links) {
      const [file, anchor] = l.split("#");
      const target = file === "" ? path.join(ROOT, doc) : path.resolve(dir, file);
      if (!target.startsWith(ROOT + path.sep) || !fs.existsSync(target)) broken.push(`${l}: no such file in the repository`);
      else if (anchor && target.endsWith(".md") && !anchors(fs.readFileSync(target, "utf8")).has(anchor)) broken.push(`${l}: no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });

  test("every file or directory of the repository it names in backticks exists; none outside it", () => {
    const spans = [...prose(md).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
    const missing: string[] = [];
    for (const span of spans) {
      for (const raw of span.split(/\s+/)) {
        const token = raw.replace(/^[("']+/, "").replace(/[),.;:'"]+$/, "").split("#")[0];
        if (/\.\.\//.test(token) || /(^|\/)shared\/(spec|seed)\b/.test(token)) missing.push(`${token}: outside the repository`);
        if (token === "" || /[<>*{}$]/.test(token) || !TOP.has(token.split("/")[0])) continue;
        if (!token.includes("/") && !/\.[a-z]+$/.test(token)) continue;
        if (!fs.existsSync(path.join(ROOT, token))) missing.push(token);
      }
    }
    expect(missing).toEqual([]);
  });

  test("Pexip's guide is named by its name, never as a copy of ours", () => {
    expect(md).not.toMatch(/\bseed('s)?\b/i);
    expect(md).not.toMatch(/shared\/(spec|seed)|\.\.\/shared/);
  });

  test("every bash block has its PowerShell form beside it, or says it is the same or that bash is needed", () => {
    const lines = md.split("\n");
    const fences: { lang: string; start: number; end: number }[] = [];
    for (let i = 0; i < lines.length; i++) {
      const m = /^```(\w*)\s*$/.exec(lines[i]);
      if (!m) continue;
      const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
      fences.push({ lang: m[1], start: i, end });
      i = end;
    }
    const bashOnly = /\$\(|&&|\|\||\\$|^\s*export |^\s*[A-Z_]+=|\bread -|<<|\bfor \w+ in\b|`[^`]*`/m;
    const problems: string[] = [];
    fences.forEach((f, k) => {
      if (!["sh", "bash", "shell"].includes(f.lang)) return;
      const body = lines.slice(f.start + 1, f.end).join("\n");
      const marker = lines.slice(Math.max(0, f.start - 2), f.start).join("\n");
      const near = (g: (typeof fences)[number] | undefined) => g !== undefined && g.lang === "powershell" && Math.abs((g.start > f.start ? g.start - f.end : f.start - g.end)) <= 12;
      if (near(fences[k + 1]) || near(fences[k - 1])) return;
      if (/<!-- shells: the same in bash and PowerShell -->/.test(marker)) {
        if (bashOnly.test(body)) problems.push(`line ${f.start + 1}: marked the same in both shells, but uses bash syntax`);
        return;
      }
      if (/<!-- bash only: .*(Cloud Shell|WSL).* -->/.test(marker)) return;
      problems.push(`line ${f.start + 1}: a ${f.lang} block without a powershell block beside it`);
    });
    expect(problems).toEqual([]);
  });
});

test("the docs' own checks can fail: a link out, a missing file, a lone bash block", () => {
  expect(slug("1. Install the tools")).toBe("1-install-the-tools");
  expect(slug("`npm run plan`")).toBe("npm-run-plan");
  expect(slug("Create the backend (once)")).toBe("create-the-backend-once");
});

test("the docs cover the offline commands and the steps to a first call, in order", () => {
  const commands = text("docs/commands.md");
  const scripts = Object.keys(JSON.parse(text("package.json")).scripts).filter((s) => !["test", "typecheck"].includes(s));
  for (const s of scripts) expect([s, commands.includes(`## \`npm run ${s}\``)]).toEqual([s, true]);
  for (const field of ['"ignoreChanges"', '"replaceOnChanges"', '"refused"', '"counts"', '"reasons"', '"leaves"']) expect(commands).toContain(field);
  const production = text("docs/production.md");
  const steps = [...production.matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1]));
  expect(steps).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  for (const cmd of ["pulumi stack init eu --secrets-provider=", "pulumi up --stack eu", "pulumi stack output teamsPowerShell", "pulumi stack output pexipInfinity", "az login"]) {
    expect([cmd, production.includes(cmd)]).toEqual([cmd, true]);
  }
});

test("one Pulumi CLI version: the README's pin, the workflows' pulumi-version, the install commands and the SDK", () => {
  const pin = /Pulumi CLI, version \*\*(\d+\.\d+\.\d+)\*\*/.exec(text("README.md"))?.[1];
  expect(pin).toMatch(/^\d+\.\d+\.\d+$/);
  const workflows = fs.readdirSync(path.join(ROOT, ".github", "workflows")).filter((f) => /\.ya?ml$/.test(f));
  const versions: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) (k === "pulumi-version" ? versions.push(String(x)) : walk(x));
  };
  for (const f of workflows) walk(parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", f), "utf8")));
  expect(versions.length).toBeGreaterThan(0);
  expect([...new Set(versions)]).toEqual([pin]);
  const production = text("docs/production.md");
  expect(production).toContain(`| sh -s -- --version ${pin}`);
  expect(production).toContain(`pulumi-v${pin}-windows-x64.msi`);
  expect(production).toContain(`**${pin}**`);
  expect(JSON.parse(text("package.json")).dependencies["@pulumi/pulumi"]).toBe(pin);
});

test("every URN the docs name is one the eu stack registers (a renamed resource or provider would leave a dead command)", async () => {
  const { runProgram, stackSource } = await import("./harness");
  const urns = new Set((await runProgram("eu", stackSource("eu").source)).resources.map((r) => r.urn));
  const named = DOCS.flatMap((d) => [...fs.readFileSync(path.join(ROOT, d), "utf8").matchAll(/urn:pulumi:eu::[^"`\s)]+/g)].map((m) => [d, m[0]]));
  expect(named.length).toBeGreaterThanOrEqual(3);
  expect(named.filter(([, u]) => !urns.has(u))).toEqual([]);
});
