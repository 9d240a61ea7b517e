/**
 * The pack's other policies, awsguard style: one happy-path resource per type that passes every policy, then one
 * property changed per case, asserting the exact violation (policy, level, message) or none.
 */
import { Policies } from "@pulumi/policy";
import {
  vmssAdminPasswordFromSecret, vmssEncryptionAtHost, vmssNoOverprovisioning, vmssNsgAttached, vmssRollingUpgrades,
} from "../policy/compute";
import { eventHubMinTls12 } from "../policy/eventhub";
import { keyVaultNetworkDefaultDeny, keyVaultPurgeProtection, keyVaultRbacAuthorization, keyVaultSoftDelete } from "../policy/keyvault";
import { loadBalancerStandardSku, publicIpStandardSku } from "../policy/network";
import { policies } from "../policy/policies";
import { PolicyResource, PolicyRunConfig, runPolicySet } from "../policy/runner";
import { storageHttpsOnly, storageMinTls12, storageNoPublicBlobAccess, storageSharedKeyDisabled } from "../policy/storage";
import { requiredTags } from "../policy/tags";
import { webAppAccessRestrictions, webAppFtpsDisabled, webAppHttpsOnly, webAppMinTls12 } from "../policy/web";
import { withPath } from "./harness";

const SUB = "/subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/pexip-TeamsConn-eu-RG/providers";
const NSG_ID = `${SUB}/Microsoft.Network/networkSecurityGroups/pexip-TeamsConn-eu-NSG`;
const SUBNET_ID = `${SUB}/Microsoft.Network/virtualNetworks/pexip-TeamsConn-eu-VNET/subnets/connector`;
const TAGS = { ResourceOwner: "user@domain", CostCenter: "Video Services" };
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:c2FsdA==:ZW5jcnlwdGVk" };

type Inputs = Record<string, unknown>;

const vault = (): Inputs => ({
  vaultName: "pexip-TCkv-eu", resourceGroupName: "pexip-TeamsConn-eu-static-RG", location: "westeurope", tags: { ...TAGS },
  properties: {
    tenantId: "11111111-2222-3333-4444-555555555555", sku: { family: "A", name: "standard" }, enableSoftDelete: true, enablePurgeProtection: true,
    enableRbacAuthorization: true, accessPolicies: [], networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
  },
});
const storageAccount = (): Inputs => ({
  accountName: "pexiptcsteu", kind: "StorageV2", sku: { name: "Standard_LRS" }, tags: { ...TAGS },
  minimumTlsVersion: "TLS1_2", enableHttpsTrafficOnly: true, allowBlobPublicAccess: false, allowSharedKeyAccess: false,
});
const webApp = (): Inputs => ({
  name: "pexip-pexip-cvi-abcde", httpsOnly: true, tags: { ...TAGS },
  siteConfig: {
    minTlsVersion: "1.2", ftpsState: "Disabled", ipSecurityRestrictionsDefaultAction: "Deny",
    ipSecurityRestrictions: [{ name: "consent-0", ipAddress: "203.0.113.0/24", action: "Allow", priority: 100 }],
  },
});
const scaleSet = (): Inputs => ({
  vmScaleSetName: "pexip-TeamsConn-eu-VMSS", overprovision: false, upgradePolicy: { mode: "Rolling" }, tags: { ...TAGS },
  sku: { name: "Standard_F4s", capacity: 3 },
  virtualMachineProfile: {
    securityProfile: { encryptionAtHost: true },
    osProfile: { computerNamePrefix: "pexip", adminUsername: "pexadmin", adminPassword: "[secret]" },
    networkProfile: {
      networkInterfaceConfigurations: [{
        name: "nic", primary: true, networkSecurityGroup: { id: NSG_ID },
        ipConfigurations: [{ name: "ipconfig", subnet: { id: SUBNET_ID }, publicIPAddressConfiguration: { name: "instance-ip", sku: { name: "Standard", tier: "Regional" } } }],
      }],
    },
  },
});
const eventHubNamespace = (): Inputs => ({ namespaceName: "pexip-TCeh-eu", sku: { name: "Standard" }, minimumTlsVersion: "1.2", tags: { ...TAGS } });
const loadBalancer = (): Inputs => ({ loadBalancerName: "pexip-TeamsConn-eu-LB", sku: { name: "Standard" }, tags: { ...TAGS } });
const publicIp = (): Inputs => ({ publicIpAddressName: "pexip-TCpip-eu", sku: { name: "Standard" }, publicIPAllocationMethod: "Static", tags: { ...TAGS } });

const TYPES = {
  vault: "azure-native:keyvault:Vault",
  storage: "azure-native:storage:StorageAccount",
  web: "azure-native:web:WebApp",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
  eventhub: "azure-native:eventhub:Namespace",
  lb: "azure-native:network:LoadBalancer",
  pip: "azure-native:network:PublicIPAddress",
};

const change = (obj: Inputs, path: string, value: unknown): Inputs => withPath(obj, path, value);

const resource = (type: string, inputs: Inputs, name = "res"): PolicyResource => ({ type, name, urn: `urn:pulumi:eu::pexip-teams-connector::${type}::${name}`, inputs });

async function check(policy: Policies[number], res: PolicyResource | PolicyResource[], config: PolicyRunConfig = {}) {
  return runPolicySet([policy], Array.isArray(res) ? res : [res], config);
}

/** [case, path, value, expected message or null]. */
type Case = [string, string, unknown, string | null];

function suite(policy: Policies[number], level: "mandatory" | "advisory", type: string, happy: () => Inputs, cases: Case[], config: PolicyRunConfig = {}) {
  describe(`${policy.name} (${level})`, () => {
    test("happy path passes", async () => {
      expect((await check(policy, resource(type, happy()), config)).violations).toEqual([]);
    });
    test.each(cases)("%s", async (_name, path, value, expected) => {
      const res = resource(type, change(happy(), path, value));
      const { violations } = await check(policy, res, config);
      expect(violations).toEqual(expected === null ? [] : [{ policy: policy.name, enforcementLevel: level, urn: res.urn, name: "res", type, message: expected }]);
    });
  });
}

suite(keyVaultSoftDelete, "advisory", TYPES.vault, vault, [
  ["enableSoftDelete false fails", "properties.enableSoftDelete", false, "properties.enableSoftDelete is false; remove it or set it to true so a deleted vault can be recovered."],
  ["enableSoftDelete unset passes (Azure enables it)", "properties.enableSoftDelete", undefined, null],
]);
suite(keyVaultPurgeProtection, "advisory", TYPES.vault, vault, [
  ["enablePurgeProtection false fails", "properties.enablePurgeProtection", false, "properties.enablePurgeProtection is false; set it to true so nobody can purge the vault or its keys before the retention period ends."],
  ["enablePurgeProtection unset fails", "properties.enablePurgeProtection", undefined, "properties.enablePurgeProtection is not set; set it to true so nobody can purge the vault or its keys before the retention period ends."],
]);
suite(keyVaultRbacAuthorization, "advisory", TYPES.vault, vault, [
  ["enableRbacAuthorization false fails", "properties.enableRbacAuthorization", false, "properties.enableRbacAuthorization is false; set it to true and grant access with role assignments."],
  ["enableRbacAuthorization unset fails", "properties.enableRbacAuthorization", undefined, "properties.enableRbacAuthorization is not set; set it to true and grant access with role assignments."],
]);
suite(keyVaultNetworkDefaultDeny, "advisory", TYPES.vault, vault, [
  ["defaultAction Allow fails", "properties.networkAcls.defaultAction", "Allow", 'properties.networkAcls.defaultAction is "Allow" (Azure\'s default is Allow); set it to "Deny" with the bypasses the stack needs.'],
  ["networkAcls unset fails", "properties.networkAcls", undefined, 'properties.networkAcls.defaultAction is not set (Azure\'s default is Allow); set it to "Deny" with the bypasses the stack needs.'],
  ["defaultAction deny (lower case) passes", "properties.networkAcls.defaultAction", "deny", null],
  ["publicNetworkAccess Disabled passes without ACLs", "properties", { ...(vault().properties as Inputs), networkAcls: undefined, publicNetworkAccess: "Disabled" }, null],
]);

suite(storageMinTls12, "advisory", TYPES.storage, storageAccount, [
  ["TLS1_0 fails", "minimumTlsVersion", "TLS1_0", 'minimumTlsVersion is "TLS1_0" (unset means TLS 1.0); set it to "TLS1_2".'],
  ["TLS1_1 fails", "minimumTlsVersion", "TLS1_1", 'minimumTlsVersion is "TLS1_1" (unset means TLS 1.0); set it to "TLS1_2".'],
  ["unset fails", "minimumTlsVersion", undefined, 'minimumTlsVersion is not set (unset means TLS 1.0); set it to "TLS1_2".'],
  ["TLS1_3 passes", "minimumTlsVersion", "TLS1_3", null],
]);
suite(storageHttpsOnly, "mandatory", TYPES.storage, storageAccount, [
  ["enableHttpsTrafficOnly false fails", "enableHttpsTrafficOnly", false, "enableHttpsTrafficOnly is false; remove it or set it to true."],
  ["unset passes (true since API 2019-04-01)", "enableHttpsTrafficOnly", undefined, null],
]);
suite(storageNoPublicBlobAccess, "mandatory", TYPES.storage, storageAccount, [
  ["allowBlobPublicAccess true fails", "allowBlobPublicAccess", true, "allowBlobPublicAccess is true; set it to false so no container can be made public."],
  ["unset passes (the API reads it as false)", "allowBlobPublicAccess", undefined, null],
]);
suite(storageSharedKeyDisabled, "advisory", TYPES.storage, storageAccount, [
  ["allowSharedKeyAccess true fails", "allowSharedKeyAccess", true, "allowSharedKeyAccess is true (unset means allowed); set it to false and use the managed identity with RBAC."],
  ["unset fails", "allowSharedKeyAccess", undefined, "allowSharedKeyAccess is not set (unset means allowed); set it to false and use the managed identity with RBAC."],
]);

suite(webAppHttpsOnly, "mandatory", TYPES.web, webApp, [
  ["httpsOnly false fails", "httpsOnly", false, "httpsOnly is false (Azure's default is false); set it to true."],
  ["httpsOnly unset fails", "httpsOnly", undefined, "httpsOnly is not set (Azure's default is false); set it to true."],
]);
suite(webAppMinTls12, "advisory", TYPES.web, webApp, [
  ["minTlsVersion 1.0 fails", "siteConfig.minTlsVersion", "1.0", 'siteConfig.minTlsVersion is "1.0"; set it to "1.2".'],
  ["minTlsVersion 1.1 fails", "siteConfig.minTlsVersion", "1.1", 'siteConfig.minTlsVersion is "1.1"; set it to "1.2".'],
  ["minTlsVersion unset fails", "siteConfig.minTlsVersion", undefined, 'siteConfig.minTlsVersion is not set; set it to "1.2".'],
  ["no siteConfig at all fails", "siteConfig", undefined, 'siteConfig.minTlsVersion is not set; set it to "1.2".'],
  ["minTlsVersion 1.3 passes", "siteConfig.minTlsVersion", "1.3", null],
]);
suite(webAppFtpsDisabled, "advisory", TYPES.web, webApp, [
  ["ftpsState AllAllowed fails", "siteConfig.ftpsState", "AllAllowed", 'siteConfig.ftpsState is "AllAllowed" (Azure\'s default allows FTP); set it to "Disabled".'],
  ["ftpsState FtpsOnly fails", "siteConfig.ftpsState", "FtpsOnly", 'siteConfig.ftpsState is "FtpsOnly" (Azure\'s default allows FTP); set it to "Disabled".'],
  ["ftpsState unset fails", "siteConfig.ftpsState", undefined, 'siteConfig.ftpsState is not set (Azure\'s default allows FTP); set it to "Disabled".'],
  ["ftpsState disabled (lower case) passes", "siteConfig.ftpsState", "disabled", null],
]);
suite(webAppAccessRestrictions, "advisory", TYPES.web, webApp, [
  ["no restrictions fails", "siteConfig.ipSecurityRestrictions", undefined, 'siteConfig.ipSecurityRestrictions does not allow "203.0.113.0/24"; add an Allow rule for each consentSourcePrefixes entry.'],
  ["a restriction for another prefix fails", "siteConfig.ipSecurityRestrictions", [{ ipAddress: "198.51.100.0/24", action: "Allow" }], 'siteConfig.ipSecurityRestrictions does not allow "203.0.113.0/24"; add an Allow rule for each consentSourcePrefixes entry.'],
  ["a Deny rule for the prefix fails", "siteConfig.ipSecurityRestrictions", [{ ipAddress: "203.0.113.0/24", action: "Deny" }], 'siteConfig.ipSecurityRestrictions does not allow "203.0.113.0/24"; add an Allow rule for each consentSourcePrefixes entry.'],
  ["an extra Allow Any fails", "siteConfig.ipSecurityRestrictions", [{ ipAddress: "203.0.113.0/24", action: "Allow" }, { ipAddress: "Any", action: "Allow" }], 'siteConfig.ipSecurityRestrictions allows "Any", which is the whole internet.'],
  ["default action Allow fails", "siteConfig.ipSecurityRestrictionsDefaultAction", "Allow", 'siteConfig.ipSecurityRestrictionsDefaultAction is "Allow"; set it to "Deny".'],
  ["a rule without action (Allow) passes", "siteConfig.ipSecurityRestrictions", [{ ipAddress: "203.0.113.0/24" }], null],
], { consentSourcePrefixes: ["203.0.113.0/24"] });

describe("webapp-access-restrictions without configured prefixes", () => {
  test("a public consent page (no consentSourcePrefixes) passes without restrictions", async () => {
    const res = resource(TYPES.web, change(webApp(), "siteConfig.ipSecurityRestrictions", undefined));
    expect((await check(webAppAccessRestrictions, res)).violations).toEqual([]);
  });
  test("a bare address in the config matches its /32 rule", async () => {
    const res = resource(TYPES.web, change(webApp(), "siteConfig.ipSecurityRestrictions", [{ ipAddress: "198.51.100.7/32", action: "Allow" }]));
    expect((await check(webAppAccessRestrictions, res, { consentSourcePrefixes: ["198.51.100.7"] })).violations).toEqual([]);
  });
});

suite(vmssEncryptionAtHost, "advisory", TYPES.vmss, scaleSet, [
  ["encryptionAtHost false fails", "virtualMachineProfile.securityProfile.encryptionAtHost", false, "virtualMachineProfile.securityProfile.encryptionAtHost is false; set it to true."],
  ["encryptionAtHost unset fails", "virtualMachineProfile.securityProfile", undefined, "virtualMachineProfile.securityProfile.encryptionAtHost is not set; set it to true."],
  ["a profile only known as ciphertext is not checked", "virtualMachineProfile", "[secret]", null],
]);
suite(vmssNoOverprovisioning, "advisory", TYPES.vmss, scaleSet, [
  ["overprovision true fails", "overprovision", true, "overprovision is true (Azure's default is true); set it to false."],
  ["overprovision unset fails", "overprovision", undefined, "overprovision is not set (Azure's default is true); set it to false."],
]);
suite(vmssRollingUpgrades, "advisory", TYPES.vmss, scaleSet, [
  ["mode Manual fails", "upgradePolicy.mode", "Manual", 'upgradePolicy.mode is "Manual"; set it to "Rolling".'],
  ["mode Automatic fails", "upgradePolicy.mode", "Automatic", 'upgradePolicy.mode is "Automatic"; set it to "Rolling".'],
  ["no upgradePolicy fails", "upgradePolicy", undefined, 'upgradePolicy.mode is not set; set it to "Rolling".'],
  ["mode rolling (lower case) passes", "upgradePolicy.mode", "rolling", null],
]);
suite(vmssAdminPasswordFromSecret, "mandatory", TYPES.vmss, scaleSet, [
  ["a plaintext password fails", "virtualMachineProfile.osProfile.adminPassword", "Pexip-Admin-2026!", "virtualMachineProfile.osProfile.adminPassword is plaintext; pass it as a secret (pulumi config set --secret adminPassword, or leave it unset to generate one)."],
  ["a number fails", "virtualMachineProfile.osProfile.adminPassword", 12345678, "virtualMachineProfile.osProfile.adminPassword is number, not a secret string."],
  ["a stack export's ciphertext passes", "virtualMachineProfile.osProfile.adminPassword", SECRET, null],
  ["a whole profile as ciphertext is not checked", "virtualMachineProfile", SECRET, null],
  ["no password (e.g. Azure's outputs) passes", "virtualMachineProfile.osProfile.adminPassword", undefined, null],
]);
suite(eventHubMinTls12, "advisory", TYPES.eventhub, eventHubNamespace, [
  ["minimumTlsVersion 1.0 fails", "minimumTlsVersion", "1.0", 'minimumTlsVersion is "1.0"; set it to "1.2".'],
  ["minimumTlsVersion 1.1 fails", "minimumTlsVersion", "1.1", 'minimumTlsVersion is "1.1"; set it to "1.2".'],
  ["minimumTlsVersion unset fails", "minimumTlsVersion", undefined, 'minimumTlsVersion is not set; set it to "1.2".'],
]);
suite(loadBalancerStandardSku, "advisory", TYPES.lb, loadBalancer, [
  ["Basic fails", "sku.name", "Basic", 'sku.name is "Basic"; set it to "Standard" (Basic load balancers are retired).'],
  ["no sku fails", "sku", undefined, 'sku.name is not set; set it to "Standard" (Basic load balancers are retired).'],
  ["standard (lower case) passes", "sku.name", "standard", null],
]);
suite(publicIpStandardSku, "advisory", TYPES.pip, publicIp, [
  ["Basic fails", "sku.name", "Basic", 'sku.name is "Basic"; set it to "Standard" (Basic public IPs are retired).'],
  ["no sku fails", "sku", undefined, 'sku.name is not set; set it to "Standard" (Basic public IPs are retired).'],
]);
suite(publicIpStandardSku, "advisory", TYPES.vmss, scaleSet, [
  ["a Basic instance IP fails", "virtualMachineProfile.networkProfile.networkInterfaceConfigurations",
    [{ name: "nic", ipConfigurations: [{ name: "ipconfig", publicIPAddressConfiguration: { name: "instance-ip", sku: { name: "Basic" } } }] }],
    'The instance public IP of NIC "nic", IP configuration "ipconfig" has sku.name "Basic"; set it to "Standard".'],
  ["an instance IP without sku in Uniform mode passes (it takes the load balancer's SKU)", "virtualMachineProfile.networkProfile.networkInterfaceConfigurations",
    [{ name: "nic", ipConfigurations: [{ name: "ipconfig", publicIPAddressConfiguration: { name: "instance-ip" } }] }], null],
  ["Flexible orchestration with Standard instance IPs passes", "orchestrationMode", "Flexible", null],
  ["no instance IPs passes", "virtualMachineProfile.networkProfile.networkInterfaceConfigurations", [{ name: "nic", ipConfigurations: [{ name: "ipconfig" }] }], null],
]);

describe("public-ip-standard-sku on a Flexible scale set", () => {
  test("an instance IP without sku fails (Flexible mode takes one, and defaults differ)", async () => {
    const noSku = change(scaleSet(), "virtualMachineProfile.networkProfile.networkInterfaceConfigurations.0.ipConfigurations.0.publicIPAddressConfiguration.sku", undefined);
    const res = resource(TYPES.vmss, change(noSku, "orchestrationMode", "Flexible"));
    expect((await check(publicIpStandardSku, res)).violations).toEqual([{
      policy: "public-ip-standard-sku", enforcementLevel: "advisory", urn: res.urn, name: "res", type: TYPES.vmss,
      message: 'The instance public IP of NIC "nic", IP configuration "ipconfig" has sku.name not set; set it to "Standard".',
    }]);
  });
});

describe("vmss-admin-password-from-secret under the engine", () => {
  test("is not applicable when secrets are not marked (as under pulumi preview), even for plaintext", async () => {
    const res = resource(TYPES.vmss, change(scaleSet(), "virtualMachineProfile.osProfile.adminPassword", "Pexip-Admin-2026!"));
    const run = await check(vmssAdminPasswordFromSecret, res, { secretsMarked: false });
    expect(run.violations).toEqual([]);
    expect(run.notApplicable).toEqual([{
      policy: "vmss-admin-password-from-secret", urn: res.urn, name: "res", type: TYPES.vmss,
      reason: "the engine unwraps secrets before policies run; `npm run plan` and `npm run policy` check this",
    }]);
  });
});

describe("required-tags", () => {
  const config = { requiredTags: ["CostCenter", "ResourceOwner"] };
  const cases: [string, string, Inputs | undefined, string | null][] = [
    ["all tags present passes", TYPES.storage, { ...TAGS }, null],
    ["one tag missing fails", TYPES.storage, { ResourceOwner: "user@domain" }, "Missing required tag: CostCenter."],
    ["no tags fail, listed sorted", TYPES.vault, undefined, "Missing required tags: CostCenter, ResourceOwner."],
    ["tag names compare case-insensitively, as Azure's do", TYPES.pip, { costcenter: "x", RESOURCEOWNER: "y" }, null],
    ["a resource group is checked", "azure-native:resources:ResourceGroup", {}, "Missing required tags: CostCenter, ResourceOwner."],
    ["an untracked type without tags is skipped", "azure-native:network:SecurityRule", undefined, null],
    ["an untracked type that sets tags is checked", "azure-native:operationalinsights:Workspace", { CostCenter: "x" }, "Missing required tag: ResourceOwner."],
    ["a component is skipped", "pexip:teams:StaticResources", undefined, null],
  ];
  test.each(cases)("%s", async (_name, type, tags, expected) => {
    const res = resource(type, tags === undefined ? { name: "x" } : { name: "x", tags });
    const { violations } = await check(requiredTags, res, config);
    expect(violations).toEqual(expected === null ? [] : [{ policy: "required-tags", enforcementLevel: "advisory", urn: res.urn, name: "res", type, message: expected }]);
  });
  test("without required tags configured nothing is required, and the run says so", async () => {
    const run = await check(requiredTags, resource(TYPES.storage, { name: "x" }));
    expect(run.violations).toEqual([]);
    expect(run.notApplicable.map((n) => n.reason)).toEqual(["no required tags configured"]);
  });
});

describe("vmss-nsg-attached (stack policy)", () => {
  const vnet = (subnetNsg: boolean) =>
    resource("azure-native:network:VirtualNetwork", {
      virtualNetworkName: "pexip-TeamsConn-eu-VNET",
      subnets: [{ name: "connector", addressPrefix: "10.0.0.0/24", ...(subnetNsg ? { networkSecurityGroup: { id: NSG_ID } } : {}) }],
    }, "vnet");
  const standaloneSubnet = (nsg: boolean) =>
    resource("azure-native:network:Subnet", { virtualNetworkName: "pexip-TeamsConn-eu-VNET", subnetName: "connector", ...(nsg ? { networkSecurityGroup: { id: NSG_ID } } : {}) }, "subnet");
  const noNicNsg = change(scaleSet(), "virtualMachineProfile.networkProfile.networkInterfaceConfigurations.0.networkSecurityGroup", undefined);
  const vmssUrn = resource(TYPES.vmss, {}).urn;
  const bare = (msg: string) => [{ policy: "vmss-nsg-attached", enforcementLevel: "advisory", urn: vmssUrn, name: "res", type: TYPES.vmss, message: msg }];

  test("NSG on the NICs passes (happy path)", async () => {
    expect((await check(vmssNsgAttached, [vnet(false), resource(TYPES.vmss, scaleSet())])).violations).toEqual([]);
  });
  test("NSG only on the subnet, inline in the VNet, passes", async () => {
    expect((await check(vmssNsgAttached, [vnet(true), resource(TYPES.vmss, noNicNsg)])).violations).toEqual([]);
  });
  test("NSG only on a standalone Subnet passes", async () => {
    expect((await check(vmssNsgAttached, [standaloneSubnet(true), resource(TYPES.vmss, noNicNsg)])).violations).toEqual([]);
  });
  test("no NSG on the NIC nor on the subnet fails", async () => {
    expect((await check(vmssNsgAttached, [vnet(false), resource(TYPES.vmss, noNicNsg)])).violations).toEqual(
      bare('Scale set "res", NIC "nic": no NSG on the NIC nor on subnet "pexip-teamsconn-eu-vnet/connector".'),
    );
  });
  test("a subnet outside the stack without a NIC NSG fails and says so", async () => {
    expect((await check(vmssNsgAttached, [resource(TYPES.vmss, noNicNsg)])).violations).toEqual(
      bare('Scale set "res", NIC "nic": no NSG on the NIC nor on subnet "pexip-teamsconn-eu-vnet/connector" (not in this stack).'),
    );
  });
  test("a scale set without network interfaces fails", async () => {
    const res = resource(TYPES.vmss, change(scaleSet(), "virtualMachineProfile.networkProfile", undefined));
    expect((await check(vmssNsgAttached, [res])).violations).toEqual(bare('Scale set "res" has no network interface configurations, so no NSG filters its traffic.'));
  });
  test("a scale set whose profile is ciphertext is not judged", async () => {
    expect((await check(vmssNsgAttached, [resource(TYPES.vmss, change(scaleSet(), "virtualMachineProfile", SECRET))])).violations).toEqual([]);
  });
});

describe("the whole pack on the happy-path resources", () => {
  test("no violation at all with the stack's tags required", async () => {
    const all = [
      resource(TYPES.vault, vault(), "kv"), resource(TYPES.storage, storageAccount(), "sa"), resource(TYPES.web, webApp(), "web"),
      resource(TYPES.vmss, scaleSet(), "vmss"), resource(TYPES.eventhub, eventHubNamespace(), "eh"), resource(TYPES.lb, loadBalancer(), "lb"),
      resource(TYPES.pip, publicIp(), "pip"),
    ];
    const run = await runPolicySet(policies, all, { requiredTags: Object.keys(TAGS), consentSourcePrefixes: ["203.0.113.0/24"] });
    expect(run.violations).toEqual([]);
  });
});
