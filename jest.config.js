/** Jest runs TypeScript through swc (fast, no type check); `npm run typecheck` does the checking once. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 30000,
  // Jest defaults to cores - 1 workers: one on CI's 2 cores, though most suites wait on child processes and Chromium.
  maxWorkers: 2,
};
