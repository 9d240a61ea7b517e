/**
 * `npm run import-static`: the mapping of a PowerShell static resource group onto StaticResources (pure
 * functions, hand-written `az resource list` fixture), the CLI's exit codes and files, and the round trip
 * init script -> stack file -> existingStatic keys -> loadConfig.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { loadConfig } from "../components/config";
import { NOW } from "./fixtures/clock";
import { main as importInitScript } from "../tools/migration/importInitScript";
import { main as importStatic } from "../tools/migration/importStatic";
import { parseStackFile, readStackFile, stackFileSource } from "../tools/engine/stackFile";
import {
  AzResource,
  importFileText,
  mergeExistingStatic,
  parseArmId,
  planStaticImport,
  readAzResources,
  STATIC_COMPONENT,
  STATIC_IMPORT_TABLE,
  staticUrn,
} from "../tools/migration/staticImport";

const ROOT = path.resolve(__dirname, "..");
const FIXTURE = path.join(__dirname, "fixtures", "az-static-rg.json");
const SUB = "0f2a6c1e-3b7d-4e59-9a80-5c4d3e2f1a0b";
const RG = "pexip-TeamsConn-eu-static-RG";
const RG_ID = `/subscriptions/${SUB}/resourceGroups/${RG}`;
const NS_ID = `${RG_ID}/providers/Microsoft.EventHub/namespaces/pexipeu-tzfk6222uoehn`;
const P = "pexip-teams-connector";

const fixture = (): AzResource[] => JSON.parse(fs.readFileSync(FIXTURE, "utf8"));
const STACK = { stack: "eu", baseName: "pexip", regionCode: "eu", subscriptionId: SUB, location: "westeurope" };

function item(type: string, name: string, id: string, extra: Partial<AzResource> = {}): AzResource {
  return { id, name, type, location: "westeurope", resourceGroup: RG, tags: {}, ...extra };
}
const eventHub = (name = "events_hub") => item("Microsoft.EventHub/Namespaces/EventHubs", name, `${NS_ID}/eventhubs/${name}`);
const rule = (hub: string, name = "standard_access_policy") =>
  item("Microsoft.EventHub/Namespaces/EventHubs/AuthorizationRules", name, `${NS_ID}/eventhubs/${hub}/authorizationRules/${name}`);

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "import-static-"));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function run(fn: typeof importStatic, argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = fn(argv, { cwd, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("the mapping table (contract with components/staticResources.ts)", () => {
  test("one row per static resource, with the agreed type tokens and logical names", () => {
    expect(STATIC_COMPONENT).toEqual({ type: "pexip:teams:StaticResources", name: "static" });
    expect(STATIC_IMPORT_TABLE.map((e) => [e.pulumiType, e.logicalName, e.existingKey ?? e.seedName ?? null])).toEqual([
      ["azure-native:resources:ResourceGroup", "static-rg", null],
      ["azure-native:network:PublicIPAddress", "static-pip", "publicIpName"],
      ["azure-native:keyvault:Vault", "static-kv", "keyVaultName"],
      ["azure-native:storage:StorageAccount", "static-logs", "storageAccountName"],
      ["azure-native:eventhub:Namespace", "static-evhns", "eventHubNamespace"],
      ["azure-native:eventhub:EventHub", "static-evh", "events_hub"],
      ["azure-native:eventhub:EventHubAuthorizationRule", "static-evh-rule", "standard_access_policy"],
    ]);
  });

  test("URNs: the component is a child of the stack, the resources children of the component", () => {
    expect(staticUrn("eu")).toBe("urn:pulumi:eu::pexip-teams-connector::pexip:teams:StaticResources::static");
    expect(staticUrn("eu", STATIC_IMPORT_TABLE[2])).toBe("urn:pulumi:eu::pexip-teams-connector::pexip:teams:StaticResources$azure-native:keyvault:Vault::static-kv");
  });

  test("ARM IDs are parsed into subscription, group, type and name", () => {
    expect(parseArmId(`${NS_ID}/eventhubs/events_hub`)).toEqual({ subscriptionId: SUB, resourceGroup: RG, type: "Microsoft.EventHub/namespaces/eventhubs", name: "events_hub" });
    expect(parseArmId(RG_ID)).toEqual({ subscriptionId: SUB, resourceGroup: RG, type: "Microsoft.Resources/resourceGroups", name: RG });
    expect(parseArmId("/subscriptions/x/resourceGroups/y/providers/Microsoft.Web")).toBeUndefined();
    expect(parseArmId("not-an-id")).toBeUndefined();
  });
});

describe("planStaticImport on the fixture", () => {
  const plan = planStaticImport(fixture(), { ...STACK, providerVersion: "3.28.0" });

  test("no errors; the group, public IP, Key Vault, storage and Event Hubs namespace are mapped", () => {
    expect(plan.errors).toEqual([]);
    expect(plan.selections.map((s) => [s.entry.logicalName, s.name])).toEqual([
      ["static-rg", RG],
      ["static-pip", "pexipeu-pip-static"],
      ["static-kv", "pexipeu-kv-qz4r7t2b"],
      ["static-logs", "pexipeulogsqz4r7t2b"],
      ["static-evhns", "pexipeu-tzfk6222uoehn"],
    ]);
  });

  test("the import file has the documented shape: the component, then each resource with its parent, ID and provider version", () => {
    expect(plan.importFile.nameTable).toEqual({ azure: "urn:pulumi:eu::pexip-teams-connector::pulumi:providers:azure-native::azure" });
    expect(plan.importFile.resources[0]).toEqual({ type: "pexip:teams:StaticResources", name: "static", component: true });
    expect(plan.importFile.resources[1]).toEqual({ type: "azure-native:resources:ResourceGroup", name: "static-rg", logicalName: "static-rg", id: RG_ID, parent: "static", provider: "azure", version: "3.28.0" });
    expect(plan.importFile.resources[2]).toEqual({
      type: "azure-native:network:PublicIPAddress",
      name: "static-pip",
      logicalName: "static-pip",
      id: `${RG_ID}/providers/Microsoft.Network/publicIPAddresses/pexipeu-pip-static`,
      parent: "static",
      provider: "azure",
      version: "3.28.0",
    });
    expect(plan.importFile.resources).toHaveLength(6);
    expect(JSON.parse(importFileText(plan))).toEqual(plan.importFile);
  });

  test("the existingStatic keys carry the PowerShell names, as config set commands", () => {
    expect(plan.existingStatic).toEqual({
      publicIpName: "pexipeu-pip-static",
      keyVaultName: "pexipeu-kv-qz4r7t2b",
      storageAccountName: "pexipeulogsqz4r7t2b",
      eventHubNamespace: "pexipeu-tzfk6222uoehn",
    });
    expect(plan.configCommands).toContain("pulumi config set --stack eu --path existingStatic.keyVaultName pexipeu-kv-qz4r7t2b");
    expect(plan.configCommands).toHaveLength(4);
  });

  test("the Automation account is reported as not adopted, with what to do", () => {
    const w = plan.warnings.filter((x) => x.startsWith("not adopted"));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('Microsoft.Automation/automationAccounts "pexipeu-automation"');
    expect(w[0]).toContain("neither creates nor uses Azure Automation");
  });

  test("asks for the event hub listing, and names the live checks", () => {
    expect(plan.checks.some((c) => c.includes("az eventhubs eventhub list --resource-group pexip-TeamsConn-eu-static-RG --namespace-name pexipeu-tzfk6222uoehn"))).toBe(true);
    expect(plan.checks.some((c) => c.startsWith("the public IP: az network public-ip show"))).toBe(true);
    expect(plan.checks.some((c) => c.includes("enableRbacAuthorization"))).toBe(true);
  });
});

describe("planStaticImport decisions", () => {
  test("the event hub and its access policy are mapped when their listings are given", () => {
    const plan = planStaticImport([...fixture(), eventHub(), eventHub("other_hub"), rule("events_hub"), rule("events_hub", "RootManageSharedAccessKey")], STACK);
    expect(plan.errors).toEqual([]);
    const byName = Object.fromEntries(plan.selections.map((s) => [s.entry.logicalName, s.id]));
    expect(byName["static-evh"]).toBe(`${NS_ID}/eventhubs/events_hub`);
    expect(byName["static-evh-rule"]).toBe(`${NS_ID}/eventhubs/events_hub/authorizationRules/standard_access_policy`);
    expect(plan.importFile.resources.find((r) => r.name === "static-evh-rule")?.parent).toBe("static");
    expect(plan.warnings.filter((w) => w.startsWith("not adopted")).map((w) => w.split(":")[1].trim())).toEqual([
      'Microsoft.Automation/automationAccounts "pexipeu-automation"',
      'Microsoft.EventHub/Namespaces/EventHubs "other_hub"',
      'Microsoft.EventHub/Namespaces/EventHubs/AuthorizationRules "RootManageSharedAccessKey"',
    ]);
    expect(plan.checks.some((c) => c.includes("az eventhubs"))).toBe(false);
  });

  test("event hubs listed without events_hub: the program will create it", () => {
    const plan = planStaticImport([...fixture(), eventHub("something_else")], STACK);
    expect(plan.selections.some((s) => s.entry.role === "eventHub")).toBe(false);
    expect(plan.warnings).toContain("pexipeu-tzfk6222uoehn has no event hub named events_hub (it has something_else): the program will create events_hub");
  });

  test("a resource group the program would name differently is an error that says what to do", () => {
    const plan = planStaticImport(fixture(), { ...STACK, baseName: "acme" });
    expect(plan.errors).toHaveLength(1);
    expect(plan.errors[0]).toContain('the program uses "acme-TeamsConn-eu-static-RG"');
    expect(plan.errors[0]).toContain("$PxBaseConnName and $PxVmssRegion");
  });

  test("a difference in letter case only is a warning with the check to make", () => {
    const items = fixture().map((r) => ({ ...r, id: r.id.replace(RG, "pexip-teamsconn-eu-static-rg"), resourceGroup: "pexip-teamsconn-eu-static-rg" }));
    const plan = planStaticImport(items, STACK);
    expect(plan.errors).toEqual([]);
    expect(plan.warnings.some((w) => w.includes('the resource group is "pexip-teamsconn-eu-static-rg"; the program names it "pexip-TeamsConn-eu-static-RG"'))).toBe(true);
  });

  test("Azure's upper-cased group in some IDs does not win over the real spelling", () => {
    const items = fixture();
    items[0] = { ...items[0], id: items[0].id.replace(RG, RG.toUpperCase()), resourceGroup: RG.toUpperCase() };
    const plan = planStaticImport(items, { stack: "eu" });
    expect(plan.resourceGroup?.name).toBe(RG);
    expect(plan.warnings.some((w) => w.includes(`"${RG.toUpperCase()}"`) && w.includes(`"${RG}" was used`))).toBe(true);
  });

  test("every import ID spells the group as Azure names it, whatever case each listed ID used", () => {
    const items = fixture().map((r, i) => ({ ...r, id: r.id.replace(RG, i % 2 === 0 ? RG.toUpperCase() : RG.toLowerCase()) }));
    const plan = planStaticImport([...items, item("Microsoft.Resources/resourceGroups", RG, RG_ID)], STACK);
    expect(plan.errors).toEqual([]);
    const ids = plan.importFile.resources.filter((r) => r.id !== undefined).map((r) => r.id!);
    expect(ids.length).toBeGreaterThan(3);
    for (const id of ids) expect(id.split("/")[4]).toBe(RG);
  });

  test("without stack config, baseName and regionCode come from the group's name and are reported", () => {
    const plan = planStaticImport(fixture(), { stack: "eu" });
    expect(plan.errors).toEqual([]);
    expect(plan.naming).toEqual({ baseName: "pexip", regionCode: "eu", from: "resource group name" });
  });

  test("a group that does not follow the naming cannot be adopted without stack config", () => {
    const items = fixture().map((r) => ({ ...r, id: r.id.replace(RG, "video-static"), resourceGroup: "video-static" }));
    expect(planStaticImport(items, { stack: "eu" }).errors[0]).toContain('"video-static" is not named <baseName>-TeamsConn-<regionCode>-static-RG');
  });

  test("another subscription or region than the stack's is an error", () => {
    expect(planStaticImport(fixture(), { ...STACK, subscriptionId: "11111111-2222-3333-4444-555555555555" }).errors[0]).toContain("the stack's azure-native:subscriptionId is 11111111");
    const wrongRegion = planStaticImport(fixture(), { ...STACK, location: "northeurope" });
    expect(wrongRegion.errors).toHaveLength(1);
    expect(wrongRegion.errors[0]).toContain("pexipeu-pip-static is in westeurope");
    expect(wrongRegion.errors[0]).toContain("azure-native:location is northeurope");
  });

  test("two Key Vaults: the one named after the scale set is taken by the seed's convention", () => {
    const extra = item("Microsoft.KeyVault/vaults", "ops-secrets", `${RG_ID}/providers/Microsoft.KeyVault/vaults/ops-secrets`);
    const plan = planStaticImport([...fixture(), extra], STACK);
    expect(plan.errors).toEqual([]);
    expect(plan.existingStatic.keyVaultName).toBe("pexipeu-kv-qz4r7t2b");
    expect(plan.warnings.some((w) => w.startsWith("2 Key Vaults") && w.includes('took "pexipeu-kv-qz4r7t2b"'))).toBe(true);
    expect(plan.warnings.some((w) => w.startsWith('not adopted: Microsoft.KeyVault/vaults "ops-secrets"'))).toBe(true);
  });

  test("two Key Vaults and no rule to choose: an error naming the flag; the flag decides", () => {
    const a = item("Microsoft.KeyVault/vaults", "pexipeu-kv-a", `${RG_ID}/providers/Microsoft.KeyVault/vaults/pexipeu-kv-a`);
    const items = [...fixture(), a];
    const plan = planStaticImport(items, STACK);
    expect(plan.errors).toEqual(["2 Key Vaults in pexip-TeamsConn-eu-static-RG (pexipeu-kv-qz4r7t2b, pexipeu-kv-a) and no rule tells which one the Teams Connector uses: choose with --key-vault <name>"]);
    const chosen = planStaticImport(items, { ...STACK, choose: { keyVault: "pexipeu-kv-a" } });
    expect(chosen.errors).toEqual([]);
    expect(chosen.existingStatic.keyVaultName).toBe("pexipeu-kv-a");
    expect(planStaticImport(items, { ...STACK, choose: { keyVault: "nope" } }).errors[0]).toContain('the Key Vault "nope" you chose is not in');
  });

  test("a missing public IP is a warning that the address will change", () => {
    const plan = planStaticImport(fixture().filter((r) => r.type !== "Microsoft.Network/publicIPAddresses"), STACK);
    expect(plan.errors).toEqual([]);
    expect(plan.existingStatic.publicIpName).toBeUndefined();
    expect(plan.warnings.some((w) => w.startsWith("no static public IP") && w.includes("address (and its DNS A record) will change"))).toBe(true);
  });

  test("a Basic SKU public IP is flagged", () => {
    const items = fixture().map((r) => (r.type === "Microsoft.Network/publicIPAddresses" ? { ...r, sku: { name: "Basic", tier: "Regional" } } : r));
    expect(planStaticImport(items, STACK).warnings.some((w) => w.includes("has the Basic SKU"))).toBe(true);
  });

  test("with the component already in the state, the import refers to it through nameTable", () => {
    const plan = planStaticImport(fixture(), { ...STACK, componentInState: true });
    expect(plan.importFile.nameTable).toEqual({
      azure: "urn:pulumi:eu::pexip-teams-connector::pulumi:providers:azure-native::azure",
      static: "urn:pulumi:eu::pexip-teams-connector::pexip:teams:StaticResources::static",
    });
    expect(plan.importFile.resources.some((r) => r.component)).toBe(false);
    expect(plan.importFile.resources.every((r) => r.parent === "static")).toBe(true);
  });

  test("input spanning several groups: the static one is used, the rest ignored; no static one is an error", () => {
    const other = item("Microsoft.Compute/virtualMachineScaleSets", "pexipeu", `/subscriptions/${SUB}/resourceGroups/pexip-TeamsConn-eu-RG/providers/Microsoft.Compute/virtualMachineScaleSets/pexipeu`);
    const plan = planStaticImport([...fixture(), other], STACK);
    expect(plan.resourceGroup?.name).toBe(RG);
    expect(plan.warnings).toContain("1 resource(s) of another resource group (pexip-TeamsConn-eu-RG) were ignored");
    const two = item("Microsoft.Compute/disks", "d", `/subscriptions/${SUB}/resourceGroups/other-RG/providers/Microsoft.Compute/disks/d`);
    expect(planStaticImport([other, two], { stack: "eu" }).errors[0]).toContain("the input spans 2 resource groups");
  });

  test("an empty listing is an error", () => {
    expect(planStaticImport([], STACK).errors[0]).toContain("the input lists no resources");
  });

  test("readAzResources accepts arrays and { value: [...] }, and rejects what is not az output", () => {
    expect(readAzResources([fixture(), { value: [eventHub()] }]).resources).toHaveLength(6);
    expect(readAzResources([{ hello: 1 }]).errors).toEqual(["input 1: not the output of az resource list -o json (expected a JSON array of resources)"]);
    expect(readAzResources([[{ id: "x", name: "n", type: "t" }]]).errors[0]).toContain('"x" is not an Azure resource ID');
    expect(readAzResources([[{ name: "n" }]]).errors[0]).toContain("item 1: not an Azure resource");
  });
});

describe("mergeExistingStatic", () => {
  test("adds existingStatic to a stack file and keeps its comments and keys", () => {
    const before = "# my stack\nconfig:\n  pexip-teams-connector:baseName: pexip # base\n  pexip-teams-connector:adminPassword:\n    secure: v1:abc\n";
    const after = mergeExistingStatic(before, { keyVaultName: "kv1", publicIpName: "pip1" });
    expect(after).toContain("# my stack");
    expect(after).toContain("# base");
    const sf = parseStackFile(after);
    expect(sf.entries.get(`${P}:existingStatic`)?.value).toEqual({ keyVaultName: "kv1", publicIpName: "pip1" });
    expect(sf.entries.get(`${P}:adminPassword`)?.secret).toBe(true);
    expect(parseDocument(mergeExistingStatic(undefined, { eventHubNamespace: "ns1" })).toJS()).toEqual({ config: { [`${P}:existingStatic`]: { eventHubNamespace: "ns1" } } });
  });
});

describe("import-static CLI", () => {
  test("--help exits 0 with the usage", () => {
    const r = run(importStatic, ["--help"], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: npm run import-static -- --stack <name> <resources.json>");
  });

  test.each([
    [[FIXTURE], "--stack <name> is required"],
    [["--stack", "eu"], "the az resource list output (a JSON file) is missing"],
    [["--stack", "eu", "--nope", FIXTURE], "unknown option --nope"],
    [["--stack", "eu", "missing.json"], "cannot read missing.json: ENOENT"],
  ])("usage errors exit 2: %j", (argv, message) => {
    const r = run(importStatic, argv as string[], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test("input that is not JSON, or not az output, exits 2", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "bad.json"), "{ not json");
    fs.writeFileSync(path.join(dir, "obj.json"), '{"a":1}');
    expect(run(importStatic, ["--stack", "eu", "bad.json"], dir)).toMatchObject({ code: 2 });
    expect(run(importStatic, ["--stack", "eu", "obj.json"], dir).stderr).toContain("not the output of az resource list");
  });

  test("an ambiguity exits 2 and writes no file", () => {
    const dir = tempDir();
    // Both start with the scale set's name pexipeu, so the seed's convention cannot choose.
    const items = [...fixture(), item("Microsoft.Storage/storageAccounts", "pexipeulogsold", `${RG_ID}/providers/Microsoft.Storage/storageAccounts/pexipeulogsold`)];
    fs.writeFileSync(path.join(dir, "rg.json"), JSON.stringify(items));
    const r = run(importStatic, ["--stack", "eu", "rg.json"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("choose with --storage-account <name>");
    expect(fs.existsSync(path.join(dir, "import-static.eu.json"))).toBe(false);
    expect(run(importStatic, ["--stack", "eu", "rg.json", "--storage-account", "pexipeulogsqz4r7t2b"], dir).code).toBe(0);
  });

  test("a stack file whose region differs from the resources' exits 2", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "Pulumi.eu.yaml"), `config:\n  azure-native:location: northeurope\n  ${P}:baseName: pexip\n  ${P}:regionCode: eu\n`);
    const r = run(importStatic, ["--stack", "eu", FIXTURE], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("azure-native:location is northeurope");
  });

  test("--config-out that is a device is refused unread (exit 1, nothing merged)", () => {
    const dir = tempDir();
    const r = run(importStatic, ["--stack", "eu", FIXTURE, "--config-out", "/dev/zero", "--out", "import.json"], dir);
    expect([r.code, r.stderr]).toEqual([1, "import-static: cannot update /dev/zero: larger than 1048576 bytes (a stack file is a few kilobytes)"]);
  });

  test("round trip: init script -> stack file -> import file and existingStatic -> the program's config loader", () => {
    const dir = tempDir();
    const script = [
      '$PxBaseConnName = "pexip"',
      '$PxVmssRegion = "eu"',
      '$PxTeamsConnFqdn = "pexip-teamsconn-eu.teams.example.com"',
      '$PxNodeFqdns = "pxedge.vc.example.com"',
      `$PxSubscriptionId = "${SUB}"`,
      '$PxAzureLocation = "westeurope"',
      "$PxCustomerUsageAttribution = $false",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "init.ps1"), script);
    expect(run(importInitScript, ["init.ps1"], dir).code).toBe(0);

    const r = run(importStatic, ["--stack", "eu", FIXTURE, "--config-out", "Pulumi.eu.yaml"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("checked against Pulumi.eu.yaml");
    expect(r.stdout).toContain([
      '  pulumi up --stack eu --target "urn:pulumi:eu::pexip-teams-connector::pulumi:providers:azure-native::azure"',
      "  pulumi import --stack eu --file import-static.eu.json --generate-code=false",
    ].join("\n"));
    const written = JSON.parse(fs.readFileSync(path.join(dir, "import-static.eu.json"), "utf8"));
    expect(written.resources.map((x: { name: string }) => x.name)).toEqual(["static", "static-rg", "static-pip", "static-kv", "static-logs", "static-evhns"]);
    expect(written.resources[1].version).toBe(require("@pulumi/azure-native/package.json").version);

    // The keys the tool cannot know, then the program's own loader sees the adopted names.
    const doc = parseDocument(fs.readFileSync(path.join(dir, "Pulumi.eu.yaml"), "utf8"));
    doc.setIn(["config", `${P}:connectorVersion`], "26.2");
    doc.setIn(["config", `${P}:certificate`], { selfSigned: true });
    fs.writeFileSync(path.join(dir, "Pulumi.eu.yaml"), doc.toString());
    const loaded = loadConfig(stackFileSource(readStackFile(path.join(dir, "Pulumi.eu.yaml"))), { stack: "eu", projectDir: dir, offline: true, now: NOW });
    expect(loaded.errors).toEqual([]);
    expect(loaded.config?.existingStatic).toEqual({
      publicIpName: "pexipeu-pip-static",
      keyVaultName: "pexipeu-kv-qz4r7t2b",
      storageAccountName: "pexipeulogsqz4r7t2b",
      eventHubNamespace: "pexipeu-tzfk6222uoehn",
    });
    expect(loaded.config?.names.staticResourceGroup).toBe(RG);

    // Refuses to overwrite the import file without --force.
    expect(run(importStatic, ["--stack", "eu", FIXTURE], dir)).toMatchObject({ code: 2 });
    expect(run(importStatic, ["--stack", "eu", FIXTURE, "--force"], dir).code).toBe(0);
  });

  test("as a child process, the way npm run import-static runs it", () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, ["-r", path.join(ROOT, "tools/register.js"), path.join(ROOT, "tools/migration/importStatic.ts"), "--stack", "eu", FIXTURE, "--out", "adopt.json"], {
      cwd: dir,
      // Under npm test, INIT_CWD is the repository; an operator's shell has none (or their own directory).
      env: { ...process.env, INIT_CWD: dir },
      encoding: "utf8",
      timeout: 60000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("static-kv        azure-native:keyvault:Vault");
    expect(JSON.parse(fs.readFileSync(path.join(dir, "adopt.json"), "utf8")).resources).toHaveLength(6);
  });
});
