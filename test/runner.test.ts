/**
 * The test runner itself (jest-light-runner has no per-test timeouts): the watchdog in test/runtime/setup.js ends a
 * run whose test never settles, and names the test, instead of hanging CI.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { ROOT } from "./harness";

/** Runs jest on one fixture with a short watchdog limit. */
function runFixture(fixture: string): { status: number | null; signal: NodeJS.Signals | null; out: string; ms: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/jest/bin/jest.js"), "--ci", "--testMatch", `<rootDir>/test/fixtures/runner/${fixture}`], {
    cwd: ROOT,
    env: { ...process.env, TEST_LIMIT_MS: "500" },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: r.status, signal: r.signal, out: `${r.stdout}${r.stderr}`, ms: performance.now() - started };
}

test.each([
  ["hang.fixture.ts", "never settles"],
  // Fake timers freeze Date.now and a spied stderr swallows writes: the watchdog uses the real ones.
  ["hang-fake-timers.fixture.ts", "never settles under fake timers"],
])("%s: a test that never settles fails the run within the limit, named", (fixture, name) => {
  const r = runFixture(fixture);
  expect(r.signal).toBeNull();
  expect(r.status).toBe(1);
  expect(r.out).toContain(`test watchdog: ${path.join(ROOT, "test/fixtures/runner", fixture)} > ${name} (or the hook after it) ran over 0.5 s`);
  expect(r.out).toMatch(/Test Suites: 1 failed, 1 total/);
  expect(r.ms).toBeLessThan(20_000);
});
