/**
 * Azure's deployment-time rules against whole plans (issue: the first `pulumi up --stack eu` succeeds): the shipped
 * stacks and the variants an operator is likely to try pass every rule, with the plan's exit code, and a stack that
 * breaks a rule the config can reach is refused. `npm run plan` runs in-process here (one subprocess smoke test of
 * the command lives in test/plan.test.ts).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import type { PlanDoc, PlanResource } from "../tools/engine/model";
import { grantOrderingProblems } from "../policy/ordering";
import { PROPAGATION_WAIT_TYPE } from "../components/propagationWait";
import { planAtNow as plan, ROOT } from "./harness";

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "azure-rules-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** A copy of a shipped stack file with top-level keys replaced, planned in-process; the JSON read back. */
async function planOf(stack: "eu" | "us", name: string, edits: Record<string, unknown> = {}): Promise<{ code: number; stderr: string; stdout: string; doc: PlanDoc }> {
  const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  for (const [k, v] of Object.entries(edits)) doc.config[`pexip-teams-connector:${k}`] = v;
  const file = path.join(TMP, `${name}.yaml`);
  const json = path.join(TMP, `${name}.json`);
  fs.writeFileSync(file, stringify(doc));
  const r = await plan(["--stack", stack, "--config", file, "--json", json]);
  return { ...r, doc: fs.existsSync(json) ? (JSON.parse(fs.readFileSync(json, "utf8")) as PlanDoc) : ({ resources: [] } as unknown as PlanDoc) };
}

const mandatory = (d: PlanDoc) => d.policy.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy} ${v.name}: ${v.message}`);
const ws = (sku: string) => ({ publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku, version: "latest" });
const byName = (d: PlanDoc, name: string) => d.resources.find((r) => r.name === name)!;

/** Plans made once and shared (an in-process plan is most of a second). */
const plans = new Map<string, PlanDoc>();

describe("plans that pass every rule", () => {
  // Each variant combines a few of the cases the issue names, to keep the suite fast: RDP prefixes, consent prefixes,
  // 1, 2 (us), 3 (eu), 7 and 40 instances, Standard_F8s_v2 with the Gen1 and the Gen2 image.
  const variants: [string, "eu" | "us", Record<string, unknown>][] = [
    ["eu as shipped (3 instances)", "eu", {}],
    ["us as shipped (2 instances)", "us", {}],
    ["eu with RDP and consent prefixes, 1 instance", "eu", { managementSourcePrefixes: ["203.0.113.0/26", "198.51.100.7"], consentSourcePrefixes: ["203.0.113.0/24"], instanceCount: 1 }],
    ["us with 7 instances of Standard_F8s_v2 on the Gen1 image", "us", { instanceCount: 7, vmSize: "Standard_F8s_v2", vmImage: ws("2022-datacenter") }],
    ["eu with 40 instances of Standard_F8s_v2 on the Gen2 image", "eu", { instanceCount: 40, vmSize: "Standard_F8s_v2", vmImage: ws("2022-datacenter-g2") }],
  ];

  test.each(variants)("%s: exit 0, no mandatory violation, every consumer after its grants and a wait", async (name, stack, edits) => {
    const r = await planOf(stack, name.replace(/\W+/g, "-"), edits);
    plans.set(name, r.doc);
    expect([r.code, mandatory(r.doc)]).toEqual([0, []]);
    expect(grantOrderingProblems(r.doc.resources)).toEqual([]);
    const vmss = r.doc.resources.find((x) => x.type === "azure-native:compute:VirtualMachineScaleSet")!;
    const wait = byName(r.doc, "static-instance-grants-wait");
    expect(vmss.dependencies).toContain(wait.urn);
    expect((vmss.inputs.sku as { capacity: number }).capacity).toBe(edits.instanceCount ?? (stack === "eu" ? 3 : 2));
    if (edits.vmSize === "Standard_F8s_v2") {
      expect(vmss.inputs.sku).toMatchObject({ name: "Standard_F8s_v2" });
      expect((r.doc.outputs.capacity as Record<string, unknown>).vcpuQuotaFamily).toBe("standardFSv2Family");
    }
    if (edits.managementSourcePrefixes) expect(r.doc.resources.map((x) => x.name)).toContain("vmss-rdp-3389");
  });
});

describe("the plan JSON shows grants before use", () => {
  let eu: PlanDoc;
  beforeAll(async () => {
    eu = plans.get("eu as shipped (3 instances)") ?? (await planOf("eu", "eu-deps")).doc;
  });

  test("the DES, the scale set and the consent app depend on their identity's role assignments and a propagation wait", () => {
    const deps = (name: string) => byName(eu, name).dependencies.map((u) => eu.resources.find((r) => r.urn === u)!.name).sort();
    expect(deps("static-des")).toEqual(expect.arrayContaining(["static-des-grants-wait", "static-des-identity", "static-role-kv-crypto-encryption-user-des"]));
    expect(deps("vmss-vmss")).toEqual(expect.arrayContaining(["static-identity", "static-instance-grants-wait", "static-role-blob-data-contributor-logs", "static-role-blob-data-reader-packages"]));
    expect(deps("consent-app")).toEqual(expect.arrayContaining(["consent-grants-wait", "consent-identity", "consent-package-reader"]));
    expect(eu.resources.filter((r) => r.type === PROPAGATION_WAIT_TYPE).map((r) => [r.name, r.inputs.seconds])).toEqual([
      ["consent-grants-wait", 600], ["static-des-grants-wait", 600], ["static-instance-grants-wait", 600],
    ]);
  });

  test("a consumer without its wait, or without a grant, is refused; a grant after its consumer is too", () => {
    const without = (name: string, dep: string): PlanResource[] =>
      eu.resources.map((r) => (r.name === name ? { ...r, dependencies: r.dependencies.filter((u) => u !== byName(eu, dep).urn) } : r));
    expect(grantOrderingProblems(without("vmss-vmss", "static-instance-grants-wait")).map((p) => p.message)).toEqual([
      'vmss-vmss does not depend on a propagation wait after "static-role-blob-data-contributor-logs" (pulumi-nodejs:dynamic/pexip:RolePropagationWait): a fresh grant takes minutes to reach the service.',
      'vmss-vmss does not depend on a propagation wait after "static-role-blob-data-reader-packages" (pulumi-nodejs:dynamic/pexip:RolePropagationWait): a fresh grant takes minutes to reach the service.',
      'vmss-vmss does not depend on a propagation wait after "static-role-kv-secrets-user-app-password" (pulumi-nodejs:dynamic/pexip:RolePropagationWait): a fresh grant takes minutes to reach the service.',
      'vmss-vmss does not depend on a propagation wait after "static-role-kv-secrets-user-eventhub" (pulumi-nodejs:dynamic/pexip:RolePropagationWait): a fresh grant takes minutes to reach the service.',
    ]);
    expect(grantOrderingProblems(without("consent-app", "consent-package-reader")).map((p) => p.message)).toEqual([
      'consent-app fetches its run-from-package ZIP with the identity at start (consent-identity) but does not depend on its role assignment "consent-package-reader": add it to dependsOn.',
    ]);
    // The old DES: a system-assigned identity, granted from the set's own output.
    const des = byName(eu, "static-des");
    const grant = byName(eu, "static-role-kv-crypto-encryption-user-des");
    const systemAssigned = eu.resources.map((r) => (r.name === grant.name ? { ...r, dependencies: [des.urn] } : r.name === des.name ? { ...r, dependencies: des.dependencies.filter((u) => u !== grant.urn) } : r));
    expect(grantOrderingProblems(systemAssigned).map((p) => p.message)).toEqual([
      'role assignment "static-role-kv-crypto-encryption-user-des" depends on static-des, so it is created after static-des reads its key with its identity when it is created: give static-des a user-assigned identity granted before it exists.',
    ]);
  });
});

describe("plans that break a rule the config can reach are refused (config error, exit 2; the policy is the second line)", () => {
  test("a Gen2 image on Standard_F4s: exit 2, vmImage named, nothing registered", async () => {
    const r = await planOf("eu", "f4s-gen2", { vmImage: ws("2022-datacenter-g2") });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is a Hyper-V generation 2 image and Standard_F4s runs only generation 1");
    expect(r.stderr).toContain("pexip-teams-connector:vmImage = ");
    expect(r.doc.resources).toEqual([]);
  });

  test("a 129-character tag name: exit 2, the tag named with the storage account's 128-character limit", async () => {
    const name = "t".repeat(129);
    const r = await planOf("us", "long-tag", { tags: { [name]: "x" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("tag names must be at most 128 characters (StorageAccount); this one has 129");
    expect(r.doc.resources).toEqual([]);
  });
});
