/**
 * `npm run policy` end to end: the command as a child process on a hand-written `pulumi stack export` (an RDP rule
 * switched to Allow in the portal, as the seed tells admins to do), a clean bare array, a missing file; then the
 * file shapes, flags and output in-process; last, grants-before-use over the eu plan file and a stack export made
 * from it, judged on the file's dependencies.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, resourcesOf } from "../tools/commands/policy";
import type { PlanDoc } from "../tools/engine/model";
import type { Violation } from "../policy/runner";
import { PROPAGATION_WAIT_TYPE } from "../components/propagationWait";
import { NOW } from "./fixtures/clock";
import { planAtNow } from "./harness";

const ROOT = path.resolve(__dirname, "..");
const FIXTURE = path.join(__dirname, "fixtures", "stack-export.json");
const NSG_URN = "urn:pulumi:eu::pexip-teams-connector::pexip:teams:TeamsConnectorVmss$pexip:teams:NetworkSecurity$azure-native:network:NetworkSecurityGroup::vmss-nsg";
const VAULT_URN = "urn:pulumi:eu::pexip-teams-connector::pexip:teams:StaticResources$azure-native:keyvault:Vault::static-vault";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run policy -- <args>` without npm: the script's own command line. */
function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["-r", "./tools/register.js", "tools/commands/policy.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "policy-cli-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** stdout and stderr of the command's in-process runs, per test (the spies are restored after each). */
function captureOutput(): { out: string; err: string } {
  const io = { out: "", err: "" };
  beforeEach(() => {
    io.out = "";
    io.err = "";
    jest.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => ((io.out += String(s)), true));
    jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => ((io.err += String(s)), true));
  });
  afterEach(() => jest.restoreAllMocks());
  return io;
}

function tmpFile(name: string, content: unknown): string {
  const file = path.join(TMP, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("npm run policy as a child process (the one subprocess smoke test of this command)", () => {
  let exported: Promise<Run>;
  beforeAll(() => {
    exported = cli("--resources", FIXTURE, "--json");
  });

  test("a stack export with an RDP rule opened in the portal: exact violations, exit 1", async () => {
    const r = await exported;
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      violations: [
        {
          policy: "nsg-no-rdp-ssh-from-internet", enforcementLevel: "mandatory", urn: NSG_URN, name: "vmss-nsg", type: "azure-native:network:NetworkSecurityGroup",
          message: 'Security rule "RDP" allows RDP (port 3389) inbound from the internet (source "*"); allow it only from your management networks (managementSourcePrefixes).',
        },
        {
          policy: "nsg-only-connector-flows", enforcementLevel: "mandatory", urn: NSG_URN, name: "vmss-nsg", type: "azure-native:network:NetworkSecurityGroup",
          message: 'Security rule "RDP" allows inbound Tcp 3389 from the internet (source "*"); only Tcp 443, 10100, 20100 and Udp 50000-59999 may come from any source.',
        },
        {
          // Azure's default rolling-upgrade policy (20% / 20%) on 3 instances: one unhealthy instance blocks every upgrade.
          policy: "vmss-rolling-upgrade-thresholds", enforcementLevel: "mandatory", urn: expect.stringMatching(/::vmss-scaleset$/), name: "vmss-scaleset", type: "azure-native:compute:VirtualMachineScaleSet",
          message: "maxUnhealthyInstancePercent 20 tolerates 0 of 3 instances, but a batch of 1 plus one already unhealthy instance is 2: one unhealthy instance blocks every upgrade. Use at least 67.",
        },
        {
          policy: "keyvault-network-default-deny", enforcementLevel: "advisory", urn: VAULT_URN, name: "static-vault", type: "azure-native:keyvault:Vault",
          message: 'properties.networkAcls.defaultAction is not set (Azure\'s default is Allow); set it to "Deny" with the bypasses the stack needs.',
        },
      ],
    });
    // The scale set's profile is ciphertext in the export: said on stderr, not guessed at.
    expect(r.stderr).toContain("vmss-encryption-at-host: virtualMachineProfile is encrypted in this file");
    // The export carries dependencies, so the order of grants is judged (this stack has none to order), not skipped.
    expect(r.stderr).not.toContain("grants-before-use");
  });

});

describe("file shapes", () => {
  test("a stack export: logical names from the URN, the stack and providers skipped, outputs over inputs", () => {
    const { kind, resources } = resourcesOf(JSON.parse(fs.readFileSync(FIXTURE, "utf8")));
    expect(kind).toBe("stack export");
    expect(resources.map((r) => `${r.type} ${r.name}`)).toEqual([
      "pexip:teams:StaticResources static",
      "azure-native:keyvault:Vault static-vault",
      "azure-native:keyvault:Secret static-admin-password",
      "pexip:teams:TeamsConnectorVmss vmss",
      "azure-native:network:NetworkSecurityGroup vmss-nsg",
      "azure-native:compute:VirtualMachineScaleSet vmss-scaleset",
    ]);
    const nsg = resources[4].inputs as { securityRules: { name: string; access: string }[]; networkSecurityGroupName: string };
    expect(nsg.securityRules.map((r) => `${r.name} ${r.access}`)).toEqual(["MCU-signalling-endpoint Allow", "RDP Allow"]);
    expect(nsg.networkSecurityGroupName).toBe("pexip-TeamsConn-eu-NSG");
  });

  test("a plan file: resources as listed, stack and providers skipped", () => {
    const { kind, resources } = resourcesOf({
      stack: "eu",
      resources: [
        { urn: "urn:pulumi:eu::p::pulumi:pulumi:Stack::p-eu", type: "pulumi:pulumi:Stack", name: "p-eu", inputs: {} },
        { urn: "urn:pulumi:eu::p::pulumi:providers:azure-native::azure", type: "pulumi:providers:azure-native", name: "azure", inputs: {} },
        { urn: "urn:pulumi:eu::p::azure-native:network:LoadBalancer::lb", type: "azure-native:network:LoadBalancer", name: "lb", parent: null, protect: false, dependencies: [], inputs: { sku: { name: "Basic" } } },
      ],
      outputs: {},
      policy: { violations: [] },
    });
    expect(kind).toBe("plan");
    expect(resources).toEqual([{ urn: "urn:pulumi:eu::p::azure-native:network:LoadBalancer::lb", type: "azure-native:network:LoadBalancer", name: "lb", inputs: { sku: { name: "Basic" } }, dependencies: [] }]);
  });

  test("a stack export's dependencies and propertyDependencies are read, by URN", () => {
    const { resources } = resourcesOf(JSON.parse(fs.readFileSync(FIXTURE, "utf8")));
    const vmss = resources.find((r) => r.name === "vmss-scaleset")!;
    expect([vmss.dependencies, vmss.propertyDependencies]).toEqual([[NSG_URN], { virtualMachineProfile: [NSG_URN] }]);
    // The export leaves out an empty list; the vault has per-property lists, all empty.
    const vault = resources.find((r) => r.name === "static-vault")!;
    expect([vault.dependencies, vault.propertyDependencies?.properties]).toEqual([undefined, []]);
  });

  test("a bare array: name, else the URN's last segment, else #index", () => {
    const { kind, resources } = resourcesOf([
      { type: "t:m:A", name: "named", inputs: {} },
      { type: "t:m:B", urn: "urn:pulumi:s::p::t:m:B::from-urn" },
      { type: "t:m:C", inputs: { x: 1 } },
    ]);
    expect(kind).toBe("resource list");
    expect(resources.map((r) => [r.name, r.urn])).toEqual([["named", null], ["from-urn", "urn:pulumi:s::p::t:m:B::from-urn"], ["#2", null]]);
  });

  test.each([
    ["an object of another shape", { hello: "world" }, "not a plan file, a `pulumi stack export`, or a JSON array of resources"],
    ["an entry without type", [{ name: "x" }], 'resources[0] has no "type"'],
    ["inputs that are not an object", [{ type: "t:m:R", inputs: [] }], "resources[0].inputs is not an object"],
    ["dependencies that are not URNs", { stack: "eu", resources: [{ type: "t:m:R", dependencies: "urn:x" }] }, "resources[0].dependencies is not a list of URNs"],
    ["propertyDependencies that are not URN lists", { deployment: { resources: [{ type: "t:m:R", urn: "urn:pulumi:s::p::t:m:R::r", propertyDependencies: { a: [1] } }] } },
      "deployment.resources[0].propertyDependencies is not an object of property name -> list of URNs"],
  ])("%s is refused", (_name, doc, message) => {
    expect(() => resourcesOf(doc)).toThrow(message);
  });
});

describe("flags and output (in-process)", () => {
  const io = captureOutput();

  const untaggedGroup = () => tmpFile("rg.json", [{ type: "azure-native:resources:ResourceGroup", name: "rg", inputs: { tags: { CostCenter: "x" } } }]);

  test("a clean bare array: no violations, exit 0", async () => {
    expect(await main(["--resources", tmpFile("clean.json", [
      { type: "azure-native:network:NetworkSecurityGroup", name: "nsg", inputs: { securityRules: [{ name: "MCU-signalling-endpoint", direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "*", destinationPortRange: "443" }] } },
      { type: "azure-native:network:LoadBalancer", inputs: { sku: { name: "Standard" } } },
    ]), "--json"])).toBe(0);
    expect(JSON.parse(io.out)).toEqual({ violations: [] });
  });

  test("a missing file: exit 2 and the reason, nothing on stdout", async () => {
    expect(await main(["--resources", path.join(TMP, "no-such-dir", "missing.json")])).toBe(2);
    expect(io.out).toBe("");
    expect(io.err).toContain("cannot read");
    expect(io.err).toContain("ENOENT");
  });

  test("--stack eu requires the eu stack's tag names; advisory only, so exit 0", async () => {
    expect(await main(["--resources", untaggedGroup(), "--stack", "eu", "--json"])).toBe(0);
    expect(JSON.parse(io.out).violations).toEqual([
      { policy: "required-tags", enforcementLevel: "advisory", urn: null, name: "rg", type: "azure-native:resources:ResourceGroup", message: "Missing required tag: ResourceOwner." },
    ]);
  });

  test("--required-tags adds tag names", async () => {
    expect(await main(["--resources", untaggedGroup(), "--required-tags", "Owner, CostCenter", "--json"])).toBe(0);
    expect(JSON.parse(io.out).violations.map((v: { message: string }) => v.message)).toEqual(["Missing required tag: Owner."]);
  });

  test("--policy-config takes --policy-pack-config's JSON: a level and a setting", async () => {
    const cfg = tmpFile("policy-config.json", { "keyvault-network-default-deny": "disabled", "nsg-no-rdp-ssh-from-internet": "advisory" });
    expect(await main(["--resources", FIXTURE, "--policy-config", cfg, "--json"])).toBe(1);
    expect(JSON.parse(io.out).violations.map((v: { policy: string; enforcementLevel: string }) => `${v.enforcementLevel} ${v.policy}`)).toEqual([
      "mandatory nsg-only-connector-flows",
      "mandatory vmss-rolling-upgrade-thresholds",
      "advisory nsg-no-rdp-ssh-from-internet",
    ]);
  });

  test("text output groups mandatory before advisory, by policy", async () => {
    expect(await main(["--resources", FIXTURE])).toBe(1);
    const lines = io.out.split("\n");
    expect(lines[0]).toBe(`${FIXTURE} (stack export, 6 resources checked): 3 mandatory, 1 advisory violation.`);
    expect(lines.indexOf("MANDATORY")).toBeLessThan(lines.indexOf("ADVISORY"));
    expect(lines.slice(lines.indexOf("MANDATORY"), lines.indexOf("MANDATORY") + 3)).toEqual([
      "MANDATORY",
      "  nsg-no-rdp-ssh-from-internet",
      '    azure-native:network:NetworkSecurityGroup "vmss-nsg"',
    ]);
  });

  test.each([
    ["no --resources", [], "--resources <file> is required"],
    ["an unknown flag", ["--resources", FIXTURE, "--fast"], "unknown option --fast"],
    ["a flag without its value", ["--resources"], "--resources needs a value"],
    ["a stack without a stack file", ["--resources", FIXTURE, "--stack", "nowhere"], "--stack nowhere:"],
    ["a policy config file that does not exist", ["--resources", FIXTURE, "--policy-config", FIXTURE.replace("stack-export.json", "missing-config.json")], "cannot read"],
  ])("%s: exit 2", async (_name, args, message) => {
    expect(await main(args)).toBe(2);
    expect(io.err).toContain(message);
  });

  test("a file that is not JSON: exit 2", async () => {
    expect(await main(["--resources", tmpFile("bad.json", "{ not json")])).toBe(2);
    expect(io.err).toContain("is not valid JSON");
  });

  test("--help documents the inputs and the exit statuses", async () => {
    expect(await main(["--help"])).toBe(0);
    expect(io.out).toContain("pulumi stack export > s.json");
    expect(io.out).toContain("Exit status: 0 no mandatory violation (advisory ones may be printed); 1 at least one mandatory violation;\n2 usage error");
  });
});

describe("grants-before-use over a plan file and a stack export: the file's dependencies (in-process)", () => {
  const VMSS_URN = "urn:pulumi:eu::pexip-teams-connector::pexip:teams:TeamsConnectorVmss$azure-native:compute:VirtualMachineScaleSet::vmss-vmss";
  const VMSS_GRANTS = ["static-role-blob-data-contributor-logs", "static-role-blob-data-reader-packages", "static-role-kv-secrets-user-app-password", "static-role-kv-secrets-user-eventhub"];
  /** What the policy says of a scale set that depends on none of its grants nor on the wait after them. */
  const WITHOUT_GRANTS = [
    ...VMSS_GRANTS.map((g) => `vmss-vmss does not depend on a propagation wait after "${g}" (pulumi-nodejs:dynamic/pexip:RolePropagationWait): a fresh grant takes minutes to reach the service.`),
    ...VMSS_GRANTS.map((g) => `vmss-vmss downloads its extensions' files and reads its Key Vault secrets with the identity as the instances start (static-identity) but does not depend on its role assignment "${g}": add it to dependsOn.`),
  ].map((message) => ({ policy: "grants-before-use", enforcementLevel: "mandatory", urn: VMSS_URN, name: "vmss-vmss", type: "azure-native:compute:VirtualMachineScaleSet", message }));

  let eu: PlanDoc;
  beforeAll(async () => {
    const file = path.join(TMP, "eu-plan.json");
    expect((await planAtNow(["--stack", "eu", "--json", file])).code).toBe(0);
    eu = JSON.parse(fs.readFileSync(file, "utf8")) as PlanDoc;
  });

  const io = captureOutput();

  /** The plan with the scale set's dependencies on its role assignments and the propagation wait removed. */
  function withoutVmssGrants(doc: PlanDoc): PlanDoc {
    const types = new Map(doc.resources.map((r) => [r.urn, r.type]));
    const isGrant = (u: string) => types.get(u) === "azure-native:authorization:RoleAssignment" || types.get(u) === PROPAGATION_WAIT_TYPE;
    return { ...doc, resources: doc.resources.map((r) => (r.name === "vmss-vmss" ? { ...r, dependencies: r.dependencies.filter((u) => !isGrant(u)) } : r)) };
  }

  /** The plan as `pulumi stack export` would hold it after an up: inputs and outputs, an empty dependency list left io.out. */
  function asStackExport(doc: PlanDoc): unknown {
    return {
      version: 3,
      deployment: {
        manifest: { time: NOW.toISOString() },
        resources: doc.resources.map((r) => ({
          urn: r.urn, custom: !r.type.startsWith("pexip:teams:") && r.type !== "pulumi:pulumi:Stack", type: r.type,
          inputs: r.inputs, outputs: r.inputs, ...(r.parent ? { parent: r.parent } : {}),
          ...(r.dependencies.length > 0 ? { dependencies: r.dependencies } : {}),
        })),
      },
    };
  }

  const ordering = () => (JSON.parse(io.out) as { violations: Violation[] }).violations.filter((v) => v.policy === "grants-before-use");

  test("the eu plan file passes: every consumer depends on its grants and a wait, and the check ran", async () => {
    expect(await main(["--resources", tmpFile("eu.json", eu), "--json"])).toBe(0);
    expect(ordering()).toEqual([]);
    expect(io.err).not.toContain("grants-before-use");
  });

  test("the scale set without its grant dependencies: exit 1, the scale set and each missing grant named", async () => {
    const file = tmpFile("eu-no-grants.json", withoutVmssGrants(eu));
    expect(await main(["--resources", file, "--json"])).toBe(1);
    expect(ordering()).toEqual(WITHOUT_GRANTS);
    io.out = "";
    expect(await main(["--resources", file])).toBe(1);
    expect(io.out.split("\n").slice(0, 6)).toEqual([
      `${file} (plan, ${eu.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:")).length} resources checked): 8 mandatory, 2 advisory violations.`,
      "",
      "MANDATORY",
      "  grants-before-use",
      '    azure-native:compute:VirtualMachineScaleSet "vmss-vmss"',
      `      ${VMSS_URN}`,
    ]);
  });

  test("a stack export is judged on its dependencies the same way", async () => {
    expect(await main(["--resources", tmpFile("eu-export.json", asStackExport(eu)), "--json"])).toBe(0);
    expect(ordering()).toEqual([]);
    expect(io.err).not.toContain("grants-before-use");
    io.out = "";
    expect(await main(["--resources", tmpFile("eu-export-no-grants.json", asStackExport(withoutVmssGrants(eu))), "--json"])).toBe(1);
    expect(ordering()).toEqual(WITHOUT_GRANTS);
  });

  test("a plan file without dependencies (older than the field): not checked, said so, not passed silently", async () => {
    const old = { ...eu, resources: eu.resources.map(({ dependencies: _d, ...r }) => r) };
    expect(await main(["--resources", tmpFile("eu-old.json", old)])).toBe(0);
    expect(io.out).toContain(
      "\nNOT CHECKED\n  grants-before-use: no resource here carries dependencies (a file without them, e.g. a plan file older than its `dependencies` field), so the order of grants and their users is not judged (1 resource)\n",
    );
  });
});
