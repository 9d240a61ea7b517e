/** Capacity maths of the Teams Connector: calls and vCPUs per instance. Pure. */

/** Planning figure per instance (16 at most, varying with resolution and presentation): https://docs.pexip.com/admin/teams_scaling.htm */
export const CALLS_PER_INSTANCE = 15;
/** Upper bound of calls one instance handles (same page). */
export const MAX_CALLS_PER_INSTANCE = 16;
/** vCPUs per instance (the seed: "Each Teams Connector instance will use 4 vCPU of type Fs-series"). */
export const VCPUS_PER_INSTANCE = 4;

/** Instances needed for a number of concurrent calls. */
export function instancesFor(calls: number): number {
  return Math.max(1, Math.ceil(calls / CALLS_PER_INSTANCE));
}
