/**
 * Grants before use: a resource that acts with a managed identity at creation (a disk encryption set reading its
 * key, a scale set whose extensions download blobs, a web app fetching its package) must depend on every role
 * assignment of that identity and on a propagation wait after them; otherwise Azure sees a grant it has not
 * propagated yet and the create fails. The check reads only types, names and dependencies: under `pulumi preview`
 * the engine's, under `npm run plan` the evaluation's, under `npm run policy` the file's (a plan file's or a stack
 * export's `dependencies`), all through the same stack policy.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { PROPAGATION_WAIT_TYPE } from "../components/propagationWait";

/** Resources that use a user-assigned identity's grants while Azure creates them. */
export const CONSUMER_TYPES: Readonly<Record<string, string>> = {
  // The DES identity must have access to the key before it can encrypt disks https://learn.microsoft.com/en-us/rest/api/compute/disk-encryption-sets/create-or-update#encryptionsetidentity
  "azure-native:compute:DiskEncryptionSet": "reads its key with its identity when it is created",
  // Custom Script Extension downloads fileUris with the managed identity at provisioning https://learn.microsoft.com/en-us/azure/virtual-machines/extensions/custom-script-windows#property-managedidentity
  "azure-native:compute:VirtualMachineScaleSet": "downloads its extensions' files and reads its Key Vault secrets with the identity as the instances start",
  // WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: the app fetches its package with the identity at start https://learn.microsoft.com/en-us/azure/app-service/deploy-run-package#fetch-a-package-from-azure-blob-storage-using-a-managed-identity
  "azure-native:web:WebApp": "fetches its run-from-package ZIP with the identity at start",
};

const IDENTITY_TYPE = "azure-native:managedidentity:UserAssignedIdentity";
const ROLE_ASSIGNMENT_TYPE = "azure-native:authorization:RoleAssignment";

/** What the check needs of a resource: a plan file's resources and the engine's both have it. */
export interface OrderedResource {
  urn: string;
  type: string;
  name: string;
  /** URNs this resource depends on (explicit dependsOn and the resources whose outputs feed its inputs). */
  dependencies: string[];
}

export interface OrderingProblem {
  urn: string;
  name: string;
  type: string;
  message: string;
}

/** Every consumer that does not depend on its identity's grants and a propagation wait after them. */
export function grantOrderingProblems(resources: readonly OrderedResource[]): OrderingProblem[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const dependsOn = (r: OrderedResource, urn: string) => r.dependencies.includes(urn);
  const problems: OrderingProblem[] = [];
  const grants = resources.filter((r) => r.type === ROLE_ASSIGNMENT_TYPE);
  const waits = resources.filter((r) => r.type === PROPAGATION_WAIT_TYPE);
  for (const c of resources.filter((r) => r.type in CONSUMER_TYPES)) {
    const report = (message: string) => problems.push({ urn: c.urn, name: c.name, type: c.type, message });
    // A grant that needs the consumer itself (its system-assigned identity) can only come after it.
    for (const g of grants.filter((g) => dependsOn(g, c.urn))) {
      report(`role assignment "${g.name}" depends on ${c.name}, so it is created after ${c.name} ${CONSUMER_TYPES[c.type]}: give ${c.name} a user-assigned identity granted before it exists.`);
    }
    const identities = c.dependencies.map((u) => byUrn.get(u)).filter((r): r is OrderedResource => r?.type === IDENTITY_TYPE);
    for (const id of identities) {
      for (const g of grants.filter((g) => dependsOn(g, id.urn))) {
        if (!dependsOn(c, g.urn)) {
          report(`${c.name} ${CONSUMER_TYPES[c.type]} (${id.name}) but does not depend on its role assignment "${g.name}": add it to dependsOn.`);
        }
        if (!waits.some((w) => dependsOn(w, g.urn) && dependsOn(c, w.urn))) {
          report(`${c.name} does not depend on a propagation wait after "${g.name}" (${PROPAGATION_WAIT_TYPE}): a fresh grant takes minutes to reach the service.`);
        }
      }
    }
  }
  return problems;
}

// Anchor: none of the scanners (it is an ordering, not a setting); Azure's own guidance: grant, wait for
// propagation, then use. Mandatory: without it the first `pulumi up` fails in Azure.
export const grantsBeforeUse: StackValidationPolicy = {
  name: "grants-before-use",
  description: "Resources that use a managed identity at creation depend on its role assignments and on a propagation wait after them.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    if (!args.resources.some((r) => r.dependencies.length > 0)) {
      // Without dependencies every consumer would pass unseen: say so rather than pass.
      args.notApplicable("no resource here carries dependencies (a file without them, e.g. a plan file older than its `dependencies` field), so the order of grants and their users is not judged");
    }
    const resources: OrderedResource[] = args.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, dependencies: r.dependencies.map((d) => d.urn) }));
    for (const p of grantOrderingProblems(resources)) report(p.message, p.urn);
  },
};
