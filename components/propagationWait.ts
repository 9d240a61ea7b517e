/**
 * A wait after role assignments, before the resources that use them: Azure RBAC changes take minutes to reach every
 * service, and a disk encryption set, a scale set's extensions or a web app that starts with a fresh grant fails.
 * There is no @pulumi/time here, so the wait is a small dynamic resource: it sleeps on create and whenever its
 * triggers (the grants' IDs) change, and does nothing on delete. Consumers `dependsOn` the grants and this wait.
 *
 * The provider is a plain object closure (no module state), so `pulumi.runtime.serializeFunction` can ship it to the
 * Pulumi engine's dynamic-provider host. The offline plan registers exactly this resource, serialized provider included.
 */
import * as pulumi from "@pulumi/pulumi";
import { ROLE_PROPAGATION_SECONDS } from "./timeBudget";

/** Type token of the wait (`pulumi-nodejs:dynamic/<module>:<type>`), as the plan and the grants-before-use check see it. */
export const PROPAGATION_WAIT_TYPE = "pulumi-nodejs:dynamic/pexip:RolePropagationWait";
export { ROLE_PROPAGATION_SECONDS };

export interface PropagationWaitInputs {
  /** Seconds to sleep. */
  seconds: number;
  /** What a change of re-runs the wait (the grants' resource IDs). */
  triggers: string[];
}

/** The dynamic provider: create and a trigger change sleep; nothing else does. */
export const propagationWaitProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: PropagationWaitInputs) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(inputs.seconds)) * 1000));
    return { id: `rbac-wait-${(inputs.triggers ?? []).length}`, outs: inputs };
  },
  async diff(_id: string, olds: PropagationWaitInputs, news: PropagationWaitInputs) {
    const triggersChanged = JSON.stringify(olds.triggers ?? []) !== JSON.stringify(news.triggers ?? []);
    return { changes: triggersChanged || Number(olds.seconds) !== Number(news.seconds) };
  },
  async update(_id: string, olds: PropagationWaitInputs, news: PropagationWaitInputs) {
    // Only new grants need the wait; a changed duration alone is recorded without sleeping.
    if (JSON.stringify(olds.triggers ?? []) !== JSON.stringify(news.triggers ?? [])) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(news.seconds)) * 1000));
    }
    return { outs: news };
  },
  async delete() {
    // Nothing to undo.
  },
};

export interface PropagationWaitArgs {
  /** Seconds to wait after the grants are created or replaced; default ROLE_PROPAGATION_SECONDS (600). */
  seconds?: number;
  /** The role assignments to wait for: their IDs are the triggers, and the wait depends on each. Required. */
  grants: pulumi.CustomResource[];
}

/** The real wait: the dynamic resource the Pulumi engine runs with the serialized provider. */
class RolePropagationWait extends pulumi.dynamic.Resource {
  constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    const [, module, type] = /^pulumi-nodejs:dynamic\/([^:]+):(.+)$/.exec(PROPAGATION_WAIT_TYPE) ?? [];
    super(propagationWaitProvider, name, props, opts, module, type);
  }
}

/**
 * A wait of `args.seconds` after `args.grants`, as a resource consumers depend on. A child of `opts.parent`; depends on
 * every grant (explicitly, besides the implicit dependency of its triggers).
 */
export function propagationWait(name: string, args: PropagationWaitArgs, opts: pulumi.CustomResourceOptions = {}): pulumi.CustomResource {
  const props = {
    seconds: args.seconds ?? ROLE_PROPAGATION_SECONDS,
    triggers: pulumi.all(args.grants.map((g) => g.id)),
  };
  const options: pulumi.CustomResourceOptions = { ...opts, dependsOn: args.grants };
  return new RolePropagationWait(name, props, options);
}
