/**
 * The scale set's rolling-upgrade settings, as a pure function of the instance count.
 *
 * Goal: a `connectorVersion` change never leaves fewer than `instanceCount - 1` instances serving (the seed's
 * redeploy took the whole region down for up to 30 minutes).
 * - `maxSurge: true`: Azure creates each batch's new instances first and deletes the old ones only once the new
 *   ones are healthy, so the old instances keep serving during the install. Cost: one batch of extra vCPU quota.
 * - Batch of one instance where Azure allows it: `maxBatchInstancePercent = floor(100 / n)` gives at most one
 *   instance per batch. Azure's minimum is 5%, so from 21 instances a batch is up to 5% (2-5 instances); surge
 *   still keeps every old instance serving until its replacement is healthy.
 * - `maxUnhealthyInstancePercent` admits one instance that is already unhealthy on top of the batch being upgraded
 *   (Azure counts both against it, before and during the rollout): one sick instance never blocks an upgrade of
 *   n >= 2, which `floor(100 / n)` did for every n that does not divide 100 (33% of 3 instances is under one).
 * - `maxUnhealthyUpgradedInstancePercent: 0` + rollback: the first upgraded instance that the health extension
 *   reports unhealthy stops the rollout (a bad connector version reaches one batch, not the region).
 * - `pauseTimeBetweenBatches` PT5M: the health extension only proves 443 listens; five minutes lets the new
 *   instance register with Teams and take calls before the next batch removes another old one.
 */

/** Azure's bounds for maxBatchInstancePercent / maxUnhealthyInstancePercent. */
// maxBatchInstancePercent and maxUnhealthyInstancePercent take 5-100 https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-scale-sets/create-or-update#rollingupgradepolicy
export const AZURE_MIN_PERCENT = 5;
export const PAUSE_BETWEEN_BATCHES = "PT5M";

export interface RollingUpgradeSettings {
  maxBatchInstancePercent: number;
  maxUnhealthyInstancePercent: number;
  maxUnhealthyUpgradedInstancePercent: number;
  pauseTimeBetweenBatches: string;
  maxSurge: boolean;
  prioritizeUnhealthyInstances: boolean;
  rollbackFailedInstancesOnPolicyBreach: boolean;
}

/**
 * The smallest maxUnhealthyInstancePercent at which `unhealthy` instances may be unhealthy at once without stopping
 * the rollout: Azure stops when more than `percent` of the instances are unhealthy ("10 instances at 20%: more than
 * two stops it"), so `unhealthy / n <= percent / 100`.
 */
// Max unhealthy instance %: instances unhealthy before and during the upgrade https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-maxsurge#concepts
export function unhealthyPercentFor(instanceCount: number, unhealthy: number): number {
  return Math.min(100, Math.max(AZURE_MIN_PERCENT, Math.ceil((100 * unhealthy) / instanceCount)));
}

/** Instances Azure tolerates as unhealthy at `percent` (more than this stops the rollout). */
export function toleratedUnhealthy(instanceCount: number, percent: number): number {
  return Math.floor((instanceCount * percent) / 100);
}

export function rollingUpgradePolicy(instanceCount: number): RollingUpgradeSettings {
  if (!Number.isInteger(instanceCount) || instanceCount < 1) throw new Error(`instanceCount must be a positive integer, got ${instanceCount}`);
  const batch = Math.min(100, Math.max(AZURE_MIN_PERCENT, Math.floor(100 / instanceCount)));
  // The batch being upgraded, plus one instance that was already unhealthy.
  const unhealthy = unhealthyPercentFor(instanceCount, batchSize(instanceCount, batch) + 1);
  return {
    maxBatchInstancePercent: batch,
    maxUnhealthyInstancePercent: Math.max(batch, unhealthy),
    maxUnhealthyUpgradedInstancePercent: 0,
    pauseTimeBetweenBatches: PAUSE_BETWEEN_BATCHES,
    maxSurge: true,
    prioritizeUnhealthyInstances: true,
    rollbackFailedInstancesOnPolicyBreach: true,
  };
}

/** Instances Azure puts in one batch (it rounds down, but never below one instance). */
export function batchSize(instanceCount: number, percent: number): number {
  return Math.max(1, Math.floor((instanceCount * percent) / 100));
}

/**
 * Instances serving at the worst moment of a batch. With surge, the old instances of a batch are only deleted
 * after their replacements are healthy: all `n` serve. Without it, a batch is taken down while it upgrades.
 */
export function minimumServing(instanceCount: number, s: Pick<RollingUpgradeSettings, "maxSurge" | "maxBatchInstancePercent">): number {
  return s.maxSurge ? instanceCount : instanceCount - batchSize(instanceCount, s.maxBatchInstancePercent);
}
