// Require hook for the offline tools: strips TypeScript with swc (type checking is `npm run typecheck`'s job),
// so `npm run plan` starts in the time Node needs to load the Pulumi SDK, not the time tsc needs.
// Compiled output is kept in node_modules/.cache/plan-swc, keyed by this hook's own source, the file name and the
// file's source: a repeated run (CI, tests, the bench) never loads swc's native binding, the tool's entry file included.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "plan-swc");
// Node's on-disk V8 code cache (Node 22.1+; a no-op where it cannot write): the Pulumi SDK's modules compile once per
// checkout instead of once per run. https://nodejs.org/api/module.html#moduleenablecompilecachecachedir
require("module").enableCompileCache?.(path.join(__dirname, "..", "node_modules", ".cache", "node-compile"));
let hookSource = "";
try {
  hookSource = fs.readFileSync(__filename, "utf8");
} catch {
  // Unreadable hook: compile every time (the key would not track a change of the compile options).
}

let transformSync;
function compile(source, filename) {
  // Loaded on first use: a cached compile never pays for swc's native binding.
  transformSync = transformSync || require("@swc/core").transformSync;
  return transformSync(source, {
    filename,
    sourceMaps: "inline",
    module: { type: "commonjs" },
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  }).code;
}

function hook(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  if (!hookSource) return module._compile(compile(source, filename), filename);
  const key = crypto.createHash("sha1").update(hookSource).update("\0").update(filename).update("\0").update(source).digest("hex");
  const file = path.join(CACHE_DIR, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(file, "utf8");
  } catch {
    code = compile(source, filename);
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      fs.writeFileSync(`${file}.${process.pid}`, code);
      fs.renameSync(`${file}.${process.pid}`, file);
    } catch {
      // A read-only checkout only loses the cache.
    }
  }
  module._compile(code, filename);
}
require.extensions[".ts"] = hook;
