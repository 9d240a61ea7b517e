/**
 * The test runner itself (jest-light-runner has no per-test timeouts): the watchdog in test/runtime/setup.js ends a
 * run whose test never settles, and names the test, instead of hanging CI.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { ROOT } from "./harness";

test("a test that never settles fails the run within the limit, named", () => {
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/jest/bin/jest.js"), "--ci", "--testMatch", "<rootDir>/test/fixtures/runner/hang.fixture.ts"], {
    cwd: ROOT,
    env: { ...process.env, TEST_LIMIT_MS: "500" },
    encoding: "utf8",
    timeout: 30_000,
  });
  const out = `${r.stdout}${r.stderr}`;
  expect(r.signal).toBeNull();
  expect(r.status).toBe(1);
  expect(out).toContain("test watchdog: ");
  expect(out).toContain("hang.fixture.ts > never settles (or the hook after it) ran over 0.5 s");
  expect(out).toMatch(/Test Suites: 1 failed, 1 total/);
  expect(performance.now() - started).toBeLessThan(20_000);
});
