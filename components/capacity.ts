/** Capacity maths of the Teams Connector: calls and vCPUs per instance. Pure. */

/** Approximate calls per instance (the seed: "approximately 14-15 VTC connections"); planning uses the lower bound. */
export const CALLS_PER_INSTANCE = 14;
/** vCPUs per instance (the seed: "Each Teams Connector instance will use 4 vCPU of type Fs-series"). */
export const VCPUS_PER_INSTANCE = 4;

/** Instances needed for a number of concurrent calls. */
export function instancesFor(calls: number): number {
  return Math.max(1, Math.ceil(calls / CALLS_PER_INSTANCE));
}
