/**
 * Key Vault policies: the vault holds the connector certificate, the admin password and the disk-encryption key,
 * so deleting it by mistake (or a script's redeploy) must be recoverable, and access goes through Azure RBAC.
 */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { RAW_PKCS12_CONTENT_TYPE } from "../components/vaultCertificate";
import * as azure from "./types";
import { at, isRecord, list, same, show } from "./values";

// Anchor: Checkov CKV_AZURE_111 and CKV_AZURE_42 (recoverable vault), trivy AZU-0016. Unset is fine: Azure turns
// soft delete on for every new vault and it cannot be turned off again.
// enableSoftDelete: true by default for a new vault; once true, it cannot be reverted to false https://learn.microsoft.com/en-us/rest/api/keyvault/keyvault/vaults/create-or-update#vaultproperties
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

// Anchor: none of the scanners; the Key Vault API requires accessPolicies unless the vault is recovered, RBAC or not,
// and azure-native fails the create without it (pulumi-azure-native#1478). Mandatory: the first `pulumi up` fails.
// accessPolicies: required unless createMode is recover https://learn.microsoft.com/en-us/rest/api/keyvault/keyvault/vaults/create-or-update#vaultproperties
export const keyVaultAccessPoliciesExplicit: ResourceValidationPolicy = {
  name: "keyvault-access-policies-explicit",
  description: "Key Vaults state properties.accessPolicies (an empty list with RBAC authorization).",
  enforcementLevel: "mandatory",
  validateResource: azure.validateResourceOfType(azure.Vault, (props, _args, report) => {
    if (same(at(props, "properties.createMode"), "recover")) return;
    const v = at(props, "properties.accessPolicies");
    if (!Array.isArray(v)) report(`properties.accessPolicies is ${show(v)}; set it (an empty list [] when enableRbacAuthorization is true).`);
    else if (v.length > 0 && at(props, "properties.enableRbacAuthorization") === true) report(`properties.accessPolicies has ${v.length} entries, which RBAC authorization ignores; set it to [].`);
  }),
};

/** The secret name of a Key Vault secret URL (`https://<vault>.vault.azure.net/secrets/<name>[/<version>]`). */
function secretNameOf(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  return /\/secrets\/([^/?#]+)/i.exec(url)?.[1]?.toLowerCase();
}

// Anchor: none of the scanners; the compute API documents the certificate secret of osProfile.secrets as a base64 JSON
// envelope (components/vaultCertificate.ts). Labelling it application/x-pkcs12, the content type of a raw password-less
// PFX, mixes the two formats. Mandatory: instances would get no (or a broken) certificate.
// certificateUrl: base64 of the UTF-8 JSON {data, dataType: "pfx", password} https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-scale-sets/create-or-update#vaultcertificate
export const vmssCertificateSecretFormat: StackValidationPolicy = {
  name: "vmss-certificate-secret-format",
  description: "The Key Vault secrets a scale set installs as certificates are the JSON envelope, not labelled application/x-pkcs12.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const secrets = new Map(args.resources.filter((r) => r.type === azure.KeyVaultSecret.__pulumiType).map((r) => [String(r.props.secretName ?? r.name).toLowerCase(), r]));
    for (const vmss of args.resources.filter((r) => r.type === azure.VirtualMachineScaleSet.__pulumiType)) {
      const profile = at(vmss.props, "virtualMachineProfile");
      if (!isRecord(profile)) continue;
      for (const group of list(at(profile, "osProfile.secrets")).filter(isRecord)) {
        for (const cert of list(group.vaultCertificates).filter(isRecord)) {
          const secret = secrets.get(secretNameOf(cert.certificateUrl) ?? "");
          if (!secret) continue;
          const contentType = at(secret.props, "properties.contentType");
          if (same(contentType, RAW_PKCS12_CONTENT_TYPE)) {
            report(`Secret "${secret.name}" is installed by scale set "${vmss.name}" (osProfile.secrets) and labelled ${show(contentType)}, the content type of a raw PFX; the program stores the JSON envelope: remove the content type.`, secret.urn);
          }
        }
      }
    }
  },
};
