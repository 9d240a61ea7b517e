/**
 * Storage account policies: the static accounts keep the connector package and the instances' logs (the seed's
 * 30-day log store), reached by the instances' managed identity, never by account keys or anonymous requests.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { LIFECYCLE_RULE_NAME_PATTERN } from "../components/naming";
import * as azure from "./types";
import { at, isRecord, list, show, tlsVersion } from "./values";

// Anchor: Checkov CKV_AZURE_44, trivy AZU-0011. Unset means TLS 1.0 to the storage API ("the default interpretation").
// minimumTlsVersion: the default interpretation is TLS 1.0 https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/create#request-body
export const storageMinTls12: ResourceValidationPolicy = {
  name: "storage-min-tls-1-2",
  description: "Storage accounts must require TLS 1.2 or newer (minimumTlsVersion: TLS1_2).",
  validateResource: azure.validateResourceOfType(azure.StorageAccount, (props, _args, report) => {
    const v = at(props, "minimumTlsVersion");
    const n = tlsVersion(v);
    if (n === undefined || n < 1.2) report(`minimumTlsVersion is ${show(v)} (unset means TLS 1.0); set it to "TLS1_2".`);
  }),
};

// Anchor: Checkov CKV_AZURE_3, trivy AZU-0008. Unset is fine: it defaults to true since API version 2019-04-01.
// Mandatory: plain HTTP would carry the connector package and the logs in clear text.
// supportsHttpsTrafficOnly: the default value is true since API version 2019-04-01 https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/create#request-body
export const storageHttpsOnly: ResourceValidationPolicy = {
  name: "storage-https-only",
  description: "Storage accounts must accept HTTPS only (enableHttpsTrafficOnly not false).",
  enforcementLevel: "mandatory",
  validateResource: azure.validateResourceOfType(azure.StorageAccount, (props, _args, report) => {
    if (at(props, "enableHttpsTrafficOnly") === false) report("enableHttpsTrafficOnly is false; remove it or set it to true.");
  }),
};

// Anchor: Checkov CKV_AZURE_190 (and CKV_AZURE_34 for containers), trivy AZU-0007. Mandatory: a public container
// hands the logs (call metadata, host names) to anyone. Unset is read as false, the API's documented default.
// allowBlobPublicAccess: the default interpretation is false https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/create#request-body
export const storageNoPublicBlobAccess: ResourceValidationPolicy = {
  name: "storage-no-public-blob-access",
  description: "Storage accounts must not allow public blob access (allowBlobPublicAccess not true).",
  enforcementLevel: "mandatory",
  validateResource: azure.validateResourceOfType(azure.StorageAccount, (props, _args, report) => {
    const v = at(props, "allowBlobPublicAccess");
    if (v === true) report("allowBlobPublicAccess is true; set it to false so no container can be made public.");
  }),
};

// Anchor: Checkov CKV2_AZURE_40. Unset means shared keys are allowed; the seed rotated storage keys through Key
// Vault, the successor is no standing keys at all (managed identity with RBAC).
// allowSharedKeyAccess: unset (null) is equivalent to true https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/create#request-body
export const storageSharedKeyDisabled: ResourceValidationPolicy = {
  name: "storage-shared-key-disabled",
  description: "Storage accounts must disable shared key access (allowSharedKeyAccess: false).",
  validateResource: azure.validateResourceOfType(azure.StorageAccount, (props, _args, report) => {
    const v = at(props, "allowSharedKeyAccess");
    if (v !== false) report(`allowSharedKeyAccess is ${show(v)} (unset means allowed); set it to false and use the managed identity with RBAC.`);
  }),
};

// Anchor: none of the scanners; the storage API accepts only letters and digits in lifecycle rule names.
// Mandatory: a hyphen fails the management policy in Azure (and with it the logs' 30-day expiry).
export const storageLifecycleRuleNames: ResourceValidationPolicy = {
  name: "storage-lifecycle-rule-names",
  description: "Storage lifecycle (management policy) rule names are letters and digits only.",
  enforcementLevel: "mandatory",
  validateResource: azure.validateResourceOfType(azure.ManagementPolicy, (props, _args, report) => {
    for (const rule of list(at(props, "policy.rules")).filter(isRecord)) {
      if (typeof rule.name !== "string" || !LIFECYCLE_RULE_NAME_PATTERN.test(rule.name)) {
        report(`policy.rules[].name ${show(rule.name)} must be letters and digits only (the storage API's rule for lifecycle rule names).`);
      }
    }
  }),
};
