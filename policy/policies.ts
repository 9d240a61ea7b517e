/**
 * The pack's policies, separate from `new PolicyPack(...)` (index.ts): constructing a PolicyPack starts the gRPC
 * server the Pulumi CLI talks to, so the tests and the offline runner import this array instead.
 */
import { EnforcementLevel, Policies } from "@pulumi/policy";
import {
  vmssAdminPasswordFromSecret,
  vmssEncryptionAtHost,
  vmssNoOverprovisioning,
  vmssNsgAttached,
  vmssRollingUpgrades,
  vmssRollingUpgradeThresholds,
  vmssSizeCapabilities,
} from "./compute";
import { eventHubMinTls12 } from "./eventhub";
import {
  keyVaultAccessPoliciesExplicit,
  keyVaultNetworkDefaultDeny,
  keyVaultPurgeProtection,
  keyVaultRbacAuthorization,
  keyVaultSoftDelete,
  vmssCertificateSecretFormat,
} from "./keyvault";
import { loadBalancerStandardSku, nsgNoRdpSshFromInternet, nsgOnlyConnectorFlows, publicIpStandardSku } from "./network";
import { grantsBeforeUse } from "./ordering";
import { storageHttpsOnly, storageLifecycleRuleNames, storageMinTls12, storageNoPublicBlobAccess, storageSharedKeyDisabled } from "./storage";
import { requiredTags, tagsAzureLimits } from "./tags";
import { webAppAccessRestrictions, webAppFtpsDisabled, webAppHttpsOnly, webAppMinTls12 } from "./web";

/** The pack's name, as `pulumi preview --policy-pack policy` reports it. */
export const PACK_NAME = "pexip-teams-connector";

/** Advisory unless a policy says otherwise: mandatory is kept for real exposures (RDP open to the internet). */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";

export const policies: Policies = [
  nsgNoRdpSshFromInternet,
  nsgOnlyConnectorFlows,
  loadBalancerStandardSku,
  publicIpStandardSku,
  vmssEncryptionAtHost,
  vmssNoOverprovisioning,
  vmssRollingUpgrades,
  vmssAdminPasswordFromSecret,
  vmssNsgAttached,
  vmssSizeCapabilities,
  vmssRollingUpgradeThresholds,
  vmssCertificateSecretFormat,
  keyVaultSoftDelete,
  keyVaultPurgeProtection,
  keyVaultRbacAuthorization,
  keyVaultNetworkDefaultDeny,
  keyVaultAccessPoliciesExplicit,
  storageMinTls12,
  storageHttpsOnly,
  storageNoPublicBlobAccess,
  storageSharedKeyDisabled,
  storageLifecycleRuleNames,
  webAppHttpsOnly,
  webAppMinTls12,
  webAppFtpsDisabled,
  webAppAccessRestrictions,
  eventHubMinTls12,
  requiredTags,
  tagsAzureLimits,
  grantsBeforeUse,
];
