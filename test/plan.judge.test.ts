/**
 * The plan judges before it masks (issue 15): the policies see the real in-process inputs, so
 * `vmss-admin-password-from-secret` fires on a plaintext password; only what is printed or written is masked.
 * The eu program runs once under the mocks; its scale set is then given a plaintext password, as a program bug would.
 */
import { runPolicies } from "../policy/runner";
import { judge } from "../tools/commands/plan";
import { knownSecrets, planResources } from "../tools/engine/model";
import { Registration } from "../tools/engine/mocks";
import { ROOT, runProgram, stackSource } from "./harness";

const VMSS = "azure-native:compute:VirtualMachineScaleSet";
const PLAINTEXT = "Plaintext-Admin-Pw-2026!";

let regs: Registration[];
let rawOutputs: Record<string, unknown>;
beforeAll(async () => {
  const run = await runProgram("eu", stackSource("eu").source);
  regs = run.resources;
  rawOutputs = run.rawOutputs;
});

/** The registrations with the scale set's password as a plain string (the secret marking lost). */
function withPlaintextPassword(): Registration[] {
  return regs.map((r) => {
    if (r.type !== VMSS) return r;
    const wire = structuredClone(r.wireInputs) as any;
    wire.virtualMachineProfile.osProfile.adminPassword = PLAINTEXT;
    return { ...r, wireInputs: wire };
  });
}

const passwordViolations = (vs: { policy: string }[]) => vs.filter((v) => v.policy === "vmss-admin-password-from-secret");

describe("the plan judges real values", () => {
  test("the shipped eu program: the generated password is secret, no violation", async () => {
    const secrets = knownSecrets(regs, rawOutputs, []);
    expect(passwordViolations(await judge(regs, secrets, runPolicies, {}))).toEqual([]);
  });

  test("a plaintext adminPassword fires the mandatory policy; the plan file still shows it as [secret]", async () => {
    const bad = withPlaintextPassword();
    const secrets = knownSecrets(bad, rawOutputs, [PLAINTEXT]);
    expect(passwordViolations(await judge(bad, secrets, runPolicies, {}))).toEqual([
      expect.objectContaining({
        policy: "vmss-admin-password-from-secret", enforcementLevel: "mandatory", name: "vmss-vmss", type: VMSS,
        message: "virtualMachineProfile.osProfile.adminPassword is plaintext; pass it as a secret (pulumi config set --secret adminPassword, or leave it unset to generate one).",
      }),
    ]);
    const doc = planResources(bad, secrets, ROOT);
    const vmss = doc.find((r) => r.type === VMSS) as any;
    expect(vmss.inputs.virtualMachineProfile.osProfile.adminPassword).toBe("[secret]");
    expect(JSON.stringify(doc)).not.toContain(PLAINTEXT);
  });

  test("the order of grants is judged by the pack's stack policy over the plan's dependencies, as npm run policy judges the file", async () => {
    const secrets = knownSecrets(regs, rawOutputs, []);
    const kinds = new Map(regs.map((r) => [r.urn, r.type]));
    const isGrant = (u: string) => kinds.get(u) === "azure-native:authorization:RoleAssignment" || kinds.get(u) === "pulumi-nodejs:dynamic/pexip:RolePropagationWait";
    const ordering = (vs: { policy: string; name: string; message: string }[]) => vs.filter((v) => v.policy === "grants-before-use").map((v) => `${v.name}: ${v.message}`);
    expect(ordering(await judge(regs, secrets, runPolicies, {}))).toEqual([]);
    const early = regs.map((r) => (r.type === VMSS ? { ...r, dependencies: r.dependencies.filter((u) => !isGrant(u)) } : r));
    const grants = ["static-role-blob-data-contributor-logs", "static-role-blob-data-reader-packages", "static-role-kv-secrets-user-app-password", "static-role-kv-secrets-user-eventhub"];
    expect(ordering(await judge(early, secrets, runPolicies, {}))).toEqual([
      ...grants.map((g) => `vmss-vmss: vmss-vmss does not depend on a propagation wait after "${g}" (pulumi-nodejs:dynamic/pexip:RolePropagationWait): a fresh grant takes minutes to reach the service.`),
      ...grants.map((g) => `vmss-vmss: vmss-vmss downloads its extensions' files and reads its Key Vault secrets with the identity as the instances start (static-identity) but does not depend on its role assignment "${g}": add it to dependsOn.`),
    ]);
  });

  test("why masking first was wrong: the same policies over the masked plan document never fire", async () => {
    const bad = withPlaintextPassword();
    const doc = planResources(bad, knownSecrets(bad, rawOutputs, [PLAINTEXT]), ROOT);
    expect(passwordViolations(await runPolicies(doc.map((r) => ({ type: r.type, name: r.name, urn: r.urn, inputs: r.inputs }))))).toEqual([]);
  });
});
