/**
 * The policies that stand in for Azure's deployment-time rules offline, awsguard style: a happy-path resource, then
 * one property changed per case, asserting the exact violation (all mandatory: each breach fails in Azure).
 */
import { Policies } from "@pulumi/policy";
import { vmssRollingUpgradeThresholds, vmssSizeCapabilities } from "../policy/compute";
import { keyVaultAccessPoliciesExplicit, vmssCertificateSecretFormat } from "../policy/keyvault";
import { grantOrderingProblems, grantsBeforeUse, OrderedResource } from "../policy/ordering";
import { PolicyResource, runPolicySet } from "../policy/runner";
import { storageLifecycleRuleNames } from "../policy/storage";
import { tagsAzureLimits } from "../policy/tags";
import { PROPAGATION_WAIT_TYPE } from "../components/propagationWait";
import { withPath } from "./harness";

type Inputs = Record<string, unknown>;
const URN = (type: string, name: string) => `urn:pulumi:eu::pexip-teams-connector::${type}::${name}`;
const resource = (type: string, inputs: Inputs, name = "res"): PolicyResource => ({ type, name, urn: URN(type, name), inputs });
const run = async (policy: Policies[number], res: PolicyResource[]) => (await runPolicySet([policy], res)).violations.map((v) => [v.policy, v.enforcementLevel, v.name, v.message]);

const change = (obj: Inputs, path: string, value: unknown): Inputs => withPath(obj, path, value);

const T = {
  vault: "azure-native:keyvault:Vault",
  secret: "azure-native:keyvault:Secret",
  policy: "azure-native:storage:ManagementPolicy",
  storage: "azure-native:storage:StorageAccount",
  rg: "azure-native:resources:ResourceGroup",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
};

const vault = (): Inputs => ({ vaultName: "pexipeu-kvabcde", properties: { enableRbacAuthorization: true, accessPolicies: [] } });
const lifecycle = (): Inputs => ({ managementPolicyName: "default", policy: { rules: [{ name: "deleteLogsAfter30Days", enabled: true, type: "Lifecycle" }] } });
const scaleSet = (): Inputs => ({
  sku: { name: "Standard_F4s", capacity: 3 },
  upgradePolicy: { mode: "Rolling", rollingUpgradePolicy: { maxBatchInstancePercent: 33, maxUnhealthyInstancePercent: 67 } },
  virtualMachineProfile: {
    securityProfile: { encryptionAtHost: true },
    storageProfile: {
      imageReference: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter", version: "latest" },
      osDisk: { managedDisk: { storageAccountType: "Premium_LRS" } },
    },
    networkProfile: { networkInterfaceConfigurations: [{ name: "nic", enableAcceleratedNetworking: true }] },
    osProfile: { secrets: [{ sourceVault: { id: "/kv" }, vaultCertificates: [{ certificateUrl: "https://pexipeu-kvabcde.vault.azure.net/secrets/connector-certificate/0123", certificateStore: "My" }] }] },
  },
});

describe("keyvault-access-policies-explicit", () => {
  test.each([
    ["[] with RBAC passes", "properties.accessPolicies", [], []],
    ["unset fails (the API requires it; pulumi-azure-native#1478)", "properties.accessPolicies", undefined,
      [["keyvault-access-policies-explicit", "mandatory", "res", "properties.accessPolicies is not set; set it (an empty list [] when enableRbacAuthorization is true)."]]],
    ["entries with RBAC fail (ignored)", "properties.accessPolicies", [{ objectId: "x" }],
      [["keyvault-access-policies-explicit", "mandatory", "res", "properties.accessPolicies has 1 entries, which RBAC authorization ignores; set it to []."]]],
    ["a recovered vault needs none", "properties", { createMode: "recover" }, []],
  ])("%s", async (_n, path, value, expected) => {
    expect(await run(keyVaultAccessPoliciesExplicit, [resource(T.vault, change(vault(), path, value))])).toEqual(expected);
  });
});

describe("storage-lifecycle-rule-names", () => {
  test.each([
    ["letters and digits pass", "deleteLogsAfter30Days", []],
    ["hyphens fail (the program's old name)", "delete-logs-after-30-days",
      [["storage-lifecycle-rule-names", "mandatory", "res", 'policy.rules[].name "delete-logs-after-30-days" must be letters and digits only (the storage API\'s rule for lifecycle rule names).']]],
    ["underscores fail", "delete_logs", [["storage-lifecycle-rule-names", "mandatory", "res", 'policy.rules[].name "delete_logs" must be letters and digits only (the storage API\'s rule for lifecycle rule names).']]],
  ])("%s", async (_n, name, expected) => {
    expect(await run(storageLifecycleRuleNames, [resource(T.policy, change(lifecycle(), "policy.rules", [{ name }]))])).toEqual(expected);
  });
});

describe("tags-azure-limits", () => {
  const long = "n".repeat(129);
  test("a 129-character name fails on a storage account and passes on a resource group", async () => {
    expect(await run(tagsAzureLimits, [resource(T.storage, { tags: { [long]: "v" } }, "sa"), resource(T.rg, { tags: { [long]: "v" } }, "rg")])).toEqual([
      ["tags-azure-limits", "mandatory", "sa", `tags.${long}: tag names must be at most 128 characters (StorageAccount); this one has 129.`],
    ]);
  });
  test("a scale set over 2048 characters of tags fails; the same tags on a vault pass", async () => {
    const tags = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`name${i}`, "v".repeat(250)]));
    expect(await run(tagsAzureLimits, [resource(T.vmss, { tags }, "vmss"), resource(T.vault, { tags }, "kv")])).toEqual([
      ["tags-azure-limits", "mandatory", "vmss", "tags: tag names and values together must be at most 2048 characters on VirtualMachineScaleSet (these have 2295)."],
    ]);
  });
});

describe("vmss-size-capabilities", () => {
  test.each([
    ["the shipped Standard_F4s with a Gen1 image passes", "sku.name", "Standard_F4s", []],
    ["a Gen2 image on Standard_F4s fails", "virtualMachineProfile.storageProfile.imageReference.sku", "2022-datacenter-g2",
      [["vmss-size-capabilities", "mandatory", "res", 'sku.name "Standard_F4s": Standard_F4s does not run Hyper-V generation 2 images (sku 2022-datacenter-g2).']]],
    ["Standard_F4s without accelerated networking passes (supported, not required)", "virtualMachineProfile.networkProfile.networkInterfaceConfigurations", [{ name: "nic", enableAcceleratedNetworking: false }], []],
    ["encryption at host and Premium SSD on Standard_F4s pass", "virtualMachineProfile.securityProfile.encryptionAtHost", true, []],
  ])("%s", async (_n, path, value, expected) => {
    expect(await run(vmssSizeCapabilities, [resource(T.vmss, change(scaleSet(), path, value))])).toEqual(expected);
  });
  test("size-specific breaches", async () => {
    const d4 = change(change(scaleSet(), "sku.name", "Standard_D4s_v5"), "virtualMachineProfile.networkProfile.networkInterfaceConfigurations", [{ name: "nic", enableAcceleratedNetworking: false }]);
    expect(await run(vmssSizeCapabilities, [resource(T.vmss, d4)])).toEqual([
      ["vmss-size-capabilities", "mandatory", "res", 'sku.name "Standard_D4s_v5": Standard_D4s_v5 requires accelerated networking.'],
    ]);
    const outside = change(scaleSet(), "sku.name", "Standard_B4ms");
    expect(await run(vmssSizeCapabilities, [resource(T.vmss, outside)])).toEqual([
      ["vmss-size-capabilities", "mandatory", "res", 'sku.name "Standard_B4ms": accelerated networking is on for Standard_B4ms, a size outside the table of supported sizes.'],
    ]);
    const f8v2gen2 = change(change(scaleSet(), "sku.name", "Standard_F8s_v2"), "virtualMachineProfile.storageProfile.imageReference.sku", "2022-datacenter-g2");
    expect(await run(vmssSizeCapabilities, [resource(T.vmss, f8v2gen2)])).toEqual([]);
  });
});

describe("vmss-rolling-upgrade-thresholds", () => {
  test.each([
    ["3 instances at 33/67 pass", 3, 33, 67, []],
    ["3 instances at the old 33/33 fail: one unhealthy instance blocks every upgrade", 3, 33, 33,
      [["vmss-rolling-upgrade-thresholds", "mandatory", "res", "maxUnhealthyInstancePercent 33 tolerates 0 of 3 instances, but a batch of 1 plus one already unhealthy instance is 2: one unhealthy instance blocks every upgrade. Use at least 67."]]],
    ["7 instances at the old 14/14 fail", 7, 14, 14,
      [["vmss-rolling-upgrade-thresholds", "mandatory", "res", "maxUnhealthyInstancePercent 14 tolerates 0 of 7 instances, but a batch of 1 plus one already unhealthy instance is 2: one unhealthy instance blocks every upgrade. Use at least 29."]]],
    ["1 instance is not judged (nothing else can serve)", 1, 100, 100, []],
  ])("%s", async (_n, n, batch, unhealthy, expected) => {
    const v = change(change(scaleSet(), "sku.capacity", n), "upgradePolicy.rollingUpgradePolicy", { maxBatchInstancePercent: batch, maxUnhealthyInstancePercent: unhealthy });
    expect(await run(vmssRollingUpgradeThresholds, [resource(T.vmss, v)])).toEqual(expected);
  });
});

describe("vmss-certificate-secret-format (stack)", () => {
  const secret = (contentType?: string, name = "connector-certificate") => resource(T.secret, { secretName: name, properties: { value: "[secret]", ...(contentType ? { contentType } : {}) } }, `secret-${name}`);
  test("the JSON envelope without a content type passes", async () => {
    expect(await run(vmssCertificateSecretFormat, [resource(T.vmss, scaleSet(), "vmss"), secret()])).toEqual([]);
  });
  test("the envelope labelled application/x-pkcs12 (a raw PFX's content type) fails", async () => {
    expect(await run(vmssCertificateSecretFormat, [resource(T.vmss, scaleSet(), "vmss"), secret("application/x-pkcs12")])).toEqual([
      ["vmss-certificate-secret-format", "mandatory", "secret-connector-certificate", 'Secret "secret-connector-certificate" is installed by scale set "vmss" (osProfile.secrets) and labelled "application/x-pkcs12", the content type of a raw PFX; the program stores the JSON envelope: remove the content type.'],
    ]);
  });
  test("a PKCS#12 secret no scale set installs is not judged", async () => {
    expect(await run(vmssCertificateSecretFormat, [resource(T.vmss, scaleSet(), "vmss"), secret("application/x-pkcs12", "other")])).toEqual([]);
  });
});

describe("grants-before-use", () => {
  const r = (type: string, name: string, deps: string[] = []): OrderedResource => ({ type, name, urn: URN(type, name), dependencies: deps.map((d) => d) });
  const ID = "azure-native:managedidentity:UserAssignedIdentity";
  const RA = "azure-native:authorization:RoleAssignment";
  const WEB = "azure-native:web:WebApp";
  const id = r(ID, "id");
  const grant = r(RA, "grant", [id.urn]);
  const wait = r(PROPAGATION_WAIT_TYPE, "wait", [grant.urn]);

  test("a consumer after its identity's grant and a wait passes", () => {
    expect(grantOrderingProblems([id, grant, wait, r(WEB, "app", [id.urn, grant.urn, wait.urn])])).toEqual([]);
  });
  test("a wait that does not follow the grant does not count", () => {
    const early = r(PROPAGATION_WAIT_TYPE, "wait", []);
    expect(grantOrderingProblems([id, grant, early, r(WEB, "app", [id.urn, grant.urn, early.urn])]).map((p) => p.message)).toEqual([
      'app does not depend on a propagation wait after "grant" (pulumi-nodejs:dynamic/pexip:RolePropagationWait): a fresh grant takes minutes to reach the service.',
    ]);
  });
  test("through the pack: no dependency information (a file without it) is not applicable, not a pass", async () => {
    const res = [id, grant, wait, r(WEB, "app", [id.urn])].map((x) => ({ type: x.type, name: x.name, urn: x.urn, inputs: {} }));
    const out = await runPolicySet([grantsBeforeUse], res);
    expect(out.violations).toEqual([]);
    expect(out.notApplicable.map((n) => [n.policy, n.reason])).toEqual([
      ["grants-before-use", "no resource here carries dependencies (a file without them, e.g. a plan file older than its `dependencies` field), so the order of grants and their users is not judged"],
    ]);
  });
  test("through the pack: the resources' dependencies are judged, the consumer and its missing grant named", async () => {
    const res = [id, grant, wait, r(WEB, "app", [id.urn])].map((x) => ({ type: x.type, name: x.name, urn: x.urn, inputs: {}, dependencies: x.dependencies }));
    const out = await runPolicySet([grantsBeforeUse], res);
    expect(out.notApplicable).toEqual([]);
    expect(out.violations).toEqual([
      { policy: "grants-before-use", enforcementLevel: "mandatory", urn: URN(WEB, "app"), name: "app", type: WEB, message: 'app does not depend on a propagation wait after "grant" (pulumi-nodejs:dynamic/pexip:RolePropagationWait): a fresh grant takes minutes to reach the service.' },
      { policy: "grants-before-use", enforcementLevel: "mandatory", urn: URN(WEB, "app"), name: "app", type: WEB, message: 'app fetches its run-from-package ZIP with the identity at start (id) but does not depend on its role assignment "grant": add it to dependsOn.' },
    ]);
  });
});
