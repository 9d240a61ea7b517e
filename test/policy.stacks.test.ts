/**
 * The whole program under the mocks, through the pack (spec/policy.md: the shipped eu and us stacks have zero
 * mandatory violations), and the stack the seed warns about: management access opened to 0.0.0.0/0.
 */
import { runPolicies, Violation } from "../policy/runner";
import { PROJECT } from "../components/config";
import { runProgram, stackSource } from "./harness";

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

test('managementSourcePrefixes ["0.0.0.0/0"] fails nsg-no-rdp-ssh-from-internet', async () => {
  const { violations } = await verdicts("eu", { managementSourcePrefixes: ["0.0.0.0/0"] });
  expect(violations.filter((v) => v.policy === "nsg-no-rdp-ssh-from-internet").map((v) => [v.enforcementLevel, v.type, v.message])).toEqual([
    ["mandatory", expect.stringMatching(/^azure-native:network:(NetworkSecurityGroup|SecurityRule)$/),
      'Security rule "RDP" allows RDP (port 3389) inbound from the internet (source "0.0.0.0/0"); allow it only from your management networks (managementSourcePrefixes).'],
  ]);
});
