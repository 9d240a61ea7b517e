/**
 * The hardened arguments every storage account of the program shares (static logs, static packages, the consent
 * page's package): private, TLS 1.2, HTTPS only, Entra ID (OAuth) by default, no cross-tenant replication. Pure: a type
 * import only, so it is tested without mocks. Shared-key access is the one choice each caller states.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { StorageAccountArgs } from "@pulumi/azure-native/storage";

export interface HardenedStorageAccountOptions {
  /** Resource group of the account; required. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure name (3-24 lower-case letters and digits, globally unique); required. */
  accountName: pulumi.Input<string>;
  /** Azure location; required. */
  location: pulumi.Input<string>;
  /** Tags of the account; required (`{}` tags nothing). */
  tags: Record<string, string>;
  /**
   * Account-key access; required, no default. True only where the deployer uploads blobs with azure-native's `Blob`,
   * which signs with the account key (pulumi-azure-native#2015, #2948); readers use managed identities either way.
   */
  allowSharedKeyAccess: boolean;
}

/** `StorageAccountArgs` for a private StorageV2 Standard_LRS Hot account with the program's hardening. */
export function hardenedStorageAccountArgs(o: HardenedStorageAccountOptions): StorageAccountArgs {
  return {
    resourceGroupName: o.resourceGroupName,
    accountName: o.accountName,
    location: o.location,
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    accessTier: "Hot",
    minimumTlsVersion: "TLS1_2",
    enableHttpsTrafficOnly: true,
    allowBlobPublicAccess: false,
    allowSharedKeyAccess: o.allowSharedKeyAccess,
    // Portal and CLI default to Entra ID even where keys stay on for the deployer.
    defaultToOAuthAuthentication: true,
    allowCrossTenantReplication: false,
    tags: o.tags,
  };
}
