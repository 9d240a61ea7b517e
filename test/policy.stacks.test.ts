/**
 * The whole program under the mocks, through the pack (spec/policy.md: the shipped eu and us stacks have zero
 * mandatory violations), and the stack the seed warns about: management access opened to 0.0.0.0/0.
 */
import { runPolicies, Violation } from "../policy/runner";
import { PROJECT } from "../components/config";
import { NOW } from "./fixtures/clock";
import { ROOT, runProgram, runResources, stackSource } from "./harness";

async function verdicts(stack: string, set: Record<string, unknown> = {}): Promise<{ violations: Violation[]; types: string[] }> {
  const { source, file } = stackSource(stack, { set });
  const run = await runProgram(stack, source);
  const tags = file.entries.get(`${PROJECT}:tags`)?.value as Record<string, string>;
  const resources = run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, inputs: r.inputs }));
  return { violations: await runPolicies(resources, { requiredTags: Object.keys(tags) }), types: resources.map((r) => r.type) };
}

const mandatory = (vs: Violation[]) => vs.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy} ${v.name}: ${v.message}`);

describe.each(["eu", "us"])("the shipped %s stack", (stack) => {
  test("has no mandatory violation, and the NSG and scale set were there to check", async () => {
    const { violations, types } = await verdicts(stack);
    expect(types).toEqual(expect.arrayContaining(["azure-native:network:NetworkSecurityGroup", "azure-native:compute:VirtualMachineScaleSet", "azure-native:storage:StorageAccount", "azure-native:keyvault:Vault"]));
    expect(mandatory(violations)).toEqual([]);
  });
});

test('managementSourcePrefixes ["0.0.0.0/0"]: the config refuses it, and an NSG built with it anyway fails nsg-no-rdp-ssh-from-internet', async () => {
  const { loadConfig } = await import("../components/config");
  const cfg = loadConfig(stackSource("eu", { set: { managementSourcePrefixes: ["0.0.0.0/0"] } }).source, { stack: "eu", projectDir: ROOT, offline: true, now: NOW });
  expect(cfg.errors.map((e) => e.key)).toEqual([`${PROJECT}:managementSourcePrefixes`]);
  // The component itself takes what it is given: the policy is the second line of defence (pulumi preview --policy-pack).
  const { NetworkSecurity } = await import("../components/networkSecurity");
  const monitor = await runResources("eu", () => new NetworkSecurity("vmss-nsg", {
    resourceGroupName: "rg", location: "westeurope", networkSecurityGroupName: "pexipeu-nsg", nodeSourcePrefixes: [],
    managementSourcePrefixes: ["0.0.0.0/0"], nodePorts: { signalling: "33000-39999", media: "40000-49999" }, enhancedStatus: true, tags: {},
  }));
  const resources = monitor.registrations.map((r) => ({ type: r.type, name: r.name, urn: r.urn, inputs: r.inputs }));
  const violations = await runPolicies(resources, { requiredTags: [] });
  expect(violations.filter((v) => v.policy === "nsg-no-rdp-ssh-from-internet").map((v) => [v.enforcementLevel, v.type, v.message])).toEqual([
    ["mandatory", "azure-native:network:NetworkSecurityGroup",
      'Security rule "RDP" allows RDP (port 3389) inbound from the internet (source "0.0.0.0/0"); allow it only from your management networks (managementSourcePrefixes).'],
  ]);
});
