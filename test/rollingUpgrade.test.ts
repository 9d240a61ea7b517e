import {
  AZURE_MIN_PERCENT, batchSize, minimumServing, PAUSE_BETWEEN_BATCHES, rollingUpgradePolicy, toleratedUnhealthy, unhealthyPercentFor,
} from "../components/rollingUpgrade";
import { MAX_INSTANCES } from "../components/network";

describe("rollingUpgradePolicy", () => {
  test.each([
    [1, 100, 100],
    [2, 50, 100],
    [3, 33, 67],
    [4, 25, 50],
    [7, 14, 29],
    [10, 10, 20],
    [20, 5, 10],
    [21, 5, 10],
    [40, 5, 8],
    [100, 5, 6],
  ])("%i instances: batch of %i%%, %i%% may be unhealthy", (n, percent, unhealthy) => {
    const p = rollingUpgradePolicy(n);
    expect(p.maxBatchInstancePercent).toBe(percent);
    expect(p.maxUnhealthyInstancePercent).toBe(unhealthy);
  });

  test("one instance that is already unhealthy never blocks an upgrade of 2 to 100 instances", () => {
    for (let n = 2; n <= MAX_INSTANCES; n++) {
      const p = rollingUpgradePolicy(n);
      // Azure counts the batch being upgraded and the unhealthy one; more than the percentage allows stops the rollout.
      expect([n, toleratedUnhealthy(n, p.maxUnhealthyInstancePercent) >= batchSize(n, p.maxBatchInstancePercent) + 1]).toEqual([n, true]);
    }
  });

  test("the old floor(100 / n) threshold blocked on one unhealthy instance (the regression this guards)", () => {
    expect(toleratedUnhealthy(3, Math.floor(100 / 3))).toBe(0);
    expect(toleratedUnhealthy(7, Math.floor(100 / 7))).toBe(0);
    expect(unhealthyPercentFor(3, 2)).toBe(67);
    expect(unhealthyPercentFor(100, 1)).toBe(AZURE_MIN_PERCENT);
  });

  test("up to 20 instances a batch is exactly one instance", () => {
    for (let n = 1; n <= 20; n++) expect(batchSize(n, rollingUpgradePolicy(n).maxBatchInstancePercent)).toBe(1);
  });

  test("every instance count keeps at least instanceCount - 1 serving, and the percentages stay in Azure's 5-100", () => {
    for (let n = 1; n <= MAX_INSTANCES; n++) {
      const p = rollingUpgradePolicy(n);
      expect(p.maxBatchInstancePercent).toBeGreaterThanOrEqual(AZURE_MIN_PERCENT);
      expect(p.maxBatchInstancePercent).toBeLessThanOrEqual(100);
      expect(p.maxBatchInstancePercent).toBeLessThanOrEqual(p.maxUnhealthyInstancePercent);
      expect(minimumServing(n, p)).toBeGreaterThanOrEqual(Math.max(0, n - 1));
    }
  });

  test("surge is what keeps 100 instances at 99+ serving: without it a 5% batch takes 5 down", () => {
    const p = rollingUpgradePolicy(100);
    expect(p.maxSurge).toBe(true);
    expect(minimumServing(100, { ...p, maxSurge: false })).toBe(95);
    expect(minimumServing(100, p)).toBe(100);
  });

  test("a bad version stops after the first unhealthy upgraded instance, with a pause between batches", () => {
    const p = rollingUpgradePolicy(3);
    expect(p.maxUnhealthyUpgradedInstancePercent).toBe(0);
    expect(p.rollbackFailedInstancesOnPolicyBreach).toBe(true);
    expect(p.prioritizeUnhealthyInstances).toBe(true);
    expect(p.pauseTimeBetweenBatches).toBe(PAUSE_BETWEEN_BATCHES);
    expect(PAUSE_BETWEEN_BATCHES).toBe("PT5M");
  });

  test("rejects a non-positive or fractional count", () => {
    expect(() => rollingUpgradePolicy(0)).toThrow("instanceCount must be a positive integer, got 0");
    expect(() => rollingUpgradePolicy(2.5)).toThrow("got 2.5");
  });
});
