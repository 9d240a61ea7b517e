/**
 * Jest with jest-light-runner: test files run in plain Node worker processes that keep loaded modules between files,
 * instead of a fresh module registry per file (the Pulumi SDK's load and first closure serialization were about
 * a second of every file). TypeScript goes through tools/register.js (swc, no type check); `npm run typecheck` checks.
 */
module.exports = {
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  moduleFileExtensions: ["ts", "js", "json"],
  // Child processes rather than worker threads: the program under test uses process-wide state (exit codes, cwd, the
  // inspector session the SDK's closure serializer opens), as it does under the Pulumi CLI.
  runner: "jest-light-runner/child-process",
  setupFiles: ["<rootDir>/test/runtime/setup.js"],
  // Two workers for CI's 2 cores: most suites wait on child processes and Chromium part of the time.
  maxWorkers: 2,
};
