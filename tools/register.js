// Require hook for the offline tools: strips TypeScript with swc (type checking is `npm run typecheck`'s job),
// so `npm run plan` starts in the time Node needs to load the Pulumi SDK, not the time tsc needs.
const fs = require("fs");

let transformSync;
require.extensions[".ts"] = function (module, filename) {
  // Loaded on first use: a cached compile (tools/plan.ts keeps one) never pays for swc's native binding.
  transformSync = transformSync || require("@swc/core").transformSync;
  const source = fs.readFileSync(filename, "utf8");
  const { code } = transformSync(source, {
    filename,
    sourceMaps: "inline",
    module: { type: "commonjs" },
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  });
  module._compile(code, filename);
};
