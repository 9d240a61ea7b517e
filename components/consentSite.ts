/**
 * The admin-consent web page (replaces the seed's `Publish-PexTeamsAdminConsentWebSite`): an App Service plan and a
 * Linux web app `<base>-pexip-cvi-<5 random>` in the bot resource group, serving the static page in
 * `components/consent-page/` with its tiny dependency-free `server.js`.
 *
 * Deployment, by `pulumi up` alone: the page directory is uploaded as a ZIP blob (named by its content hash, so a change
 * to the page is a new blob and a new app setting, which restarts the app onto it) and the app runs it with
 * WEBSITE_RUN_FROM_PACKAGE=<blob URL>, fetched with a user-assigned managed identity that holds Storage Blob Data
 * Reader on the container only (WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID; "Fetch a package from Azure Blob Storage
 * using a managed identity", https://learn.microsoft.com/en-us/azure/app-service/deploy-run-package). No SAS, no
 * publishing credentials. The identity's role, and a propagation wait after it, come before the app, so its first
 * start can read the package.
 * The package account keeps shared-key access on: azure-native's Blob resource uploads with the account key and fails
 * with KeyBasedAuthenticationNotPermitted otherwise (pulumi/pulumi-azure-native#2015); blobs stay private.
 *
 * The site's URL is registered as the app's Web redirect URI here (azuread.ApplicationRedirectUris), so BotChannel
 * does not need the site and the site does not need to exist before the app.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as random from "@pulumi/random";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import { accessRestrictions } from "./accessRestrictions";
import { CONSENT_PAGE_DIR, consentPageHash } from "./consentPackage";
import { deriveNames } from "./naming";
import { propagationWait } from "./propagationWait";
import { ROLES } from "./roles";
import { hardenedStorageAccountArgs } from "./storageAccount";

/** Built-in role "Storage Blob Data Reader" (the one list of roles: components/roles.ts). */
export const STORAGE_BLOB_DATA_READER_ROLE_ID = ROLES.storageBlobDataReader.id;
/** The App Service runtime the page's server.js runs on. */
export const CONSENT_SITE_RUNTIME = "NODE|22-lts";
/** Basic B1: the smallest dedicated Linux tier (Free shares a VM under a CPU quota, for dev/test only); billed per instance even while the site is stopped. */
// Free/Shared: shared VM, CPU quota, dev/test only; dedicated tiers charge each VM instance however many apps run on it https://learn.microsoft.com/en-us/azure/app-service/overview-hosting-plans#cost-of-app-service-plans
export const CONSENT_SITE_SKU = { name: "B1", tier: "Basic", capacity: 1 } as const;

export interface ConsentSiteArgs {
  /** The bot resource group the web app lives in. Required. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure location of the plan, the app, its identity and its package account. Required. */
  location: string;
  /** baseName: the app is `<base>-pexip-cvi-<5 random>`. Required. */
  baseName: string;
  /** The CVI app's client ID, shown on the page and used in the consent request. Required. */
  appId: pulumi.Input<string>;
  /** The CVI app registration's object ID: its Web redirect URI (this site) is registered on it. Required. */
  appObjectId: pulumi.Input<string>;
  /** The tenant domain the app was registered in, shown on the page. Required. */
  tenantDomain: pulumi.Input<string>;
  /** Source prefixes allowed to reach the page (and its scm site); empty: public (no rules, default Allow), else everything but these is denied. Required. */
  sourcePrefixes: string[];
  /** Keep the site running (config default true); false stops it (the seed: stop the app service after consent), but the plan is billed either way. Required. */
  enabled: boolean;
  /** Tags on the plan, the app, the identity and the package storage account (not the container or blob; `{}` tags nothing). Required. */
  tags: Record<string, string>;
  /** Seconds to wait after the package reader grant before the app starts; unset: ROLE_PROPAGATION_SECONDS (600). */
  grantPropagationSeconds?: number;
}

export class ConsentSite extends pulumi.ComponentResource {
  /** The page's URL (also the app's redirect URI). */
  public readonly consentUrl: pulumi.Output<string>;
  /** The web app's name. */
  public readonly webAppName: pulumi.Output<string>;

  constructor(name: string, args: ConsentSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pexip:teams:ConsentSite", name, {}, opts);
    const access = accessRestrictions(args.sourcePrefixes);
    const names = deriveNames(args.baseName, "");

    // The seed's 5 random characters: lower case and digits, valid in both host and storage account names.
    const suffix = new random.RandomString(`${name}-suffix`, {
      length: 5, lower: true, numeric: true, upper: false, special: false,
    }, { parent: this });

    const identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, {
      resourceGroupName: args.resourceGroupName,
      resourceName: `${names.consentAppPrefix}id`,
      location: args.location,
      tags: args.tags,
    }, { parent: this });

    const account = new storage.StorageAccount(`${name}-package`, hardenedStorageAccountArgs({
      resourceGroupName: args.resourceGroupName,
      // <=9 + 6 + 5 = 20 <= 24, lower-case alphanumerics.
      accountName: pulumi.interpolate`${args.baseName}cvipkg${suffix.result}`,
      location: args.location,
      tags: args.tags,
      // The page ZIP is uploaded with azure-native's Blob, which signs with the account key (see the header).
      allowSharedKeyAccess: true,
    }), { parent: this });

    const container = new storage.BlobContainer(`${name}-package`, {
      resourceGroupName: args.resourceGroupName,
      accountName: account.name,
      containerName: "consent-page",
      publicAccess: "None",
    }, { parent: this });

    const blob = new storage.Blob(`${name}-package`, {
      resourceGroupName: args.resourceGroupName,
      accountName: account.name,
      containerName: container.name,
      blobName: `consent-page-${consentPageHash().slice(0, 16)}.zip`,
      type: "Block",
      contentType: "application/zip",
      source: new pulumi.asset.FileArchive(CONSENT_PAGE_DIR),
    }, { parent: this });

    const client = authorization.getClientConfigOutput({ parent: this });
    const reader = new authorization.RoleAssignment(`${name}-package-reader`, {
      scope: container.id,
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_READER_ROLE_ID}`,
      description: "The consent web app reads its run-from-package ZIP.",
    }, { parent: this });
    const readerWait = propagationWait(`${name}-grants-wait`, { grants: [reader], seconds: args.grantPropagationSeconds }, { parent: this });

    const plan = new web.AppServicePlan(`${name}-plan`, {
      resourceGroupName: args.resourceGroupName,
      name: `${names.consentAppPrefix}plan`,
      location: args.location,
      kind: "linux",
      reserved: true,
      sku: { ...CONSENT_SITE_SKU },
      tags: args.tags,
    }, { parent: this });

    const app = new web.WebApp(`${name}-app`, {
      resourceGroupName: args.resourceGroupName,
      name: pulumi.interpolate`${names.consentAppPrefix}${suffix.result}`,
      location: args.location,
      kind: "app,linux",
      serverFarmId: plan.id,
      enabled: args.enabled,
      httpsOnly: true,
      clientAffinityEnabled: false,
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
      siteConfig: {
        linuxFxVersion: CONSENT_SITE_RUNTIME,
        appCommandLine: "node server.js",
        minTlsVersion: "1.2",
        scmMinTlsVersion: "1.2",
        ftpsState: "Disabled",
        http20Enabled: true,
        ipSecurityRestrictions: access.rules,
        ipSecurityRestrictionsDefaultAction: access.defaultAction,
        // The scm (Kudu) site follows the same rules: it is not a way around them.
        scmIpSecurityRestrictionsUseMain: true,
        scmIpSecurityRestrictionsDefaultAction: access.defaultAction,
        appSettings: [
          { name: "APP_ID", value: args.appId },
          { name: "TENANT_DOMAIN", value: args.tenantDomain },
          { name: "WEBSITE_RUN_FROM_PACKAGE", value: blob.url },
          { name: "WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID", value: identity.id },
        ],
      },
      tags: args.tags,
    }, { parent: this, dependsOn: [reader, readerWait] });

    // Basic-auth publishing (FTP and scm user/password) off: nothing is published to this app but its package.
    new web.WebAppFtpAllowed(`${name}-ftp`, {
      resourceGroupName: args.resourceGroupName,
      name: app.name,
      allow: false,
    }, { parent: this });
    new web.WebAppScmAllowed(`${name}-scm`, {
      resourceGroupName: args.resourceGroupName,
      name: app.name,
      allow: false,
    }, { parent: this });

    this.webAppName = app.name;
    this.consentUrl = pulumi.interpolate`https://${app.defaultHostName}/`;

    // The admin-consent response comes back to the page; Entra ID accepts only registered redirect URIs.
    new azuread.ApplicationRedirectUris(`${name}-redirect`, {
      applicationId: pulumi.interpolate`/applications/${args.appObjectId}`,
      type: "Web",
      redirectUris: [this.consentUrl],
    }, { parent: this });

    this.registerOutputs({ consentUrl: this.consentUrl, webAppName: this.webAppName });
  }
}
