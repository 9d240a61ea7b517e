/**
 * Capacity and quota maths: calls per instance (Pexip's planning figure), the instances a call load needs, and the
 * regional quota a stack uses at its peak, which is during a rolling upgrade: MaxSurge creates each batch's new
 * instances (with their own public IPs) before it deletes the old ones; and who owns the instance count. Pure: no
 * Pulumi, no config loader.
 */
import { batchSize, rollingUpgradePolicy } from "./rollingUpgrade";
import type { CapacityOwner } from "./teamsConnectorVmss";
import { vcpusOf, vmSizeInfo } from "./vmSizes";

/** Pexip's planning figure per instance (16 at most): https://docs.pexip.com/admin/teams_scaling.htm */
export const CALLS_PER_INSTANCE = 15;
/** Pexip's maximum per instance (the planning figure leaves one call of headroom). */
export const MAX_CALLS_PER_INSTANCE = 16;

/** Instances needed for a number of concurrent calls (at least one). */
export function instancesFor(calls: number): number {
  return Math.max(1, Math.ceil(calls / CALLS_PER_INSTANCE));
}

export interface QuotaNeed {
  /** Instances of one rolling-upgrade batch, created on top of `instances` while it runs. */
  surgeBatch: number;
  /** vCPUs per instance of the size. */
  vcpusPerInstance: number;
  /** The size's regional vCPU quota family (`az vm list-usage`), or undefined outside the size table. */
  vcpuQuotaFamily?: string;
  /** vCPUs of the family in use at the peak of a rolling upgrade: (instances + one batch) x vCPUs. */
  vcpus: number;
  /** Standard public IPs at the peak: one per instance (media), one per surge instance, and the static one. */
  standardPublicIps: number;
}

/**
 * The quota a stack of `instances` of `vmSize` uses at its peak. MaxSurge counts new instances against the core quota
 * and gives them new IP addresses; when a batch's quota check fails, Azure falls back to an in-place upgrade.
 */
// New MaxSurge VMs count towards the core quota and get new IPs; a failed quota check falls back to in-place https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-maxsurge#considerations
export function quotaNeed(instances: number, vmSize: string): QuotaNeed {
  const policy = rollingUpgradePolicy(instances);
  const surgeBatch = policy.maxSurge ? batchSize(instances, policy.maxBatchInstancePercent) : 0;
  const vcpusPerInstance = vcpusOf(vmSize);
  const info = vmSizeInfo(vmSize);
  return {
    surgeBatch,
    vcpusPerInstance,
    ...(info ? { vcpuQuotaFamily: info.quotaFamily } : {}),
    vcpus: (instances + surgeBatch) * vcpusPerInstance,
    // Standard public IPs count against the region's "Public IP Addresses - Standard" limit https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/azure-subscription-service-limits#publicip-address
    standardPublicIps: instances + surgeBatch + 1,
  };
}

/**
 * The warning for a lower instance count: Azure deletes the surplus instances (its scale-in policy picks which) and
 * nothing drains them first, so the calls they carry are dropped. Undefined when the count does not go down.
 */
// On scale-in Azure deletes the instances its scale-in policy picks https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-scale-in-policy
export function scaleInWarning(from: number, to: number): string | undefined {
  if (!Number.isInteger(from) || !Number.isInteger(to) || to >= from || to < 0) return undefined;
  const n = from - to;
  const them = n === 1 ? "it" : "them";
  return `instanceCount ${from} -> ${to}: Azure deletes ${n} instance${n === 1 ? "" : "s"} and drops the calls on ${them} (up to ${n * MAX_CALLS_PER_INSTANCE}); lower it outside call hours (docs/upgrading.md).`;
}

/**
 * With Pexip Infinity owning the count (its `min_number_of_instances` "overrides the manual scaling settings in the
 * Azure portal"), a `pulumi up` must not reset it: the capacity is ignored after creation.
 */
export function capacityIgnoreChanges(owner: CapacityOwner): string[] {
  return owner === "infinity" ? ["sku.capacity"] : [];
}
