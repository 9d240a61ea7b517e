/**
 * `npm run plan` end to end: the plan runs as a child process, exactly as a newcomer runs it (no npm in between).
 * Each run costs about a second, so runs are shared between assertions.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { hash } from "../tools/engine/mocks";
import { nodeId } from "../tools/commands/mermaid";
import { DAY, NOW, testCa } from "./fixtures/certificates";
import { PLAN_ENV, planAt as planAtClock } from "./harness";

const ROOT = path.resolve(__dirname, "..");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "plan-test-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command as a newcomer runs it: a child process (the one subprocess smoke test of this file), on the suite's clock. */
function planProcess(...args: string[]): Run {
  const r = spawnSync(process.execPath, ["-r", "./tools/register.js", "tools/commands/plan.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000, env: PLAN_ENV });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same command in-process (its exported entry point), on the same clock: a second evaluation costs no Node start-up. */
async function plan(...args: string[]): Promise<Run> {
  return planAt(NOW, ...args);
}

/** The command in-process on another clock (SOURCE_DATE_EPOCH at `now`). */
async function planAt(now: Date, ...args: string[]): Promise<Run> {
  const r = await planAtClock(now, args);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of a shipped stack file with top-level keys replaced (`undefined` removes one), in TMP. */
function stackFile(stack: string, name: string, edits: Record<string, unknown>): string {
  const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  for (const [k, v] of Object.entries(edits)) {
    const key = k.includes(":") ? k : `pexip-teams-connector:${k}`;
    if (v === undefined) delete doc.config[key];
    else doc.config[key] = v;
  }
  const file = path.join(TMP, name);
  fs.writeFileSync(file, stringify(doc));
  return file;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));

/** The eu plan, made once and shared (it is also the base of the diff tests). */
let euJson: string;
let eu: Run;
let usJson: string;
let usRun: Run;
beforeAll(async () => {
  euJson = path.join(TMP, "eu.json");
  eu = planProcess("--stack", "eu", "--json", euJson);
  usJson = path.join(TMP, "us.json");
  usRun = await plan("--stack", "us", "--json", usJson, "--app-stack-plan", euJson, "--diff", euJson);
});

describe("shipped stacks", () => {
  test("eu plans with exit 0 and writes the JSON of cli.md, components included", async () => {
    expect(eu.stderr).not.toMatch(/the program failed/);
    expect(eu.code).toBe(0);
    const doc = readJson(euJson);
    expect(Object.keys(doc)).toEqual(["stack", "resources", "outputs", "policy"]);
    expect(doc.stack).toBe("eu");
    expect(Array.isArray(doc.policy.violations)).toBe(true);
    expect(doc.policy.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
    for (const r of doc.resources) {
      expect(Object.keys(r)).toEqual(["urn", "type", "name", "parent", "protect", "ignoreChanges", "replaceOnChanges", "dependencies", "inputs"]);
      expect(r.ignoreChanges).toEqual([]); // the eu stack leaves the count to Pulumi
      expect(r.urn).toMatch(/^urn:pulumi:eu::pexip-teams-connector::/);
      expect(typeof r.protect).toBe("boolean");
    }
    const types = doc.resources.map((r: { type: string }) => r.type);
    for (const c of ["pexip:teams:StaticResources", "pexip:teams:TeamsConnectorVmss", "pexip:teams:BotChannel", "pexip:teams:ConsentSite"]) expect(types).toContain(c);
    // Parents are URNs of resources in the same plan (or null for the root stack).
    const urns = new Set(doc.resources.map((r: { urn: string }) => r.urn));
    for (const r of doc.resources) if (r.parent !== null) expect(urns).toContain(r.parent);
    expect(doc.outputs.connectorFqdn).toBe("pexip-teamsconn-eu.teams.example.com");
  });

  test("the eu text shows config, components, NSG, policy and next steps, and no undefined", async () => {
    for (const heading of ["Config", "Resources:", "Network security rules", "Policy", "Next steps"]) expect(eu.stdout).toContain(heading);
    expect(eu.stdout).toContain('StaticResources "static"');
    expect(eu.stdout).toContain("pexip-teamsconn-eu.teams.example.com. IN A");
    expect(eu.stdout).toContain("New-CsVideoInteropServiceProvider");
    expect(eu.stdout + eu.stderr).not.toMatch(/undefined/);
  });

  test("the eu plan is byte-identical with PLAN_DEBUG=1 (full stack traces, the provider's API-version aliases kept)", async () => {
    const out = path.join(TMP, "eu-debug.json");
    // In-process: the same entry point the child process ran, and no test of Node start-up twice.
    process.env.PLAN_DEBUG = "1";
    // The SDK captures a stack per resource; the test runner's source-mapping of each would be most of this test.
    process.setSourceMapsEnabled(false);
    const r = await plan("--stack", "eu", "--json", out).finally(() => {
      delete process.env.PLAN_DEBUG;
      process.setSourceMapsEnabled(true);
    });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out, "utf8")).toBe(fs.readFileSync(euJson, "utf8"));
    expect(r.stdout.replace(out, euJson)).toBe(eu.stdout);
  });

  test("us (appStack) plans with exit 0, takes the app from the referenced stack's plan, registers no bot", async () => {
    // The run the layout tests read too (with a --diff against eu: the JSON gains only "diff").
    const out = usJson;
    const us = usRun;
    expect(us.stderr).not.toMatch(/the program failed/);
    expect(us.code).toBe(0);
    const doc = readJson(out);
    const types = doc.resources.map((r: { type: string }) => r.type);
    expect(types).not.toContain("pexip:teams:BotChannel");
    expect(types).toContain("pulumi:pulumi:StackReference");
    expect(doc.outputs.appId).toBe(readJson(euJson).outputs.appId);
    expect(us.stdout + us.stderr).not.toMatch(/undefined/);
  });
});

describe("the text plan, read top to bottom (issue 16)", () => {
  const DIAL = { nodeAddress: "px.vc.example.com", ivr: "teams", domain: "example.com", test: "test_call", browser: true };
  let us: Run;
  let euBare: Run;
  let usDial: Run;
  beforeAll(async () => {
    // us against eu's plan (made once, above): the referenced stack's values and a diff across two stacks in one run.
    us = usRun;
    euBare = await plan("--stack", "eu", "--config", stackFile("eu", "Pulumi.eu-bare.yaml", { dialInstructions: undefined }));
    usDial = await plan("--stack", "us", "--config", stackFile("us", "Pulumi.us-dial.yaml", { dialInstructions: { ...DIAL, nodeAddress: "us-px.vc.example.com" } }));
  });
  const runs = () => ({ eu, us, euBare, usDial });

  test("every line fits 120 columns, the diff included", () => {
    for (const [name, r] of Object.entries(runs())) {
      expect([name, r.code]).toEqual([name, 0]);
      expect([name, r.stdout.split("\n").filter((l) => l.length > 120)]).toEqual([name, []]);
    }
  });

  test.each(["eu", "us", "euBare", "usDial"] as const)("%s: the Teams and the Pexip Infinity steps are printed, with or without dialInstructions", (name) => {
    const out = runs()[name].stdout;
    const dial = name === "eu" || name === "usDial";
    expect(out).toContain("Microsoft Teams: paste into PowerShell (pulumi stack output teamsPowerShell)\n");
    expect(out).toContain("     Install-Module -Name MicrosoftTeams -Scope CurrentUser\n");
    expect(out).toContain('     Connect-MicrosoftTeams -TenantId "<tenant ID>"\n');
    expect(out).toContain("as a Teams Administrator of the tenant");
    expect(out).toContain("These take up to 6 hours to come into effect.");
    expect(out).toContain("     # Set-CsVideoInteropServiceProvider -Identity Pexip -TenantKey");
    expect(out.includes("\n     New-CsVideoInteropServiceProvider -Name Pexip -TenantKey \"teams@example.com\" `\n")).toBe(dial);
    expect(out.includes("# Missing: pexip-teams-connector:dialInstructions is not set")).toBe(!dial);
    const steps = [
      "a. Platform > Licenses", "b. Platform > Global Settings (Connectivity section)", "c. Call Control > Microsoft Teams Tenants",
      "d. Call Control > Microsoft Teams Connectors > Add Microsoft Teams Connector", "e. Platform > Locations > ",
      "f. Services > Virtual Receptions > Add Virtual Reception", "g. Services > Call Routing > Add Call Routing Rule (trusted",
      "h. Services > Call Routing > Add Call Routing Rule (everyone else",
    ];
    const at = steps.map((x) => out.indexOf(`     ${x}`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const region = name.startsWith("eu") ? "eu" : "us";
    expect(out).toContain(`        Address of Teams Connector: pexip-teamsconn-${region}.teams.example.com\n        Port: 443\n`);
    expect(out).toContain(dial ? "        Destination alias regex match: (\\d{9,12})(@example\\.com)?\n" : "        Destination alias regex match: (\\d{9,12})\n");
    expect(out).toContain("        Treat as trusted: selected\n");
    expect(out).toContain("        Treat as trusted: not selected\n");
    expect(out.includes("Alias (#1): missing: set dialInstructions (ivr, domain)")).toBe(!dial);
  });

  test("offline placeholders are marked wherever shown, never their made-up values; the JSON keeps the values", () => {
    const doc = readJson(euJson);
    const ip = String(doc.outputs.connectorPublicIp);
    const appId = String(doc.outputs.appId);
    const suffix = String(doc.resources.find((r: { name: string }) => r.name === "static-kv").inputs.vaultName).replace("pexipeu-kv", "");
    expect(suffix).toMatch(/^[a-z0-9]{5}$/);
    for (const [name, r] of Object.entries(runs())) {
      for (const v of [ip, appId, "11111111-2222-3333-4444-555555555555", `kv${suffix}`]) expect([name, v, r.stdout.includes(v)]).toEqual([name, v, false]);
    }
    expect(eu.stdout).toMatch(/^Values in <angle brackets> are placeholders/m);
    expect(eu.stdout).toContain("pexip-teamsconn-eu.teams.example.com. IN A <IP of static-pip>\n");
    expect(eu.stdout).toContain('-AadApplicationIds "<app ID>"');
    expect(eu.stdout).toContain("vaultName=pexipeu-kv<static-suffix>");
    expect(us.stdout).toContain('-AadApplicationIds "<app ID>"');
    expect(doc.outputs.tenantId).toBe("11111111-2222-3333-4444-555555555555");
  });

  test("role assignments show the role's name, the scope and the principal", () => {
    expect(eu.stdout).toContain("        role=Storage Blob Data Contributor  scope=container logs of storage account pexipeulogs<static-suffix>\n" +
      "        to=<principal of static-identity> (ServicePrincipal)\n");
    expect(eu.stdout).toContain("role=Key Vault Crypto Service Encryption User  scope=Key Vault pexipeu-kv<static-suffix>");
    expect(eu.stdout).not.toContain("roleDefinitionId=");
  });

  test("a warning is shown beside the config key it is about; one resource count, as pulumi preview counts", () => {
    expect(eu.stdout).toMatch(/\n {2}certificate {2,}\{"selfSigned":true\}\n {4}! warning: certificate\.selfSigned is true: /);
    expect(eu.stdout).toMatch(/\n {2}consentSourcePrefixes {2,}\[\]\n {4}! warning: consentSourcePrefixes is empty/);
    const doc = readJson(euJson);
    const counts = eu.stdout.match(/^Resources: .*$/gm)!;
    expect(counts).toEqual([`Resources: pulumi preview would show ${doc.resources.length} to create (the stack, 5 components and the ${doc.resources.length - 6} resources below)`]);
    expect(eu.stdout).not.toMatch(/\(\d+ resources?\)/);
  });

  test("--diff of two different stacks says so, on the terminal and under the diff", () => {
    expect(us.stderr).toMatch(/warning: --diff compares different stacks: .*eu\.json is a plan of "eu", this one of "us", so every difference/);
    const text = us.stdout.replace(/\n {4}/g, " ");
    expect(text).toMatch(/\n {2}warning: --diff compares different stacks: .*eu\.json is a plan of "eu", this one of "us", so every difference between them shows as a change/);
    expect(eu.stderr).not.toContain("different stacks");
  });
});

describe("config errors", () => {
  test("an app password label whose end date has passed is a config problem: exit 2, key named, nothing registered", async () => {
    const file = stackFile("eu", "Pulumi.expired.yaml", { appPasswordRotation: "2024-06" });
    const out = path.join(TMP, "expired.json");
    const r = await plan("--stack", "expired", "--config", file, "--json", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pexip-teams-connector:appPasswordRotation = "2024-06": the application password\'s end date 2026-06-01T00:00:00Z is in the past');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toContain("Resources:");
    expect(fs.existsSync(out)).toBe(false);
  });

  test("a stack file breaking five rules exits 2, lists every problem and writes nothing", async () => {
    const file = stackFile("eu", "Pulumi.broken.yaml", {
      baseName: "Pexip_Too_Long", // pattern
      instanceCount: 0, // 1-100
      nodeFqdns: ["not a fqdn"], // FQDN
      managementSourcePrefixes: ["91.90.42.96/26"], // host bits
      customerUsageAttribution: undefined, // required
    });
    const out = path.join(TMP, "broken.json");
    const r = await plan("--stack", "broken", "--config", file, "--json", out);
    expect(r.code).toBe(2);
    for (const key of ["baseName", "instanceCount", "nodeFqdns", "managementSourcePrefixes", "customerUsageAttribution"]) {
      expect(r.stderr).toContain(`pexip-teams-connector:${key}`);
    }
    expect(r.stderr).toMatch(/has \d+ problems \(nothing was registered\)/);
    expect(r.stdout).not.toContain("Resources:");
    expect(fs.existsSync(out)).toBe(false);
  });
});

/** A PFX the certificate checks accept at NOW: RSA, serverAuth+clientAuth, covers the FQDN, intermediate in the bag. */
function makePfx(fqdn: string, password: string): Buffer {
  return testCa(NOW, "plan").leafPfx([fqdn], password);
}

describe("masking", () => {
  test("no secret reaches the JSON or the terminal: config secrets, the PFX and the generated app password", async () => {
    const adminPassword = "Kx9!seeded-admin-Pw-7731";
    const pfxPassword = "pfx-Pass-seeded-0442";
    const pfx = makePfx("pexip-teamsconn-eu.teams.example.com", pfxPassword);
    const pfxFile = path.join(TMP, "connector.pfx");
    fs.writeFileSync(pfxFile, pfx);
    const file = stackFile("eu", "Pulumi.masked.yaml", { certificate: { pfxFile } });
    const out = path.join(TMP, "masked.json");
    const r = await plan("--stack", "eu", "--config", file, "--json", out,
      "--secret", `pexip-teams-connector:adminPassword=${adminPassword}`,
      "--secret", `pexip-teams-connector:certificate.password=${pfxPassword}`);
    expect(r.stderr).not.toMatch(/problem|the program failed/);
    expect(r.code).toBe(0);
    const json = fs.readFileSync(out, "utf8");
    const appPassword = `mock~${hash("azuread:index/applicationPassword:ApplicationPassword::bot-password", 34)}`;
    const pfxB64 = pfx.toString("base64");
    for (const [what, secret] of Object.entries({ adminPassword, pfxPassword, appPassword, pfxStart: pfxB64.slice(0, 48), pfxEnd: pfxB64.slice(-48) })) {
      expect({ what, inJson: json.includes(secret), inStdout: r.stdout.includes(secret), inStderr: r.stderr.includes(secret) })
        .toEqual({ what, inJson: false, inStdout: false, inStderr: false });
    }
    expect(json).toContain('"[secret]"');
    expect(readJson(out).outputs.appPassword).toBe("[secret]");
  });
});

describe("masking by where a value is secret (issue 15)", () => {
  test("a short PFX password (`teams`) is masked where it is secret and corrupts nothing else", async () => {
    const pfx = makePfx("pexip-teamsconn-eu.teams.example.com", "teams");
    const pfxFile = path.join(TMP, "short.pfx");
    fs.writeFileSync(pfxFile, pfx);
    const file = stackFile("eu", "Pulumi.short.yaml", { certificate: { pfxFile } });
    const out = path.join(TMP, "short.json");
    const r = await plan("--stack", "eu", "--config", file, "--json", out, "--secret", "pexip-teams-connector:certificate.password=teams");
    expect(r.stderr).not.toMatch(/problem|the program failed/);
    expect(r.code).toBe(0);
    const json = fs.readFileSync(out, "utf8");
    for (const text of [json, r.stdout, r.stderr]) expect(text).not.toMatch(/-\[secret\]|\[secret\]-|\.\[secret\]|\[secret\]conn/);
    const doc = readJson(out);
    expect(doc.outputs.connectorFqdn).toBe("pexip-teamsconn-eu.teams.example.com");
    expect(doc.resources.filter((x: { urn: string }) => x.urn.includes("[secret]"))).toEqual([]);
    // The password itself: masked in the config summary, never printed as a value.
    expect(r.stdout).toMatch(/^\s+certificate\s+\{"password":"\[secret\]","pfxFile":"[^"]+short\.pfx"\}$/m);
    expect(r.stdout).not.toMatch(/password[^\n]{0,12}teams/);
  });
});

describe("diff", () => {
  test("a connectorVersion bump is updates only (with input paths), never a replace", async () => {
    const file = stackFile("eu", "Pulumi.bump.yaml", { connectorVersion: "26.3" });
    const out = path.join(TMP, "bump.json");
    const r = await plan("--stack", "eu", "--config", file, "--json", out, "--diff", euJson);
    expect(r.code).toBe(0);
    const d = readJson(out).diff;
    expect(d.counts.replace).toBe(0);
    expect(d.counts.update).toBeGreaterThan(0);
    const updates = d.changes.filter((c: { kind: string }) => c.kind === "update");
    for (const u of updates) expect(u.paths.length).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/Changes against [^\n]*:\s+\d+ to create, [1-9]\d* to update, 0 to replace, \d+ to delete/);
  });

  test("a change Azure refuses in place: the diff says so, warns, and the plan exits 1", async () => {
    // The old plan had another OS disk type: Azure cannot change it on a scale set.
    const old = readJson(euJson);
    const vmss = old.resources.find((r: { type: string }) => r.type === "azure-native:compute:VirtualMachineScaleSet");
    vmss.inputs.virtualMachineProfile.storageProfile.osDisk.managedDisk.storageAccountType = "StandardSSD_LRS";
    const oldFile = path.join(TMP, "old-disk.json");
    fs.writeFileSync(oldFile, JSON.stringify(old));
    const r = await plan("--stack", "eu", "--diff", oldFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/0 to delete, 1 refused by Azure\n/);
    expect(r.stdout).toContain("  !  refused azure-native:compute:VirtualMachineScaleSet  vmss-vmss\n");
    expect(r.stdout).toContain("Azure refuses this in place: virtualMachineProfile.storageProfile.osDisk.managedDisk.storageAccountType [1]\n");
    expect(r.stderr).toContain('warning: --diff: 1 change that Azure refuses in place (pulumi up would fail): see "refused" in the diff\n');
  });

  test("a baseName change replaces what is named after it", async () => {
    const file = stackFile("eu", "Pulumi.rename.yaml", { baseName: "pexnew" });
    const out = path.join(TMP, "rename.json");
    const r = await plan("--stack", "eu", "--config", file, "--json", out, "--diff", euJson);
    expect(r.code).toBe(0);
    const d = readJson(out).diff;
    expect(d.counts.replace).toBeGreaterThan(0);
    const rg = d.changes.find((c: { type: string; name: string }) => c.type === "azure-native:resources:ResourceGroup" && c.name === "bot-rg");
    expect(rg).toEqual(expect.objectContaining({ kind: "replace", paths: expect.arrayContaining(["inputs.resourceGroupName"]) }));
  });
});

describe("the clock", () => {
  // A year ahead and a month back, as testing.md moves the wall clock: `pulumi up` keeps a self-signed certificate in state.
  // Offline, with no state, nothing renews: the tls provider's early renewal of the lab certificate is a live-only
  // replace (docs/commands.md), not modelled here.
  test.each([["a year later", 400], ["a month earlier", -30]])("eu planned %s is the same plan: identical resources, --diff reports no change", async (_, days) => {
    const out = path.join(TMP, `eu-${days}d.json`);
    const r = await planAt(new Date(NOW.getTime() + days * DAY), "--stack", "eu", "--json", out, "--diff", euJson);
    expect(r.code).toBe(0);
    const doc = readJson(out);
    expect(JSON.stringify(doc.resources)).toBe(JSON.stringify(readJson(euJson).resources));
    expect(doc.diff.counts).toEqual({ create: 0, update: 0, replace: 0, refused: 0, delete: 0 });
    expect(doc.diff.changes).toEqual([]);
    expect(r.stdout).toMatch(/:\s+0 to create, 0 to update, 0 to replace, 0 to delete, 0 refused by Azure\n {2}\(no changes\)\n/);
  });

  test("a real change planned at another clock is the only change: instanceCount 3 -> 4 updates the scale set's capacity and batches", async () => {
    const file = stackFile("eu", "Pulumi.count.yaml", { instanceCount: 4 });
    const out = path.join(TMP, "count.json");
    const r = await planAt(new Date(NOW.getTime() + 400 * DAY), "--stack", "eu", "--config", file, "--json", out, "--diff", euJson);
    expect(r.code).toBe(0);
    const d = readJson(out).diff;
    expect(d.counts).toEqual({ create: 0, update: 1, replace: 0, refused: 0, delete: 0 });
    expect(d.changes.map((c: { kind: string; name: string; leaves: unknown }) => [c.kind, c.name, c.leaves])).toEqual([["update", "vmss-vmss", [
      { path: "sku.capacity", from: 3, to: 4 },
      { path: "upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent", from: 33, to: 25 },
      { path: "upgradePolicy.rollingUpgradePolicy.maxUnhealthyInstancePercent", from: 67, to: 50 },
    ]]]);
  });
});

/** One Mermaid flowchart statement per line: what this plan emits, and nothing else. */
const ID = "[A-Za-z][A-Za-z0-9_]*";
const QUOTED = '"[^"]*"';
const STATEMENTS: [string, RegExp][] = [
  ["header", /^flowchart LR$/],
  ["subgraph", new RegExp(`^\\s*subgraph (${ID})\\[${QUOTED}\\]$`)],
  ["end", /^\s*end$/],
  ["node", new RegExp(`^\\s*(${ID})\\[${QUOTED}\\]$`)],
  ["stadium", new RegExp(`^\\s*(${ID})\\(\\[${QUOTED}\\]\\)$`)],
  ["edge", new RegExp(`^\\s*(${ID}) (?:-->|-\\.->|==>)\\|${QUOTED}\\| (${ID})$`)],
];

describe("mermaid", () => {
  test("every line is a known flowchart statement; subgraphs balance; edges join defined nodes with quoted labels; same JSON again", async () => {
    // The same run checks determinism: its JSON must equal the first eu plan's, byte for byte.
    const again = path.join(TMP, "eu-again.json");
    const r = await plan("--stack", "eu", "--format", "mermaid", "--json", again);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(again, "utf8")).toBe(fs.readFileSync(euJson, "utf8"));
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("flowchart LR");
    const defined = new Set<string>();
    let depth = 0;
    const edges: string[][] = [];
    for (const line of lines) {
      const hit = STATEMENTS.find(([, re]) => re.test(line));
      expect({ line, known: hit !== undefined }).toEqual({ line, known: true });
      const [kind, re] = hit!;
      const m = re.exec(line)!;
      if (kind === "subgraph") depth++;
      if (kind === "end") depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
      if (kind === "node" || kind === "stadium" || kind === "subgraph") {
        expect(defined.has(m[1])).toBe(false);
        defined.add(m[1]);
      }
      if (kind === "edge") edges.push([m[1], m[2]]);
      for (const reserved of ["end", "graph", "subgraph", "flowchart"]) expect(m[1]).not.toBe(reserved);
    }
    expect(depth).toBe(0);
    for (const [a, b] of edges) expect([defined.has(a), defined.has(b)]).toEqual([true, true]);
    // The flows of network.md with their ports: media from the nodes, Teams signalling NAT, enhanced status.
    expect(r.stdout).toContain('"2: 50000-54999 UDP call media"');
    expect(r.stdout).toContain('"10: 10000-10399 TCP signalling (NAT to instance port 10100)"');
    expect(r.stdout).toContain('"3: 5671-5672 AMQP/TCP enhanced status"');
    // Every flow of the port table is drawn and numbered; RDP (13) dashed: the eu stack has no managementSourcePrefixes.
    const { flows } = await import("../components/network");
    for (const f of flows()) expect(r.stdout).toMatch(new RegExp(`\\|"${f.id}: `));
    expect(r.stdout).toMatch(/ -\.->\|"13: 50000-50399 TCP RDP \(NAT to instance port 3389\) \(off: managementSourcePrefixes is empty\)"\| /);
    // The structure: public IP -> load balancer, NSG -> subnet (VNet) and scale set, Key Vault -> scale set and DES, identity -> grants.
    const doc = readJson(euJson);
    const id = (name: string) => nodeId("r", doc.resources.find((x: { name: string; type: string }) => x.name === name && !x.type.startsWith("pexip:")).urn);
    for (const [from, to, what] of [
      ["static-pip", "vmss-lb", "static IP: the frontend"], ["vmss-nsg", "vmss-vnet", "NSG of the subnet"], ["vmss-nsg", "vmss-vmss", "NSG of the NICs"],
      ["static-kv", "vmss-vmss", "certificate"], ["static-kv", "static-des", "disk key"], ["static-identity", "static-role-blob-data-contributor-logs", "granted"],
      ["static-des-identity", "static-role-kv-crypto-encryption-user-des", "granted"], ["consent-identity", "consent-package-reader", "granted"],
    ]) expect(r.stdout).toContain(`  ${id(from)} ==>|"${what}"| ${id(to)}\n`);
    // One subgraph per component of the plan.
    const components = readJson(euJson).resources.filter((x: { type: string }) => x.type.startsWith("pexip:teams:"));
    expect(lines.filter((l) => /^\s*subgraph /.test(l))).toHaveLength(components.length);
  });
});

describe("command line", () => {
  test("--help exits 0 and documents every flag and exit status", async () => {
    const r = await plan("--help");
    expect(r.code).toBe(0);
    for (const flag of ["--stack", "--config", "--secret", "--json", "--diff", "--format", "--app-stack-plan"]) expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/^\s+2\s+the plan could not be made/m);
  });

  test("an unknown flag exits 2 and names it", async () => {
    const r = await plan("--stack", "eu", "--frobnicate");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option --frobnicate");
  });

  test("a missing stack file exits 2", async () => {
    const r = await plan("--stack", "nosuchstack");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read the stack file .*Pulumi\.nosuchstack\.yaml/);
  });
});
