/**
 * Every package the code loads is declared in package.json (not only present as some dependency's dependency), so
 * `npm ci` on a clean clone gives the suite, the plan and the program what they load. TypeScript's own pre-processor
 * finds the specifiers (imports, `require` and `import()` calls).
 */
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import * as ts from "typescript";
import { ROOT } from "./harness";

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** Source files of the repository (no node_modules, no dot-directories). */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === "node_modules" || e.name.startsWith(".")) return [];
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.(ts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** The package a bare specifier names (`@scope/name` or `name`), or undefined for relative paths and built-ins. */
function packageOf(spec: string): string | undefined {
  if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:")) return undefined;
  const root = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
  return builtinModules.includes(root) ? undefined : root;
}

test("every loaded package is a declared dependency, and production code loads only runtime dependencies", () => {
  const files = ["index.ts", ...["components", "policy", "tools", "test"].flatMap((d) => sources(path.join(ROOT, d)))];
  expect(files.length).toBeGreaterThan(100);
  const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
  const undeclared: string[] = [];
  const devInProduct: string[] = [];
  for (const f of files) {
    const rel = path.relative(ROOT, f);
    for (const { fileName } of ts.preProcessFile(fs.readFileSync(f, "utf8"), true, true).importedFiles) {
      const p = packageOf(fileName);
      if (p === undefined) continue;
      if (!declared.has(p)) undeclared.push(`${rel}: ${p}`);
      // What `pulumi up` runs (the program and the policy pack) needs its packages outside devDependencies.
      const product = rel === "index.ts" || rel.startsWith("components/") || rel.startsWith("policy/");
      if (product && !(p in pkg.dependencies)) devInProduct.push(`${rel}: ${p}`);
    }
  }
  expect(undeclared).toEqual([]);
  expect(devInProduct).toEqual([]);
});

test("the check sees what it should: a bare, a scoped, a deep and a built-in specifier", () => {
  const found = ts.preProcessFile('import * as a from "yaml"; const b = require("@pulumi/pulumi/runtime"); import("node:fs"); require("fs"); require("./x");', true, true).importedFiles.map((f) => packageOf(f.fileName));
  expect(found).toEqual(["yaml", "@pulumi/pulumi", undefined, undefined, undefined]);
});
