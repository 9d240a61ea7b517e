/**
 * Every policy applies to every API version of its type (issue 15): a resource typed
 * `azure-native:network/v20230501:NetworkSecurityGroup` must meet the same checks as
 * `azure-native:network:NetworkSecurityGroup`, offline here (policy/runner.ts) and under the CLI (policy.pack.test.ts).
 */
import { ResourceValidation } from "@pulumi/policy";
import { policies } from "../policy/policies";
import { PolicyResource, runPolicySet, Violation } from "../policy/runner";
import * as types from "../policy/types";

const RDP_ANY = { name: "RDP", priority: 1000, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "*", destinationPortRange: "3389" };
const SUBNET_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/connector";

/** One resource per checked type that breaks at least one policy. */
const BAD: Record<string, Record<string, unknown>> = {
  "azure-native:network:NetworkSecurityGroup": { securityRules: [RDP_ANY] },
  "azure-native:network:SecurityRule": { ...RDP_ANY },
  "azure-native:network:LoadBalancer": { sku: { name: "Basic" } },
  "azure-native:network:PublicIPAddress": { sku: { name: "Basic" } },
  "azure-native:compute:VirtualMachineScaleSet": {
    orchestrationMode: "Flexible",
    virtualMachineProfile: {
      osProfile: { adminUsername: "pexadmin", adminPassword: "Plaintext-Pw-1!" },
      networkProfile: { networkInterfaceConfigurations: [{ name: "nic", ipConfigurations: [{ name: "ip", subnet: { id: SUBNET_ID }, publicIPAddressConfiguration: { name: "pip", sku: { name: "Basic" } } }] }] },
    },
  },
  "azure-native:keyvault:Vault": { properties: { enableSoftDelete: false } },
  "azure-native:storage:StorageAccount": { allowBlobPublicAccess: true, enableHttpsTrafficOnly: false },
  "azure-native:web:WebApp": { httpsOnly: false, siteConfig: { ipSecurityRestrictions: [{ ipAddress: "AzureCloud", action: "Allow" }] } },
  "azure-native:eventhub:Namespace": { minimumTlsVersion: "1.0" },
  "azure-native:storage:ManagementPolicy": { policy: { rules: [{ name: "delete-logs" }] } },
};

const versioned = (type: string, version: string) => type.replace(/^azure-native:([^:]+):/, `azure-native:$1/${version}:`);

async function run(type: string, inputs: Record<string, unknown>): Promise<Omit<Violation, "type">[]> {
  const r: PolicyResource = { type, name: "r", urn: null, inputs };
  const { violations } = await runPolicySet(policies, [r], { requiredTags: ["CostCenter"], consentSourcePrefixes: ["203.0.113.0/24"] });
  return violations.map(({ type: _type, ...v }) => v);
}

describe("versioned type tokens", () => {
  test("the pack's types all have a bad example here", () => {
    const checked = Object.values(types).filter((v) => typeof v === "object").map((v) => (v as types.ResourceClass).__pulumiType);
    // These three are read only by stack-level policies (with the scale set that uses them): no single-resource violation.
    expect(checked.filter((t) => !(t in BAD)).sort()).toEqual(["azure-native:keyvault:Secret", "azure-native:network:Subnet", "azure-native:network:VirtualNetwork"]);
  });

  test("no validation is tagged with an exact type (the analyzer server would skip every other version)", () => {
    const tagged = policies.flatMap((p) => {
      const v = (p as { validateResource?: ResourceValidation | ResourceValidation[] }).validateResource;
      return (Array.isArray(v) ? v : v ? [v] : []).filter((fn) => (fn as { __pulumiType?: string }).__pulumiType !== undefined).map(() => p.name);
    });
    expect(tagged).toEqual([]);
  });

  test.each(Object.keys(BAD).flatMap((t) => ["v20230501", "v20240301preview", "v20180601privatepreview"].map((v) => [t, v])))(
    "%s as %s gets the same violations",
    async (type, version) => {
      const plain = await run(type, BAD[type]);
      expect(plain.length).toBeGreaterThan(0);
      expect(await run(versioned(type, version), BAD[type])).toEqual(plain);
    },
  );

  test("stack level: a versioned VirtualNetwork's subnet NSG counts for a versioned scale set", async () => {
    const vmss = (type: string): PolicyResource => ({ type, name: "vmss", urn: "urn:x::vmss", inputs: { virtualMachineProfile: BAD["azure-native:compute:VirtualMachineScaleSet"].virtualMachineProfile } });
    const vnet = (type: string): PolicyResource => ({ type, name: "vnet", urn: "urn:x::vnet", inputs: { virtualNetworkName: "vnet", subnets: [{ name: "connector", networkSecurityGroup: { id: "/nsg" } }] } });
    const attached = async (rs: PolicyResource[]) => (await runPolicySet(policies, rs)).violations.filter((v) => v.policy === "vmss-nsg-attached").map((v) => v.message);
    expect(await attached([vmss("azure-native:compute:VirtualMachineScaleSet")])).toEqual(['Scale set "vmss", NIC "nic": no NSG on the NIC nor on subnet "vnet/connector" (not in this stack).']);
    expect(await attached([vmss("azure-native:compute/v20240701:VirtualMachineScaleSet")])).toEqual(['Scale set "vmss", NIC "nic": no NSG on the NIC nor on subnet "vnet/connector" (not in this stack).']);
    expect(await attached([vmss("azure-native:compute/v20240701:VirtualMachineScaleSet"), vnet("azure-native:network/v20230501:VirtualNetwork")])).toEqual([]);
  });

  test("other providers' module/file tokens are not read as versions", () => {
    expect(types.unversionedType("azuread:index/application:Application")).toBe("azuread:index/application:Application");
    expect(types.unversionedType("azure-native:network/v20230501:NetworkSecurityGroup")).toBe("azure-native:network:NetworkSecurityGroup");
    expect(types.isOfType("azure-native:Network/v20230501:networkSecurityGroup", types.NetworkSecurityGroup)).toBe(true);
    expect(types.isOfType("azure-native:network/v20230501:NetworkSecurityGroupX", types.NetworkSecurityGroup)).toBe(false);
  });
});
