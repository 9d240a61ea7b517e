/**
 * Layer 2 (spec/testing.md): StaticResources under the shared Azure mocks, with the shipped eu stack's values
 * (self-signed lab certificate, enhanced status, generated admin password, protect on) and with the other branches
 * (a PFX, adopted PowerShell names, a DNS zone, a given password, protect off, no Event Hub). The versioned package
 * blob is not here: it belongs to the scale set (test/teamsConnectorVmss.test.ts), which rolls with the version.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  containsSecret, inputs, isSecret, one, ofType, ROOT, runResources, secretInputs, stackSource, SUBSCRIPTION_ID, TENANT_ID, UNTAGGABLE, unwrap,
} from "./harness";
import { MOCK_CERT_VALID_FROM, Registration } from "../tools/engine/mocks";
import { NOW } from "./fixtures/clock";
import { checkPfx } from "../components/certificate";
import { loadConfig, StackConfig } from "../components/config";
import { ROLES } from "../components/roles";
import type { StaticResources as StaticResourcesT, StaticResourcesArgs } from "../components/staticResources";

const FQDN = "pexip-teamsconn-eu.teams.example.com";
const ROLE_DEF = (guid: string) => `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const THUMB = "0123456789ABCDEF0123456789ABCDEF01234567";
const APP_PASSWORD = "mock-app-password~0123456789";
const SUBNET_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/pexip-TeamsConn-eu-RG/providers/Microsoft.Network/virtualNetworks/pexipeu-vnet/subnets/instances`;

let StaticResources: typeof StaticResourcesT;
let cfg: StackConfig;

function argsFrom(c: StackConfig, over: Partial<StaticResourcesArgs> = {}): StaticResourcesArgs {
  return {
    names: c.names,
    location: c.location,
    tags: c.tags,
    protect: c.protectStaticResources,
    connectorFqdn: c.connectorFqdn,
    certificate: c.certificate,
    enhancedStatus: c.enhancedStatus,
    existingStatic: c.existingStatic,
    dnsZone: c.dnsZone,
    adminPassword: c.adminPassword,
    appPassword: pulumi.secret(APP_PASSWORD),
    instanceSubnet: { resourceGroupName: c.names.resourceGroup, virtualNetworkName: c.names.vnet, subnetName: "instances" },
    ...over,
  };
}

interface Run {
  res: Registration[];
  comp: StaticResourcesT;
}
async function run(args: StaticResourcesArgs): Promise<Run> {
  let comp!: StaticResourcesT;
  const monitor = await runResources("eu", () => {
    comp = new StaticResources("static", args);
  });
  return { res: monitor.registrations, comp };
}
const parentOf = (r: Registration) => r.parent?.split("::").pop();
const state = (r: Registration) => r as Registration & { state: Record<string, any> };

let eu: Run;
let adopted: Run;
let noEvh: Run;

beforeAll(async () => {
  ({ StaticResources } = await import("../components/staticResources"));
  const loaded = loadConfig(stackSource("eu").source, { stack: "eu", projectDir: ROOT, offline: true, now: NOW });
  expect(loaded.errors).toEqual([]);
  cfg = loaded.config!;
  eu = await run(argsFrom(cfg));
  adopted = await run(argsFrom(cfg, {
    protect: false,
    certificate: {
      kind: "pfx",
      pfxBase64: pulumi.secret("UEZYLWJ5dGVz"),
      password: pulumi.secret("pfx-Passw0rd"),
      origin: "connector.pfx",
      info: { subject: FQDN, issuer: "CN=CA", dnsNames: [FQDN], notBefore: "", notAfter: "", thumbprint: THUMB, keyType: "rsa", chain: [], warnings: [] },
    },
    existingStatic: { keyVaultName: "pexipeu-kv-ps1", publicIpName: "pexipeu-ps1-pip", storageAccountName: "pexipeups1logs", eventHubNamespace: "pexipeu-ps1-evh" },
    dnsZone: { resourceGroup: "dns-RG", name: "teams.example.com" },
    adminPassword: pulumi.secret("Given-Passw0rd!"),
  }));
  noEvh = await run(argsFrom(cfg, { enhancedStatus: false }));
});

describe("StaticResources with the eu stack's values", () => {
  it("registers itself and its surviving children exactly as STATIC_CHILDREN declares them (what an import adopts)", async () => {
    const { STATIC_CHILDREN, STATIC_RESOURCES_TYPE } = await import("../components/staticResources");
    expect(STATIC_RESOURCES_TYPE).toBe("pexip:teams:StaticResources");
    one(eu.res, STATIC_RESOURCES_TYPE, "static");
    for (const [key, c] of Object.entries(STATIC_CHILDREN)) {
      const r = one(eu.res, c.type, `static-${c.suffix}`);
      expect([key, r.type, parentOf(r)]).toEqual([key, c.type, "static"]);
    }
    // Without the Event Hub, only the three that always exist.
    const kept = Object.values(STATIC_CHILDREN).filter((c) => noEvh.res.some((r) => r.type === c.type && r.name === `static-${c.suffix}`));
    expect(kept.map((c) => c.suffix)).toEqual(["rg", "kv", "pip", "logs"]);
  });

  const suffixOf = (r: Run) => String(state(one(r.res, "random:index/randomString:RandomString", "static-suffix")).state.result);

  it("puts everything in the static resource group, protected, with the stack's tags", () => {
    const rg = one(eu.res, "azure-native:resources:ResourceGroup", "static-rg");
    expect(inputs(rg)).toMatchObject({ resourceGroupName: "pexip-TeamsConn-eu-static-RG", location: "westeurope", tags: { ResourceOwner: "user@domain", CostCenter: "Video Services" } });
    for (const r of eu.res.filter((x) => x.type.startsWith("azure-native:") && x.type !== "azure-native:resources:ResourceGroup" && x.type !== "azure-native:authorization:RoleAssignment")) {
      expect([r.name, inputs(r).resourceGroupName]).toEqual([r.name, "pexip-TeamsConn-eu-static-RG"]);
    }
  });

  it("makes global names from a stable 5-character lower-case suffix", () => {
    expect(inputs(one(eu.res, "random:index/randomString:RandomString", "static-suffix"))).toEqual({ length: 5, lower: true, upper: false, numeric: true, special: false });
    const s = suffixOf(eu);
    expect(s).toMatch(/^[a-z0-9]{5}$/);
    expect(inputs(one(eu.res, "azure-native:keyvault:Vault", "static-kv")).vaultName).toBe(`pexipeu-kv${s}`);
    expect(inputs(one(eu.res, "azure-native:storage:StorageAccount", "static-logs")).accountName).toBe(`pexipeulogs${s}`);
    expect(inputs(one(eu.res, "azure-native:storage:StorageAccount", "static-packages")).accountName).toBe(`pexipeupkg${s}`);
    expect(inputs(one(eu.res, "azure-native:eventhub:Namespace", "static-evhns")).namespaceName).toBe(`pexipeu-evh-${s}`);
  });

  it("creates the Key Vault with soft delete, purge protection, RBAC, deployment access and a deny-by-default firewall that admits the instances' subnet", async () => {
    const kv = inputs(one(eu.res, "azure-native:keyvault:Vault", "static-kv"));
    expect(kv.properties).toEqual({
      tenantId: TENANT_ID,
      sku: { family: "A", name: "standard" },
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enablePurgeProtection: true,
      enableRbacAuthorization: true,
      // Stated explicitly: the API requires it even with RBAC (pulumi-azure-native#1478).
      accessPolicies: [],
      enabledForDeployment: true,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      // The subnet by its ID from names: it is created later, in the dynamic group, with the service endpoint.
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [{ id: SUBNET_ID, ignoreMissingVnetServiceEndpoint: true }] },
      publicNetworkAccess: "enabled", // the SDK's default; the firewall above is what restricts it
    });
    expect(await unwrap(eu.comp.tenantId)).toBe(TENANT_ID);
    expect(await unwrap(eu.comp.keyVaultUri)).toBe(`https://pexipeu-kv${suffixOf(eu)}.vault.azure.net/`);
  });

  it("stores the self-signed certificate as a VMSS-format secret whose PFX opens for connectorFqdn", async () => {
    const secret = one(eu.res, "azure-native:keyvault:Secret", "static-cert");
    const props = inputs(secret).properties;
    expect(inputs(secret).secretName).toBe("connector-certificate");
    // The compute API's JSON envelope, one format: no application/x-pkcs12 label (that is a raw, password-less PFX).
    expect(Object.keys(props).sort()).toEqual(["value"]);
    expect(containsSecret(secret.inputs.properties)).toBe(true);
    const json = JSON.parse(Buffer.from(props.value, "base64").toString("utf8"));
    expect(Object.keys(json)).toEqual(["data", "dataType", "password"]);
    expect(json.dataType).toBe("pfx");
    // Checked inside the mock certificate's fixed window (from the epoch): the program never checks its own against the clock.
    const check = checkPfx(Buffer.from(json.data, "base64"), json.password, FQDN, new Date(MOCK_CERT_VALID_FROM.getTime() + 86_400_000), { allowSelfSigned: true });
    expect(check.errors).toEqual([]);
    expect(check.info?.dnsNames).toEqual([FQDN]);
    expect(await unwrap(eu.comp.certificateThumbprint)).toBe(check.info?.thumbprint);
    expect(await unwrap(eu.comp.certificateSecretUri)).toMatch(new RegExp(`^https://pexipeu-kv${suffixOf(eu)}\\.vault\\.azure\\.net/secrets/connector-certificate/[0-9a-f]{32}$`));
  });

  it("generates the self-signed certificate for connectorFqdn with server and client authentication", () => {
    expect(inputs(one(eu.res, "tls:index/privateKey:PrivateKey", "static-cert-key"))).toEqual({ algorithm: "RSA", rsaBits: 2048 });
    expect(inputs(one(eu.res, "tls:index/selfSignedCert:SelfSignedCert", "static-cert-selfsigned"))).toMatchObject({
      subject: { commonName: FQDN },
      dnsNames: [FQDN],
      allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
      validityPeriodHours: 8760,
    });
  });

  it("reserves a Standard static IPv4 address without zones", async () => {
    const pip = one(eu.res, "azure-native:network:PublicIPAddress", "static-pip");
    expect(inputs(pip)).toMatchObject({ publicIpAddressName: "pexipeu-pip", sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" });
    expect(inputs(pip).zones).toBeUndefined();
    expect(await unwrap(eu.comp.publicIpAddress)).toBe(state(pip).state.ipAddress);
    expect(await unwrap(eu.comp.publicIpId)).toBe(pip.id);
  });

  it("creates the logs account with shared-key access off, TLS 1.2, HTTPS only, no public blobs, OAuth by default", () => {
    expect(inputs(one(eu.res, "azure-native:storage:StorageAccount", "static-logs"))).toEqual({
      resourceGroupName: "pexip-TeamsConn-eu-static-RG",
      accountName: `pexipeulogs${suffixOf(eu)}`,
      location: "westeurope",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      accessTier: "Hot",
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      tags: { ResourceOwner: "user@domain", CostCenter: "Video Services" },
    });
  });

  it("creates the package account with the same hardening, shared-key access on for the deployer's Blob upload only", () => {
    const logs = inputs(one(eu.res, "azure-native:storage:StorageAccount", "static-logs"));
    const pkgs = inputs(one(eu.res, "azure-native:storage:StorageAccount", "static-packages"));
    // Kept for azure-native's Blob upload (pulumi-azure-native#2015); nothing but the deployer uses keys.
    expect(pkgs).toEqual({ ...logs, accountName: `pexipeupkg${suffixOf(eu)}`, allowSharedKeyAccess: true });
    expect(ofType(eu.res, "azure-native:storage:StorageAccount").map((r) => r.name)).toEqual(["static-logs", "static-packages"]);
  });

  it("puts the logs container in the logs account and the packages container in the package account, both private", async () => {
    const s = suffixOf(eu);
    const containers = ofType(eu.res, "azure-native:storage:BlobContainer").map((r) => [r.name, inputs(r).accountName, inputs(r).containerName, inputs(r).publicAccess]);
    expect(containers).toEqual([
      ["static-container-logs", `pexipeulogs${s}`, "logs", "None"],
      ["static-container-packages", `pexipeupkg${s}`, "packages", "None"],
    ]);
    expect(inputs(one(eu.res, "azure-native:storage:ManagementPolicy", "static-logs-lifecycle")).accountName).toBe(`pexipeulogs${s}`);
    expect(await unwrap(eu.comp.storageAccountName)).toBe(`pexipeulogs${s}`);
    expect(await unwrap(eu.comp.storageAccountId)).toBe(one(eu.res, "azure-native:storage:StorageAccount", "static-logs").id);
    expect(await unwrap(eu.comp.packagesStorageAccountName)).toBe(`pexipeupkg${s}`);
    expect(await unwrap(eu.comp.packagesStorageAccountId)).toBe(one(eu.res, "azure-native:storage:StorageAccount", "static-packages").id);
  });

  it("deletes log blobs 30 days after their last change", () => {
    const mp = inputs(one(eu.res, "azure-native:storage:ManagementPolicy", "static-logs-lifecycle"));
    expect(mp.managementPolicyName).toBe("default");
    expect(mp.policy.rules).toEqual([{
      name: "deleteLogsAfter30Days",
      enabled: true,
      type: "Lifecycle",
      definition: {
        filters: { blobTypes: ["blockBlob", "appendBlob"], prefixMatch: ["logs/"] },
        actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 30 } } },
      },
    }]);
  });

  it("holds no blob (the versioned ones roll with the scale set), and hands out the package account's endpoint", async () => {
    expect(ofType(eu.res, "azure-native:storage:Blob")).toEqual([]);
    expect(ofType(adopted.res, "azure-native:storage:Blob")).toEqual([]);
    expect(await unwrap(eu.comp.packagesBlobEndpoint)).toBe(`https://pexipeupkg${suffixOf(eu)}.blob.core.windows.net/`);
    expect(await unwrap(eu.comp.packagesContainerName)).toBe("packages");
  });

  it("keeps the app password and the Event Hub connection string as Key Vault secrets, and hands out their versioned URIs only", async () => {
    const app = one(eu.res, "azure-native:keyvault:Secret", "static-app-password-secret");
    const evh = one(eu.res, "azure-native:keyvault:Secret", "static-eventhub-secret");
    expect([inputs(app).secretName, inputs(evh).secretName]).toEqual(["app-password", "event-hub-connection-string"]);
    expect(inputs(app).properties).toEqual({ value: APP_PASSWORD, contentType: "text/plain" });
    expect(inputs(evh).properties.value).toBe(await unwrap(eu.comp.eventHubConnectionString!));
    for (const r of [app, evh]) expect([r.name, containsSecret(r.inputs.properties)]).toEqual([r.name, true]);
    const kv = `https://pexipeu-kv${suffixOf(eu)}\\.vault\\.azure\\.net/secrets`;
    expect(await unwrap(eu.comp.appPasswordSecretUri)).toMatch(new RegExp(`^${kv}/app-password/[0-9a-f]{32}$`));
    expect(await unwrap(eu.comp.eventHubConnectionStringSecretUri!)).toMatch(new RegExp(`^${kv}/event-hub-connection-string/[0-9a-f]{32}$`));
    // The URIs are not secret (they name a version; reading it takes the identity's grant and the subnet).
    expect(await isSecret(eu.comp.appPasswordSecretUri)).toBe(false);
    expect(await isSecret(eu.comp.eventHubConnectionStringSecretUri!)).toBe(false);
  });

  it("creates the seed's Event Hub names and outputs standard_access_policy's connection string as a secret", async () => {
    expect(inputs(one(eu.res, "azure-native:eventhub:Namespace", "static-evhns"))).toMatchObject({ sku: { name: "Standard", tier: "Standard", capacity: 1 }, minimumTlsVersion: "1.2", disableLocalAuth: false });
    expect(inputs(one(eu.res, "azure-native:eventhub:EventHub", "static-evh")).eventHubName).toBe("events_hub");
    expect(inputs(one(eu.res, "azure-native:eventhub:EventHubAuthorizationRule", "static-evh-rule"))).toMatchObject({ eventHubName: "events_hub", authorizationRuleName: "standard_access_policy", rights: ["Listen", "Send"] });
    const cs = eu.comp.eventHubConnectionString!;
    expect(await isSecret(cs)).toBe(true);
    expect(await unwrap(cs)).toMatch(new RegExp(`^Endpoint=sb://pexipeu-evh-${suffixOf(eu)}\\.servicebus\\.windows\\.net/;SharedAccessKeyName=standard_access_policy;SharedAccessKey=[^;]+;EntityPath=events_hub$`));
  });

  it("gives the instances' identity only the blob roles and the two secrets it uses, and the DES identity crypto access to the vault", async () => {
    const identity = one(eu.res, "azure-native:managedidentity:UserAssignedIdentity", "static-identity");
    expect(inputs(identity).resourceName).toBe("pexipeu-id");
    const idPrincipal = state(identity).state.principalId;
    const desIdentity = one(eu.res, "azure-native:managedidentity:UserAssignedIdentity", "static-des-identity");
    expect(inputs(desIdentity).resourceName).toBe("pexipeu-des-id");
    const desPrincipal = state(desIdentity).state.principalId;
    const kv = one(eu.res, "azure-native:keyvault:Vault", "static-kv");
    const byName = Object.fromEntries(ofType(eu.res, "azure-native:authorization:RoleAssignment").map((r) => [r.name, inputs(r)]));
    const logsId = one(eu.res, "azure-native:storage:BlobContainer", "static-container-logs").id;
    const pkgId = one(eu.res, "azure-native:storage:BlobContainer", "static-container-packages").id;
    const expected = (role: { id: string }, principalId: string, scope: string | null) => ({ principalId, principalType: "ServicePrincipal", roleDefinitionId: ROLE_DEF(role.id), scope });
    // The certificate reaches the instances through the platform (enabledForDeployment); the bootstrap reads the app
    // password and the Event Hub connection string, each granted on that secret alone; no Event Hubs Data Sender.
    const appSecretId = one(eu.res, "azure-native:keyvault:Secret", "static-app-password-secret").id!;
    const evhSecretId = one(eu.res, "azure-native:keyvault:Secret", "static-eventhub-secret").id!;
    expect(appSecretId).toBe(`${kv.id}/secrets/app-password`);
    expect(byName).toEqual({
      "static-role-blob-data-contributor-logs": expected(ROLES.storageBlobDataContributor, idPrincipal, logsId),
      "static-role-blob-data-reader-packages": expected(ROLES.storageBlobDataReader, idPrincipal, pkgId),
      "static-role-kv-secrets-user-app-password": expected(ROLES.keyVaultSecretsUser, idPrincipal, appSecretId),
      "static-role-kv-secrets-user-eventhub": expected(ROLES.keyVaultSecretsUser, idPrincipal, evhSecretId),
      "static-role-kv-crypto-encryption-user-des": expected(ROLES.keyVaultCryptoServiceEncryptionUser, desPrincipal, kv.id),
    });
    expect(logsId).toMatch(/\/storageAccounts\/pexipeulogs[a-z0-9]{5}\/blobServices\/default\/containers\/logs$/);
    expect(pkgId).toMatch(/\/storageAccounts\/pexipeupkg[a-z0-9]{5}\/blobServices\/default\/containers\/packages$/);
    // The admin password is not readable by the instances: no grant on it, nor on the whole vault.
    const adminId = one(eu.res, "azure-native:keyvault:Secret", "static-admin-password-secret").id!;
    const idScopes = Object.values(byName).filter((a) => a.principalId === idPrincipal).map((a) => a.scope);
    expect(idScopes).not.toContain(adminId);
    expect(idScopes).not.toContain(kv.id);
    expect(await unwrap(eu.comp.identityClientId)).toBe(state(identity).state.clientId);
  });

  it("creates the disk encryption set only after its identity's grant on the vault and a propagation wait", () => {
    const des = one(eu.res, "azure-native:compute:DiskEncryptionSet", "static-des");
    const grant = one(eu.res, "azure-native:authorization:RoleAssignment", "static-role-kv-crypto-encryption-user-des");
    const wait = one(eu.res, "pulumi-nodejs:dynamic/pexip:RolePropagationWait", "static-des-grants-wait");
    expect(des.dependencies).toEqual(expect.arrayContaining([grant.urn, wait.urn]));
    expect(wait.dependencies).toContain(grant.urn);
    expect(inputs(wait)).toEqual({ __provider: expect.stringContaining("exports.handler"), seconds: 600, triggers: [grant.id] });
    // Nothing grants on the set's behalf after it exists (the system-assigned pattern).
    expect(ofType(eu.res, "azure-native:authorization:RoleAssignment").filter((r) => r.dependencies.includes(des.urn)).map((r) => r.name)).toEqual([]);
  });

  it("hands the scale set the instances' grants (blobs and secrets) and the wait after them", () => {
    const names = ["static-role-blob-data-contributor-logs", "static-role-blob-data-reader-packages", "static-role-kv-secrets-user-app-password", "static-role-kv-secrets-user-eventhub"];
    const grants = names.map((n) => one(eu.res, "azure-native:authorization:RoleAssignment", n));
    const wait = one(eu.res, "pulumi-nodejs:dynamic/pexip:RolePropagationWait", "static-instance-grants-wait");
    expect(wait.dependencies).toEqual(expect.arrayContaining(grants.map((g) => g.urn)));
    expect(inputs(wait)).toEqual({ __provider: expect.stringContaining("exports.handler"), seconds: 600, triggers: grants.map((g) => g.id) });
    expect(eu.comp.instanceAccessReady).toHaveLength(5);
    // Without the Event Hub: no Event Hub secret, no grant on it.
    expect(noEvh.comp.instanceAccessReady).toHaveLength(4);
    expect(noEvh.comp.eventHubConnectionStringSecretUri).toBeUndefined();
  });

  it("encrypts disks with a 3072-bit RSA key through a disk encryption set that follows new key versions", async () => {
    const key = one(eu.res, "azure-native:keyvault:Key", "static-des-key");
    expect(inputs(key)).toMatchObject({ keyName: "disk-encryption", properties: { kty: "RSA", keySize: 3072, keyOps: ["wrapKey", "unwrapKey"] } });
    const des = one(eu.res, "azure-native:compute:DiskEncryptionSet", "static-des");
    expect(inputs(des)).toMatchObject({
      diskEncryptionSetName: "pexipeu-des",
      identity: { type: "UserAssigned", userAssignedIdentities: [one(eu.res, "azure-native:managedidentity:UserAssignedIdentity", "static-des-identity").id] },
      encryptionType: "EncryptionAtRestWithCustomerKey",
      rotationToLatestKeyVersionEnabled: true,
      activeKey: { keyUrl: state(key).state.keyUriWithVersion, sourceVault: { id: one(eu.res, "azure-native:keyvault:Vault", "static-kv").id } },
    });
    expect(inputs(des).activeKey.keyUrl).toMatch(/\/keys\/disk-encryption\/[0-9a-f]{32}$/);
    expect(await unwrap(eu.comp.diskEncryptionSetId)).toBe(des.id);
  });

  it("generates the admin password (24 chars, every class, no \\ - $) and keeps it in Key Vault as a secret", async () => {
    const pw = one(eu.res, "random:index/randomPassword:RandomPassword", "static-admin-password");
    expect(inputs(pw)).toMatchObject({ length: 24, minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1, special: true });
    expect(inputs(pw).overrideSpecial).not.toMatch(/[\\$-]/);
    const value = await unwrap(eu.comp.adminPassword);
    expect(value).toHaveLength(24);
    expect(value).not.toMatch(/[\\$-]/);
    expect(await isSecret(eu.comp.adminPassword)).toBe(true);
    const secret = one(eu.res, "azure-native:keyvault:Secret", "static-admin-password-secret");
    expect(inputs(secret)).toMatchObject({ secretName: "admin-password", properties: { value } });
    expect(containsSecret(secret.inputs.properties)).toBe(true);
  });

  it("tags every taggable Azure resource it creates", () => {
    const taggable = eu.res.filter((r) => r.type.startsWith("azure-native:") && !UNTAGGABLE.has(r.type));
    expect(taggable.map((r) => r.type).sort()).toEqual([
      "azure-native:compute:DiskEncryptionSet", "azure-native:eventhub:Namespace", "azure-native:keyvault:Vault",
      "azure-native:managedidentity:UserAssignedIdentity", "azure-native:managedidentity:UserAssignedIdentity",
      "azure-native:network:PublicIPAddress", "azure-native:resources:ResourceGroup",
      "azure-native:storage:StorageAccount", "azure-native:storage:StorageAccount",
    ]);
    for (const r of taggable) expect([r.name, inputs(r).tags]).toEqual([r.name, { ResourceOwner: "user@domain", CostCenter: "Video Services" }]);
  });

  it("protects exactly the resource group, Key Vault and public IP", () => {
    expect(eu.res.filter((r) => r.protect).map((r) => r.name).sort()).toEqual(["static-kv", "static-pip", "static-rg"]);
  });

  it("parents every child to the component", () => {
    const comp = one(eu.res, "pexip:teams:StaticResources", "static");
    for (const r of eu.res.filter((x) => x !== comp && x.type !== "pulumi:pulumi:Stack")) expect([r.name, r.parent]).toEqual([r.name, comp.urn]);
  });

  it("creates no DNS record without dnsZone", () => {
    expect(ofType(eu.res, "azure-native:dns:RecordSet")).toEqual([]);
    expect(eu.comp.dnsRecordFqdn).toBeUndefined();
  });
});

describe("StaticResources with a PFX, adopted names, a DNS zone, a given password and the package", () => {
  it("uses the existingStatic names instead of derived ones", () => {
    expect(inputs(one(adopted.res, "azure-native:keyvault:Vault", "static-kv")).vaultName).toBe("pexipeu-kv-ps1");
    expect(inputs(one(adopted.res, "azure-native:network:PublicIPAddress", "static-pip")).publicIpAddressName).toBe("pexipeu-ps1-pip");
    expect(inputs(one(adopted.res, "azure-native:storage:StorageAccount", "static-logs")).accountName).toBe("pexipeups1logs");
    // The PowerShell deployment had no package account: it is always created, with the derived name.
    const s = String(state(one(adopted.res, "random:index/randomString:RandomString", "static-suffix")).state.result);
    expect(inputs(one(adopted.res, "azure-native:storage:StorageAccount", "static-packages")).accountName).toBe(`pexipeupkg${s}`);
    // Adopting the logs account turns its shared keys off.
    expect(inputs(one(adopted.res, "azure-native:storage:StorageAccount", "static-logs")).allowSharedKeyAccess).toBe(false);
    expect(inputs(one(adopted.res, "azure-native:eventhub:Namespace", "static-evhns")).namespaceName).toBe("pexipeu-ps1-evh");
  });

  it("stores the PFX and its password in the VMSS secret format, secret, with the checked thumbprint", async () => {
    const secret = one(adopted.res, "azure-native:keyvault:Secret", "static-cert");
    expect(containsSecret(secret.inputs.properties)).toBe(true);
    const json = JSON.parse(Buffer.from(inputs(secret).properties.value, "base64").toString("utf8"));
    expect(json).toEqual({ data: "UEZYLWJ5dGVz", dataType: "pfx", password: "pfx-Passw0rd" });
    expect(await unwrap(adopted.comp.certificateThumbprint)).toBe(THUMB);
    expect(ofType(adopted.res, "tls:index/selfSignedCert:SelfSignedCert")).toEqual([]);
  });

  it("passes a given admin password through as a secret and stores none", async () => {
    expect(await unwrap(adopted.comp.adminPassword)).toBe("Given-Passw0rd!");
    expect(await isSecret(adopted.comp.adminPassword)).toBe(true);
    expect(ofType(adopted.res, "random:index/randomPassword:RandomPassword")).toEqual([]);
    expect(ofType(adopted.res, "azure-native:keyvault:Secret").map((r) => r.name).sort()).toEqual(["static-app-password-secret", "static-cert", "static-eventhub-secret"]);
    expect(adopted.comp.adminPasswordSecretUri).toBeUndefined();
  });

  it("creates the A record in the zone, pointing at the static IP", async () => {
    const rec = one(adopted.res, "azure-native:dns:RecordSet", "static-dns");
    const ip = state(one(adopted.res, "azure-native:network:PublicIPAddress", "static-pip")).state.ipAddress;
    expect(inputs(rec)).toEqual({ resourceGroupName: "dns-RG", zoneName: "teams.example.com", relativeRecordSetName: "pexip-teamsconn-eu", recordType: "A", ttl: 300, aRecords: [{ ipv4Address: ip }] });
    expect(await unwrap(adopted.comp.dnsRecordFqdn!)).toBe(FQDN);
  });

  it("protects nothing when protect is false", () => {
    expect(adopted.res.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
  });
});

describe("StaticResources without enhancedStatus", () => {
  it("creates no Event Hub and no connection string", () => {
    expect(noEvh.res.filter((r) => r.type.startsWith("azure-native:eventhub:")).map((r) => r.name)).toEqual([]);
    expect(noEvh.comp.eventHubConnectionString).toBeUndefined();
  });

  it("keeps the logical names of everything else (no replacement when the flag flips)", () => {
    const eventHubOnly = (x: Registration) => x.type.startsWith("azure-native:eventhub:") || /^static-(eventhub-secret|role-kv-secrets-user-eventhub)$/.test(x.name);
    const names = (r: Run) => r.res.filter((x) => !eventHubOnly(x)).map((x) => x.urn).sort();
    expect(names(noEvh)).toEqual(names(eu));
  });
});

describe("secrets", () => {
  it("sends the certificate, the generated password, the app password and the Event Hub connection string to Key Vault only inside secret-marked inputs", () => {
    for (const r of ofType(eu.res, "azure-native:keyvault:Secret")) expect([r.name, containsSecret(r.inputs)]).toEqual([r.name, true]);
    // No plain resource input carries the password or the PFX.
    expect(secretInputs(one(eu.res, "azure-native:storage:StorageAccount", "static-logs"))).toEqual([]);
    expect(secretInputs(one(eu.res, "azure-native:storage:StorageAccount", "static-packages"))).toEqual([]);
  });
});
