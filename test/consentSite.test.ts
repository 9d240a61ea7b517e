/** ConsentSite under the shared mocks: the web app's hardening and access restrictions, the package deployment, the redirect URI. */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { inputs, one, parentName, runResources, unwrap } from "./harness";
import type { ConsentSite as ConsentSiteT, ConsentSiteArgs } from "../components/consentSite";

const APP_ID = "c054d1cb-7961-48e1-b004-389e81356232";
const APP_OBJECT_ID = "0a0b0c0d-1111-4222-8333-444455556666";
const ARGS: ConsentSiteArgs = {
  resourceGroupName: "pexip-TeamsBotChan-RG",
  location: "westeurope",
  baseName: "pexip",
  appId: APP_ID,
  appObjectId: APP_OBJECT_ID,
  tenantDomain: "contoso.onmicrosoft.com",
  sourcePrefixes: [],
  enabled: true,
  tags: { CostCenter: "Video Services" },
};

async function build(args: Partial<ConsentSiteArgs> = {}) {
  const { ConsentSite } = await import("../components/consentSite");
  let site: ConsentSiteT | undefined;
  const monitor = await runResources("eu", () => { site = new ConsentSite("consent", { ...ARGS, ...args }); });
  return { resources: monitor.registrations, site: site! };
}

const webApp = (r: Awaited<ReturnType<typeof build>>) => inputs(one(r.resources, "azure-native:web:WebApp"));
const setting = (app: Record<string, any>, name: string) => app.siteConfig.appSettings.find((s: { name: string }) => s.name === name)?.value;

describe("ConsentSite", () => {
  test("web app <base>-pexip-cvi-<5 lower-case/digit chars> on a Linux plan in the bot resource group, hardened", async () => {
    const run = await build();
    const app = webApp(run);
    expect(app.name).toMatch(/^pexip-pexip-cvi-[a-z0-9]{5}$/);
    expect(app.resourceGroupName).toBe("pexip-TeamsBotChan-RG");
    expect(app.httpsOnly).toBe(true);
    expect(app.enabled).toBe(true);
    expect(app.siteConfig.minTlsVersion).toBe("1.2");
    expect(app.siteConfig.scmMinTlsVersion).toBe("1.2");
    expect(app.siteConfig.ftpsState).toBe("Disabled");
    expect(app.siteConfig.linuxFxVersion).toBe("NODE|22-lts");
    expect(app.siteConfig.appCommandLine).toBe("node server.js");
    expect(app.tags).toEqual({ CostCenter: "Video Services" });
    const suffix = inputs(one(run.resources, "random:index/randomString:RandomString"));
    expect([suffix.length, suffix.upper, suffix.special, suffix.lower, suffix.numeric]).toEqual([5, false, false, true, true]);
    const plan = inputs(one(run.resources, "azure-native:web:AppServicePlan"));
    expect([plan.kind, plan.reserved, plan.sku.name, plan.name]).toEqual(["linux", true, "B1", "pexip-pexip-cvi-plan"]);
    expect(app.serverFarmId).toMatch(/\/Microsoft.Web\/serverfarms\/pexip-pexip-cvi-plan$/);
    for (const r of run.resources.filter((x) => x.custom)) expect(parentName(r)).toBe("consent");
  });

  test("basic-auth publishing is off for FTP and scm", async () => {
    const run = await build();
    const ftp = inputs(one(run.resources, "azure-native:web:WebAppFtpAllowed"));
    const scm = inputs(one(run.resources, "azure-native:web:WebAppScmAllowed"));
    expect([ftp.allow, scm.allow]).toEqual([false, false]);
    expect(ftp.name).toBe(webApp(run).name);
    expect(scm.name).toBe(webApp(run).name);
  });

  test("empty consentSourcePrefixes: no rules, default Allow (public page)", async () => {
    const app = webApp(await build({ sourcePrefixes: [] }));
    expect(app.siteConfig.ipSecurityRestrictions).toEqual([]);
    expect(app.siteConfig.ipSecurityRestrictionsDefaultAction).toBe("Allow");
    expect(app.siteConfig.scmIpSecurityRestrictionsUseMain).toBe(true);
  });

  test("consentSourcePrefixes set: one Allow rule per prefix, named from it, and Deny for everything else (scm too)", async () => {
    const app = webApp(await build({ sourcePrefixes: ["203.0.113.0/24", "198.51.100.7"] }));
    expect(app.siteConfig.ipSecurityRestrictions).toEqual([
      { name: "allow-203-0-113-0-24", ipAddress: "203.0.113.0/24", action: "Allow", priority: 100, description: "consentSourcePrefixes" },
      { name: "allow-198-51-100-7-32", ipAddress: "198.51.100.7/32", action: "Allow", priority: 100, description: "consentSourcePrefixes" },
    ]);
    expect(app.siteConfig.ipSecurityRestrictionsDefaultAction).toBe("Deny");
    expect(app.siteConfig.scmIpSecurityRestrictionsUseMain).toBe(true);
    expect(app.siteConfig.scmIpSecurityRestrictionsDefaultAction).toBe("Deny");
  });

  test("consentSiteEnabled: false stops the web app and keeps everything else", async () => {
    const run = await build({ enabled: false });
    expect(webApp(run).enabled).toBe(false);
    expect(webApp(run).httpsOnly).toBe(true);
    expect(inputs(one(run.resources, "azuread:index/applicationRedirectUris:ApplicationRedirectUris")).type).toBe("Web");
  });

  test("the page is deployed by pulumi up: a content-named ZIP blob run from package through the app's identity", async () => {
    const run = await build();
    const app = webApp(run);
    const blob = inputs(one(run.resources, "azure-native:storage:Blob"));
    const { consentPageHash, CONSENT_PAGE_DIR } = await import("../components/consentPackage");
    expect(blob.blobName).toBe(`consent-page-${consentPageHash().slice(0, 16)}.zip`);
    expect(blob.source).toBeInstanceOf(pulumi.asset.FileArchive);
    expect(await (blob.source as pulumi.asset.FileArchive).path).toBe(CONSENT_PAGE_DIR);
    for (const f of ["server.js", "index.html", "consent.js", "style.css"]) expect(fs.existsSync(path.join(CONSENT_PAGE_DIR, f))).toBe(true);
    expect(setting(app, "WEBSITE_RUN_FROM_PACKAGE")).toMatch(/^https:\/\/pexipcvipkg[a-z0-9]{5}\.blob\.core\.windows\.net\/consent-page\/consent-page-[0-9a-f]{16}\.zip$/);
    const identity = one(run.resources, "azure-native:managedidentity:UserAssignedIdentity");
    expect(setting(app, "WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID")).toBe(identity.id);
    expect(app.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
    expect(setting(app, "APP_ID")).toBe(APP_ID);
    expect(setting(app, "TENANT_DOMAIN")).toBe("contoso.onmicrosoft.com");
    const container = inputs(one(run.resources, "azure-native:storage:BlobContainer"));
    expect(container.publicAccess).toBe("None");
    const account = inputs(one(run.resources, "azure-native:storage:StorageAccount"));
    expect([account.allowBlobPublicAccess, account.minimumTlsVersion, account.enableHttpsTrafficOnly]).toEqual([false, "TLS1_2", true]);
    // The shared hardening, with keys on for the page ZIP's upload (azure-native's Blob signs with the account key).
    expect([account.allowSharedKeyAccess, account.defaultToOAuthAuthentication, account.allowCrossTenantReplication]).toEqual([true, true, false]);
    // The identity reads the container only, and holds the role before the app first starts.
    const role = one(run.resources, "azure-native:authorization:RoleAssignment");
    expect(inputs(role).scope).toBe(one(run.resources, "azure-native:storage:BlobContainer").id);
    expect(inputs(role).roleDefinitionId).toMatch(/\/roleDefinitions\/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1$/);
    expect(inputs(role).principalType).toBe("ServicePrincipal");
    expect(one(run.resources, "azure-native:web:WebApp").dependencies).toContain(role.urn);
  });

  test("the app starts only after its identity's package reader grant and a propagation wait (configurable)", async () => {
    const run = await build({ grantPropagationSeconds: 120 });
    const app = one(run.resources, "azure-native:web:WebApp");
    const reader = one(run.resources, "azure-native:authorization:RoleAssignment", "consent-package-reader");
    const wait = one(run.resources, "pulumi-nodejs:dynamic/pexip:RolePropagationWait", "consent-grants-wait");
    expect(app.dependencies).toEqual(expect.arrayContaining([reader.urn, wait.urn]));
    expect(wait.dependencies).toContain(reader.urn);
    expect(inputs(wait)).toEqual({ __provider: expect.stringContaining("exports.handler"), seconds: 120, triggers: [reader.id] });
    expect(inputs(reader).roleDefinitionId).toMatch(/\/roleDefinitions\/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1$/);
  });

  test("the site's URL is the consent URL and the app's Web redirect URI", async () => {
    const run = await build();
    const url = await unwrap(run.site.consentUrl);
    expect(url).toBe(`https://${webApp(run).name}.azurewebsites.net/`);
    const redirect = inputs(one(run.resources, "azuread:index/applicationRedirectUris:ApplicationRedirectUris"));
    expect(redirect).toEqual({ applicationId: `/applications/${APP_OBJECT_ID}`, type: "Web", redirectUris: [url] });
  });
});
