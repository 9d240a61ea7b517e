/**
 * Key Vault policies: the vault holds the connector certificate, the admin password and the disk-encryption key,
 * so deleting it by mistake (or a script's redeploy) must be recoverable, and access goes through Azure RBAC.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import * as azure from "./types";
import { at, same, show } from "./values";

// Anchor: Checkov CKV_AZURE_111 and CKV_AZURE_42 (recoverable vault), trivy AZU-0016. Unset is fine: Azure turns
// soft delete on for every new vault and it cannot be turned off again.
export const keyVaultSoftDelete: ResourceValidationPolicy = {
  name: "keyvault-soft-delete",
  description: "Key Vaults must keep soft delete on (properties.enableSoftDelete not false).",
  validateResource: azure.validateResourceOfType(azure.Vault, (props, _args, report) => {
    const v = at(props, "properties.enableSoftDelete");
    if (v === false) report("properties.enableSoftDelete is false; remove it or set it to true so a deleted vault can be recovered.");
  }),
};

// Anchor: Checkov CKV_AZURE_110 and CKV_AZURE_42, trivy AZU-0016. Unset means off.
export const keyVaultPurgeProtection: ResourceValidationPolicy = {
  name: "keyvault-purge-protection",
  description: "Key Vaults must enable purge protection (properties.enablePurgeProtection: true).",
  validateResource: azure.validateResourceOfType(azure.Vault, (props, _args, report) => {
    const v = at(props, "properties.enablePurgeProtection");
    if (v !== true) report(`properties.enablePurgeProtection is ${show(v)}; set it to true so nobody can purge the vault or its keys before the retention period ends.`);
  }),
};

// Anchor: none of the three scanners (Azure Policy "Azure Key Vault should use RBAC permission model" covers it);
// access policies are per-vault grants that no role assignment review sees. Unset means access policies.
export const keyVaultRbacAuthorization: ResourceValidationPolicy = {
  name: "keyvault-rbac-authorization",
  description: "Key Vaults must authorize data access with Azure RBAC (properties.enableRbacAuthorization: true).",
  validateResource: azure.validateResourceOfType(azure.Vault, (props, _args, report) => {
    const v = at(props, "properties.enableRbacAuthorization");
    if (v !== true) report(`properties.enableRbacAuthorization is ${show(v)}; set it to true and grant access with role assignments.`);
  }),
};

// Anchor: Checkov CKV_AZURE_109 (network ACL default Deny). Advisory "where it fits": the scale set reads the
// certificate at boot and the operator's machine writes secrets, so a Deny default needs bypass rules planned first.
export const keyVaultNetworkDefaultDeny: ResourceValidationPolicy = {
  name: "keyvault-network-default-deny",
  description: "Key Vaults should deny network access by default (properties.networkAcls.defaultAction: Deny, or public network access disabled).",
  enforcementLevel: "advisory",
  validateResource: azure.validateResourceOfType(azure.Vault, (props, _args, report) => {
    if (same(at(props, "properties.publicNetworkAccess"), "Disabled")) return;
    const v = at(props, "properties.networkAcls.defaultAction");
    if (!same(v, "Deny")) report(`properties.networkAcls.defaultAction is ${show(v)} (Azure's default is Allow); set it to "Deny" with the bypasses the stack needs.`);
  }),
};
