/**
 * Every Azure and Entra ID name the program derives, in one place. The patterns are the seed's
 * (`$PxTeamsConnResourceGroupName`, `$BotChanResourceGroupName`, `-AppDisplayName "$($PxBaseConnName)TeamsConn"`, ...)
 * so that an operator or Pexip support finds resources where the PowerShell flow put them.
 */

/** The logical name of the program's explicit azure-native provider (index.ts): `pulumi import` files bind to it. */
export const AZURE_PROVIDER_NAME = "azure";
/** Logical name of the program's explicit azuread provider (Microsoft Graph: the app registration and its kin). */
export const AZUREAD_PROVIDER_NAME = "azuread";
/** Logical names of the program's components (index.ts): the parents in every URN, and what an import's `parent` names. */
export const COMPONENT_NAMES = { bot: "bot", consent: "consent", static: "static", vmss: "vmss", infinity: "infinity" } as const;

/** The seed's rule for `$PxBaseConnName`: 1-9 chars, starts with a letter, a-z0-9 only. */
export const BASE_NAME_PATTERN = /^[a-z][a-z0-9]{0,8}$/;
/** The seed's rule for `$PxVmssRegion`: a-z0-9 only. */
export const REGION_CODE_PATTERN = /^[a-z0-9]+$/;
/** baseName + regionCode, combined (the seed: "minimum 3 and maximum 14 chars when combined"). */
export const COMBINED_NAME_LENGTH = { min: 3, max: 14 } as const;
/** Recommended regionCode length (the seed: "2-4 characters"); outside it is a warning only. */
export const REGION_CODE_RECOMMENDED_LENGTH = { min: 2, max: 4 } as const;
/** Length of the stable random suffix that makes global names (Key Vault, storage, Event Hub) unique. */
export const GLOBAL_SUFFIX_LENGTH = 5;

/** Azure Bot resource names: 2-64 chars, letters, digits, `_`, `.`, `-`, starting with a letter or digit. */
// botServices: global, 2-64, alphanumerics, underscores, periods and hyphens, start with alphanumeric https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsoftbotservice
export const BOT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$/;
/** Key Vault names: 3-24 chars, letters, digits and single hyphens, starting with a letter, not ending with a hyphen. */
// vaults: global, 3-24, alphanumerics and hyphens, start with a letter, end with letter or digit, no consecutive hyphens https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsoftkeyvault
export const KEY_VAULT_NAME_PATTERN = /^(?=.{3,24}$)[A-Za-z](?:[A-Za-z0-9]|-(?!-))*[A-Za-z0-9]$/;
/** Storage account names: 3-24 lower-case letters and digits. */
// storageAccounts: global, 3-24, lowercase letters and numbers https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsoftstorage
export const STORAGE_ACCOUNT_NAME_PATTERN = /^[a-z0-9]{3,24}$/;
/** Event Hubs namespace names: 6-50 chars, letters, digits, hyphens, starting with a letter, ending with a letter or digit. */
// namespaces: global, 6-50, alphanumerics and hyphens, start with a letter, end with letter or number https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsofteventhub
export const EVENT_HUB_NAMESPACE_PATTERN = /^(?=.{6,50}$)[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/;
/** Public IP address names: 1-80 chars, letters, digits, `_`, `.`, `-`, starting with a letter or digit, ending with a letter, digit or `_`. */
// publicIPAddresses: 1-80, alphanumerics, underscores, periods and hyphens, start alphanumeric, end alphanumeric or underscore https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsoftnetwork
export const PUBLIC_IP_NAME_PATTERN = /^(?=.{1,80}$)[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/** Storage lifecycle (management policy) rule names: letters and digits. */
// A rule name can contain any combination of alpha numeric characters https://learn.microsoft.com/en-us/rest/api/storagerp/management-policies/create-or-update#managementpolicyrule
export const LIFECYCLE_RULE_NAME_PATTERN = /^[A-Za-z0-9]+$/;

export interface DerivedNames {
  /** `$PxTeamsConnStaticResourceGroupName`: survives every upgrade. */
  staticResourceGroup: string;
  /** `$PxTeamsConnResourceGroupName`: the dynamic resource group (the seed's redeploy deleted it). */
  resourceGroup: string;
  /** `$BotChanResourceGroupName`: once per tenant, in the first region. */
  botResourceGroup: string;
  /** Entra ID application display name (`New-PexTeamsCviApplication -AppDisplayName`). */
  appDisplayName: string;
  /** Default Azure Bot name (`Register-PexTeamsCviApplicationBot -BotName`); globally unique in Azure. */
  defaultBotName: string;
  /** Scale-set name (`create_vmss_deployment.ps1 -VmssName "$($PxBaseConnName)$($PxVmssRegion)"`). */
  vmss: string;
  /** Prefix of the consent web app; the seed appends 5 random characters (`<base>-pexip-cvi-abcde`). */
  consentAppPrefix: string;
  /** Static public IP of the load balancer. */
  publicIp: string;
  /** Network security group of the instances. */
  nsg: string;
  /** Virtual network of the instances. */
  vnet: string;
  /** Load balancer in front of the instances. */
  loadBalancer: string;
  /** User-assigned identity of the instances. */
  identity: string;
  /** Disk encryption set (encryption at host with the Key Vault key). */
  diskEncryptionSet: string;
  /** User-assigned identity of the disk encryption set (granted on the vault before the set exists). */
  diskEncryptionSetIdentity: string;
  /** Key Vault name, given the stable random suffix (3-24 chars, globally unique). */
  keyVault(suffix: string): string;
  /** Storage account name for logs, given the stable random suffix (3-24 lower-case alphanumerics, globally unique). */
  storageAccount(suffix: string): string;
  /** Storage account name for the connector package and bootstrap script, given the stable random suffix (3-24 lower-case alphanumerics, globally unique). */
  packagesStorageAccount(suffix: string): string;
  /** Event Hubs namespace name, given the stable random suffix (6-50 chars, globally unique). */
  eventHubNamespace(suffix: string): string;
  /** Consent web app name, given its 5 random characters. */
  consentApp(suffix: string): string;
}

/** All derived names for one region of one deployment. Inputs must already satisfy the config rules. */
export function deriveNames(baseName: string, regionCode: string): DerivedNames {
  const br = `${baseName}${regionCode}`;
  return {
    staticResourceGroup: `${baseName}-TeamsConn-${regionCode}-static-RG`,
    resourceGroup: `${baseName}-TeamsConn-${regionCode}-RG`,
    botResourceGroup: `${baseName}-TeamsBotChan-RG`,
    appDisplayName: `${baseName}TeamsConn`,
    defaultBotName: `${baseName}TeamsBot`,
    vmss: br,
    consentAppPrefix: `${baseName}-pexip-cvi-`,
    publicIp: `${br}-pip`,
    nsg: `${br}-nsg`,
    vnet: `${br}-vnet`,
    loadBalancer: `${br}-lb`,
    identity: `${br}-id`,
    diskEncryptionSet: `${br}-des`,
    diskEncryptionSetIdentity: `${br}-des-id`,
    // 14 + 3 + 5 = 22 <= 24
    keyVault: (suffix) => `${br}-kv${suffix}`,
    // 14 + 4 + 5 = 23 <= 24
    storageAccount: (suffix) => `${br}logs${suffix}`,
    // 14 + 3 + 5 = 22 <= 24
    packagesStorageAccount: (suffix) => `${br}pkg${suffix}`,
    eventHubNamespace: (suffix) => `${br}-evh-${suffix}`,
    consentApp: (suffix) => `${baseName}-pexip-cvi-${suffix}`,
  };
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** RFC 1123 host name with at least two labels; `lowerCaseOnly` rejects upper case instead of folding it. */
export function isFqdn(s: string, lowerCaseOnly = true): boolean {
  const v = lowerCaseOnly ? s : s.toLowerCase();
  if (v.length > 253 || v.endsWith(".")) return false;
  const labels = v.split(".");
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

/** Windows computer names are at most 15 characters and a Uniform scale set appends 6: the prefix keeps 9. */
// Windows host names of virtualMachineScaleSets: 1-15 characters https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsoftcompute
// Uniform: {computer-name-prefix}{base-36-instance-id}, the ID always six digits https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-instance-ids#scale-set-vm-computer-name
export function computerNamePrefix(vmssName: string): string {
  return vmssName.slice(0, 9);
}

/** Blob name of the connector ZIP for a version (the version is in the name, so an upgrade is a new blob). */
export function packageBlobName(connectorVersion: string): string {
  return `teams-connector-${connectorVersion}.zip`;
}

/** The relative record name of `fqdn` in `zone` (`a.teams.example.com` in `teams.example.com` -> `a`). */
export function relativeRecordName(fqdn: string, zone: string): string {
  const f = fqdn.toLowerCase();
  const z = zone.toLowerCase().replace(/\.$/, "");
  if (f === z) return "@";
  if (!f.endsWith(`.${z}`)) throw new Error(`connectorFqdn ${fqdn} is not in the DNS zone ${zone}`);
  return f.slice(0, -(z.length + 1));
}
