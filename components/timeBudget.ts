/**
 * How long a first `pulumi up` of a region may take, from the parts Azure and the provider impose: the extensions'
 * time budget on the scale set, the provider's wait around it, the role-propagation waits before it; and how long
 * the deploy workflow then waits for a rolling upgrade. The scale set's custom timeouts and the deploy workflow's job
 * timeout are checked against these numbers (test/workflows.test.ts).
 */

/** Seconds to wait after a grant changes, before its consumers. */
// Role assignment changes can take up to 10 minutes to take effect https://learn.microsoft.com/en-us/azure/role-based-access-control/troubleshooting#symptom---role-assignment-changes-are-not-being-detected
export const ROLE_PROPAGATION_SECONDS = 600;

/** Time the scale set allots its extensions (the install takes up to ~30 minutes; Azure's maximum leaves room for retries). */
// extensionsTimeBudget: between 15 and 120 minutes, ISO 8601, default 90 minutes https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-scale-sets/create-or-update#virtualmachinescalesetextensionprofile
export const EXTENSIONS_TIME_BUDGET_MINUTES = 120;
export const EXTENSIONS_TIME_BUDGET = "PT2H";
/** Provisioning the instances themselves, before and after their extensions run. */
export const VM_PROVISIONING_MARGIN_MINUTES = 30;
/**
 * The provider's wait for the scale set's create or update: the extensions' budget plus provisioning. azure-native's
 * default is 2 hours (pulumi/pulumi#8500), no longer than the budget alone, hence a custom timeout.
 */
export const VMSS_PROVIDER_TIMEOUT_MINUTES = EXTENSIONS_TIME_BUDGET_MINUTES + VM_PROVISIONING_MARGIN_MINUTES;
/** Checkout, npm ci, login, package download and the resources before the scale set (other than the waits). */
export const JOB_SETUP_MINUTES = 20;

/** The shortest job timeout that lets a first deploy of a region finish: the waits, the scale set, the setup. */
export function deployJobMinimumMinutes(propagationSeconds: number = ROLE_PROPAGATION_SECONDS): number {
  return Math.ceil(propagationSeconds / 60) + VMSS_PROVIDER_TIMEOUT_MINUTES + JOB_SETUP_MINUTES;
}

/** How long the deploy workflow waits for the rolling upgrade after `pulumi up` (which returns once Azure has the model). */
export const ROLLOUT_WAIT_MINUTES = 150;
/** One batch of a rolling upgrade: new instances boot and install (about 30 minutes), then the pause between batches. */
export const ROLLOUT_BATCH_MINUTES = 35;
/** GitHub's limit for a job on its hosted runners. */
// Each job in a workflow can run for up to 6 hours https://docs.github.com/en/actions/reference/limits
export const GITHUB_JOB_MAX_MINUTES = 360;

/** A rolling upgrade's expected length for a number of batches (components/rollingUpgrade.ts decides the batches). */
export function rolloutMinutes(batches: number): number {
  return batches * ROLLOUT_BATCH_MINUTES;
}

/** The deploy job's timeout: a first deploy, then the wait for a rolling upgrade (a deploy is one or the other at worst). */
export function deployJobTimeoutMinutes(propagationSeconds: number = ROLE_PROPAGATION_SECONDS): number {
  return deployJobMinimumMinutes(propagationSeconds) + ROLLOUT_WAIT_MINUTES;
}
