// Runs once in each jest-light-runner worker (a child process that runs many test files in plain Node, sharing loaded
// modules: the Pulumi SDK loads and serializes the dynamic providers once per worker, not once per file).
const path = require("path");
const { register } = require("node:module");
const { pathToFileURL } = require("url");

// TypeScript through the offline tools' own swc require hook (type checking is `npm run typecheck`'s job).
require(path.join(__dirname, "..", "..", "tools", "register.js"));
// The runner import()s each test file: the loader hands .ts files to the CommonJS loader, and so to the hook above.
register(pathToFileURL(path.join(__dirname, "loader.mjs")));
// Stack traces point at the TypeScript lines (the hook emits inline source maps).
process.setSourceMapsEnabled(true);

// The runner has no test timeouts: a test or hook that has not moved on in TEST_LIMIT_MS fails the run, naming itself.
// Its clock, timer and output are the real ones, taken now: a test's fake timers or spied stderr cannot blind it.
const TEST_LIMIT_MS = Number(process.env.TEST_LIMIT_MS ?? 120_000);
const realNow = performance.now.bind(performance);
const realSetInterval = setInterval;
const { writeSync } = require("fs");
let current = "";
let since = realNow();
realSetInterval(() => {
  const state = globalThis.expect?.getState?.() ?? {};
  const where = `${state.testPath ?? "(setup)"} > ${state.currentTestName ?? "(before the first test)"}`;
  if (where !== current) {
    current = where;
    since = realNow();
  } else if (realNow() - since > TEST_LIMIT_MS) {
    writeSync(2, `\ntest watchdog: ${where} (or the hook after it) ran over ${TEST_LIMIT_MS / 1000} s\n`);
    process.exit(70);
  }
}, Math.min(1000, Math.max(50, TEST_LIMIT_MS / 10))).unref();
