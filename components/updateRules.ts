/**
 * Property changes that are not an in-place update, for the resource types this program registers: the one table the
 * offline diff (tools/engine/diff.ts) classifies changes with. `replace`: the provider deletes and re-creates the
 * resource (pulumi-azure-native's forceNewMap, the REST specs' create-only `x-ms-mutability` on the resource body and,
 * since azure-native v3, inside the types it references (reports/forceNewTypes.json: v3 propagates forceNew from
 * referenced types by default), the azuread provider's ForceNew fields). `refused`: Azure rejects the change in place,
 * so `pulumi up` fails on it (Microsoft Learn and the REST specs say which).
 * Names, resource group and location are not listed: the diff replaces on those for every type (tools/engine/diff.ts
 * `replaceKeys`). Each row's `source` is the one URL the rule comes from; test/fixtures/forceNew.json holds the facts
 * read from those sources, and test/updateRules.forceNew.test.ts checks this table against them.
 */

/** `replace`: the provider deletes and re-creates the resource. `refused`: Azure rejects the change in place. */
export type UpdateRuleKind = "replace" | "refused";

export interface UpdateRule {
  /** The resource type token, as registered (`azure-native:compute:VirtualMachineScaleSet`). */
  type: string;
  /** The input path as in plan inputs (`sku.name`); `*` stands for any one key. A change at or below it matches. */
  path: string;
  kind: UpdateRuleKind;
  /** When the rule applies, if not on every change: a list loses an element, or the value becomes `to`. */
  when?: "element-removed" | { to: unknown };
  /** What Azure or the provider does, in one sentence for people. */
  why: string;
  /** The one page the rule comes from. */
  source: string;
}

const VMSS = "azure-native:compute:VirtualMachineScaleSet";
const IMAGE = "virtualMachineProfile.storageProfile.imageReference";
const PIP = "azure-native:network:PublicIPAddress";
const ROLE = "azure-native:authorization:RoleAssignment";
const STORAGE = "azure-native:storage:StorageAccount";
const BLOB = "azure-native:storage:Blob";
const PLAN = "azure-native:web:AppServicePlan";
const APP = "azure-native:web:WebApp";
const BOT = "azure-native:botservice:Bot";
const VAULT = "azure-native:keyvault:Vault";
const KEY = "azure-native:keyvault:Key";
const APP_PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const API_ACCESS = "azuread:index/applicationApiAccess:ApplicationApiAccess";
const REDIRECTS = "azuread:index/applicationRedirectUris:ApplicationRedirectUris";
const SERVICE_PRINCIPAL = "azuread:index/servicePrincipal:ServicePrincipal";

const FORCE_NEW_MAP = "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/gen/replacement.go";
// v3 replaces on create-only properties of referenced types too (PULUMI_FORCE_NEW_FROM_SUBTYPES, on by default) https://www.pulumi.com/registry/packages/azure-native/from-v2-to-v3/
const FORCE_NEW_TYPES = "https://github.com/pulumi/pulumi-azure-native/blob/master/reports/forceNewTypes.json";
const CUSTOM_BLOB = "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/resources/customresources/custom_storage.go";
const WEB_SPEC = "https://github.com/Azure/azure-rest-api-specs/blob/main/specification/web/resource-manager/Microsoft.Web/stable/2023-12-01/CommonDefinitions.json";
const VAULT_SPEC = "https://learn.microsoft.com/rest/api/keyvault/keyvault/vaults/create-or-update#vaultproperties";
const IMAGE_SPEC = "https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-sets/create-or-update#imagereference";
const AZUREAD_PASSWORD = "https://www.pulumi.com/registry/packages/azuread/api-docs/applicationpassword/";
const AZUREAD_SERVICE_PRINCIPAL = "https://github.com/hashicorp/terraform-provider-azuread/blob/main/internal/services/serviceprincipals/service_principal_resource.go";

export const UPDATE_RULES: readonly UpdateRule[] = [
  // ---- the scale set: Azure refuses these in place (SCALE_SET_REPLACE_ON_CHANGES makes some a deliberate replace)
  { type: VMSS, path: "zones", kind: "refused", when: "element-removed", why: "Azure adds zones to a scale set but never removes or replaces one", source: "https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-use-availability-zones" },
  { type: VMSS, path: `${IMAGE}.publisher`, kind: "refused", why: "the image publisher can only be set when the scale set is created", source: IMAGE_SPEC },
  { type: VMSS, path: `${IMAGE}.offer`, kind: "refused", why: "the image offer can only be set when the scale set is created", source: IMAGE_SPEC },
  { type: VMSS, path: "virtualMachineProfile.storageProfile.osDisk.managedDisk.storageAccountType", kind: "refused", why: "the OS disk storage type is a create-time property of a scale set", source: "https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-upgrade-scale-set" },
  { type: VMSS, path: "platformFaultDomainCount", kind: "refused", why: "fault domains are a create-time property of a scale set", source: "https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-upgrade-scale-set" },
  { type: VMSS, path: "orchestrationMode", kind: "refused", why: "the orchestration mode is set when the scale set is created and cannot change", source: "https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-orchestration-modes" },
  // ---- the static public IP: the provider replaces it, and DNS points at its address
  { type: PIP, path: "sku", kind: "replace", why: "the provider re-creates a public IP for a new SKU (a new address)", source: FORCE_NEW_MAP },
  { type: PIP, path: "publicIPAddressVersion", kind: "replace", why: "the provider re-creates a public IP for a new IP version (a new address)", source: FORCE_NEW_MAP },
  { type: PIP, path: "publicIPPrefix", kind: "replace", why: "the provider re-creates a public IP for a new prefix (a new address)", source: FORCE_NEW_MAP },
  // ---- role assignments
  { type: ROLE, path: "principalId", kind: "replace", why: "a role assignment's principal cannot change: the provider re-creates it", source: FORCE_NEW_MAP },
  { type: ROLE, path: "scope", kind: "replace", why: "a role assignment's scope cannot change: the provider re-creates it", source: FORCE_NEW_MAP },
  // ---- storage accounts
  { type: STORAGE, path: "isHnsEnabled", kind: "replace", why: "the provider re-creates a storage account to switch its hierarchical namespace", source: FORCE_NEW_MAP },
  { type: STORAGE, path: "encryption.services.*.keyType", kind: "replace", why: "an encryption service's key type is create-only: the provider re-creates the account", source: FORCE_NEW_TYPES },
  // ---- blobs (a custom resource of the provider: it re-uploads the blob as a new one)
  { type: BLOB, path: "source", kind: "replace", why: "the provider re-creates a blob for new content", source: CUSTOM_BLOB },
  { type: BLOB, path: "type", kind: "replace", why: "the provider re-creates a blob of another blob type", source: CUSTOM_BLOB },
  { type: BLOB, path: "contentMd5", kind: "replace", why: "the provider re-creates a blob for a new content MD5", source: CUSTOM_BLOB },
  // ---- the consent site
  { type: PLAN, path: "reserved", kind: "replace", why: "a plan's Linux flag (`reserved`) is create-only: the provider re-creates the plan", source: WEB_SPEC },
  { type: PLAN, path: "hyperV", kind: "replace", why: "a plan's Hyper-V flag is create-only: the provider re-creates the plan", source: WEB_SPEC },
  { type: PLAN, path: "isXenon", kind: "replace", why: "a plan's Xenon flag is create-only: the provider re-creates the plan", source: WEB_SPEC },
  { type: APP, path: "kind", kind: "replace", why: "the provider re-creates a web app for a new kind", source: FORCE_NEW_MAP },
  { type: APP, path: "reserved", kind: "replace", why: "a web app's `reserved` flag is create-only: the provider re-creates the app", source: WEB_SPEC },
  { type: APP, path: "hyperV", kind: "replace", why: "a web app's Hyper-V flag is create-only: the provider re-creates the app", source: WEB_SPEC },
  { type: APP, path: "isXenon", kind: "replace", why: "a web app's Xenon flag is create-only: the provider re-creates the app", source: WEB_SPEC },
  { type: APP, path: "siteConfig.vnetName", kind: "replace", why: "a web app's virtual network name is create-only: the provider re-creates the app", source: FORCE_NEW_TYPES },
  // ---- the bot: create-only inside `properties`, which the provider sends in place
  { type: BOT, path: "properties.msaAppId", kind: "replace", why: "a bot's app ID is create-only: the provider re-creates the bot", source: FORCE_NEW_TYPES },
  { type: BOT, path: "properties.msaAppTenantId", kind: "replace", why: "a bot's app tenant is create-only: the provider re-creates the bot", source: FORCE_NEW_TYPES },
  { type: BOT, path: "properties.tenantId", kind: "replace", why: "a bot's tenant is create-only: the provider re-creates the bot", source: FORCE_NEW_TYPES },
  // ---- Key Vault
  { type: VAULT, path: "properties.enablePurgeProtection", kind: "refused", when: { to: false }, why: "purge protection is irreversible: the vault does not accept false", source: VAULT_SPEC },
  { type: VAULT, path: "properties.enableSoftDelete", kind: "refused", when: { to: false }, why: "soft delete is irreversible: the vault does not accept false", source: VAULT_SPEC },
  { type: KEY, path: "properties", kind: "refused", why: "ARM creates a key once and never updates it (create-if-not-exist): the change would not apply", source: "https://learn.microsoft.com/rest/api/keyvault/keyvault/keys/create-if-not-exist" },
  // ---- Entra ID (azuread provider: "Changing this field forces a new resource to be created")
  // Every argument of an app password forces a new one (the old one is deleted).
  ...(["applicationId", "displayName", "endDate", "endDateRelative", "rotateWhenChanged", "startDate"] as const).map((path): UpdateRule => ({
    type: APP_PASSWORD, path, kind: "replace", why: "an app password is immutable: a new one is created and the old one deleted", source: AZUREAD_PASSWORD,
  })),
  { type: API_ACCESS, path: "applicationId", kind: "replace", why: "the provider re-creates API access for another application", source: "https://www.pulumi.com/registry/packages/azuread/api-docs/applicationapiaccess/" },
  { type: API_ACCESS, path: "apiClientId", kind: "replace", why: "the provider re-creates API access for another API", source: "https://www.pulumi.com/registry/packages/azuread/api-docs/applicationapiaccess/" },
  { type: REDIRECTS, path: "applicationId", kind: "replace", why: "the provider re-creates redirect URIs for another application", source: "https://www.pulumi.com/registry/packages/azuread/api-docs/applicationredirecturis/" },
  { type: REDIRECTS, path: "type", kind: "replace", why: "the provider re-creates redirect URIs of another type", source: "https://www.pulumi.com/registry/packages/azuread/api-docs/applicationredirecturis/" },
  { type: SERVICE_PRINCIPAL, path: "clientId", kind: "replace", why: "a service principal belongs to one app ID: the provider re-creates it for another", source: AZUREAD_SERVICE_PRINCIPAL },
];

/**
 * Scale-set paths where a replace is the deliberate way to change them (Azure refuses them in place): the scale set's
 * `replaceOnChanges` resource option. Its name is fixed (`vmScaleSetName`), so Azure cannot hold the old and the new
 * scale set at once: such a replace needs `deleteBeforeReplace: true`, and the region takes no calls from the delete
 * until the new instances are healthy. The offline diff shows a change there as a replace once the option is set.
 */
export const SCALE_SET_REPLACE_ON_CHANGES: readonly string[] = ["zones", `${IMAGE}.publisher`, `${IMAGE}.offer`];

/** A changed input path without list positions or keys (`securityRules[RDP].priority` -> `securityRules.priority`). */
function propertyPath(changed: string): string[] {
  return changed.replace(/\[[^\]]*\]/g, "").split(".").filter((s) => s !== "");
}

/** Whether a changed input path lies at or below a rule path (`*` matches any one key). */
export function pathMatches(rulePath: string, changed: string): boolean {
  const want = rulePath.split(".");
  const got = propertyPath(changed);
  return got.length >= want.length && want.every((w, i) => w === "*" || w === got[i]);
}

/** The rules that apply to one changed path of a resource of this type, given the whole old and new input values. */
export function rulesFor(type: string, changed: string, oldValue: (path: string) => unknown, newValue: (path: string) => unknown): UpdateRule[] {
  return UPDATE_RULES.filter((r) => {
    if (r.type !== type || !pathMatches(r.path, changed)) return false;
    if (r.when === undefined) return true;
    if (r.when === "element-removed") {
      const before = oldValue(r.path);
      const after = newValue(r.path);
      if (!Array.isArray(before) || before.length === 0) return false;
      const kept = new Set((Array.isArray(after) ? after : []).map((x) => JSON.stringify(x)));
      return before.some((x) => !kept.has(JSON.stringify(x)));
    }
    return JSON.stringify(newValue(r.path)) === JSON.stringify(r.when.to);
  });
}
