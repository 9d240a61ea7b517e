/**
 * The table of property changes that are no in-place update (components/updateRules.ts) and the offline diff that
 * classifies with it (tools/engine/diff.ts): rows well-formed and about types the program registers, then each kind of
 * change on the eu stack's real plan (masked, as `npm run plan --json` writes it): refused, replace (the provider's
 * rule or the program's deliberate replaceOnChanges), NSG rules by name, old -> new values, secrets never shown.
 */
import { runProgram, ROOT, stackSource } from "./harness";
import { pathMatches, rulesFor, SCALE_SET_REPLACE_ON_CHANGES, UPDATE_RULES } from "../components/updateRules";
import { DIFF_WIDTH, diffPlans, expandBootstrapCommands, PlanDiff, renderDiff } from "../tools/engine/diff";
import { bootstrapCommand, BootstrapSettings, parseBootstrapCommand } from "../components/installer";
import { scaleInWarning } from "../components/capacity";
import { at, knownSecrets, planResources, PlanResource } from "../tools/engine/model";

const VMSS = "azure-native:compute:VirtualMachineScaleSet";
const PIP = "azure-native:network:PublicIPAddress";
const NSG = "azure-native:network:NetworkSecurityGroup";
const ROLE = "azure-native:authorization:RoleAssignment";
const VAULT = "azure-native:keyvault:Vault";
const KV_SECRET = "azure-native:keyvault:Secret";
const IMAGE = "virtualMachineProfile.storageProfile.imageReference";
const FORCE_NEW_MAP = "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/gen/replacement.go";
const FORCE_NEW_TYPES = "https://github.com/pulumi/pulumi-azure-native/blob/master/reports/forceNewTypes.json";
const CUSTOM_BLOB = "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/resources/customresources/custom_storage.go";
const ZONES_DOC = "https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-use-availability-zones";

/** The eu stack's plan resources, masked as the plan writes them, and the values the masking knows as secrets. */
let eu: PlanResource[];
let euTypes: Set<string>;
let leaks: (s: string) => boolean;
beforeAll(async () => {
  const run = await runProgram("eu", stackSource("eu").source);
  const secrets = knownSecrets(run.resources, run.rawOutputs, run.monitor.generatedSecrets);
  eu = planResources(run.resources, secrets, ROOT);
  euTypes = new Set(run.resources.map((r) => r.type));
  leaks = (s) => secrets.leaks(s);
});

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** The eu plan with one resource of a type (and logical name) edited; the others are untouched copies. */
function edited(type: string, edit: (r: PlanResource) => void, name?: string): PlanResource[] {
  const out = copy(eu);
  const hits = out.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect([type, name, hits.length]).toEqual([type, name, 1]);
  edit(hits[0]);
  return out;
}
const diff = (before: PlanResource[], after: PlanResource[]): PlanDiff => diffPlans({ resources: before }, { resources: after }, { isSecretValue: leaks });
/** `kind type name` of every change. */
const summary = (d: PlanDiff) => d.changes.map((c) => `${c.kind} ${c.type} ${c.name}`);

describe("the table", () => {
  test("every row is well-formed: a type token, a property path, a kind, a reason and one https source; no row twice", () => {
    expect(UPDATE_RULES.length).toBeGreaterThan(20);
    const seen = new Set<string>();
    for (const r of UPDATE_RULES) {
      const row = `${r.type} ${r.path}`;
      expect([row, r.type]).toEqual([row, expect.stringMatching(/^(azure-native:[a-z]+:[A-Z][A-Za-z]+|azuread:index\/[a-zA-Z]+:[A-Z][A-Za-z]+)$/)]);
      expect([row, r.path]).toEqual([row, expect.stringMatching(/^([A-Za-z][A-Za-z0-9]*|\*)(\.([A-Za-z][A-Za-z0-9]*|\*))*$/)]);
      expect([row, ["replace", "refused"].includes(r.kind)]).toEqual([row, true]);
      expect([row, r.why.length > 20 && r.why.length <= 100 && !r.why.endsWith(".")]).toEqual([row, true]);
      expect([row, r.source]).toEqual([row, expect.stringMatching(
        /^https:\/\/(learn\.microsoft\.com\/|github\.com\/pulumi\/pulumi-azure-native\/|github\.com\/Azure\/azure-rest-api-specs\/|www\.pulumi\.com\/registry\/packages\/azuread\/|github\.com\/hashicorp\/terraform-provider-azuread\/)\S+$/)]);
      if (r.when !== undefined) expect([row, r.when === "element-removed" || (typeof r.when === "object" && "to" in r.when)]).toEqual([row, true]);
      expect([row, seen.has(row)]).toEqual([row, false]);
      seen.add(row);
    }
  });

  test("every type in the table is one the eu stack registers", () => {
    const types = [...new Set(UPDATE_RULES.map((r) => r.type))].sort();
    expect(types.filter((t) => !euTypes.has(t))).toEqual([]);
    expect(types.length).toBe(14);
  });

  test("the rows that bite today: properties the eu plan sets (the others guard settings the program may take up)", () => {
    const set = UPDATE_RULES.filter((r) => !r.path.includes("*") && eu.some((x) => x.type === r.type && at(x.inputs, r.path) !== undefined));
    expect(set.map((r) => `${r.type.split(":").pop()} ${r.path}`)).toEqual([
      "VirtualMachineScaleSet zones",
      `VirtualMachineScaleSet ${IMAGE}.publisher`,
      `VirtualMachineScaleSet ${IMAGE}.offer`,
      "VirtualMachineScaleSet virtualMachineProfile.storageProfile.osDisk.managedDisk.storageAccountType",
      "VirtualMachineScaleSet orchestrationMode",
      "PublicIPAddress sku",
      "PublicIPAddress publicIPAddressVersion",
      "RoleAssignment principalId",
      "RoleAssignment scope",
      "Blob source",
      "Blob type",
      "AppServicePlan reserved",
      "WebApp kind",
      "WebApp hyperV",
      "WebApp isXenon",
      "Bot properties.msaAppId",
      "Bot properties.msaAppTenantId",
      "Vault properties.enablePurgeProtection",
      "Vault properties.enableSoftDelete",
      "Key properties",
      "ApplicationPassword applicationId",
      "ApplicationPassword displayName",
      "ApplicationPassword endDateRelative",
      "ApplicationPassword rotateWhenChanged",
      "ApplicationApiAccess applicationId",
      "ApplicationApiAccess apiClientId",
      "ApplicationRedirectUris applicationId",
      "ApplicationRedirectUris type",
      "ServicePrincipal clientId",
    ]);
  });

  test("the scale set's deliberate replaces are paths the eu scale set sets and Azure refuses in place", () => {
    expect(SCALE_SET_REPLACE_ON_CHANGES).toEqual(["zones", `${IMAGE}.publisher`, `${IMAGE}.offer`]);
    const vmss = eu.find((r) => r.type === VMSS)!;
    for (const p of SCALE_SET_REPLACE_ON_CHANGES) {
      expect([p, at(vmss.inputs, p) !== undefined]).toEqual([p, true]);
      expect([p, UPDATE_RULES.filter((r) => r.type === VMSS && r.path === p).map((r) => r.kind)]).toEqual([p, ["refused"]]);
    }
  });

  test("a rule matches its path and what lies below it, list positions and names aside, `*` for one key", () => {
    expect(pathMatches("zones", "zones[2]")).toBe(true);
    expect(pathMatches("sku", "sku.name")).toBe(true);
    expect(pathMatches("sku", "skuName")).toBe(false);
    expect(pathMatches("properties", "properties.rotationPolicy.lifetimeActions[0].trigger.timeAfterCreate")).toBe(true);
    expect(pathMatches("encryption.services.*.keyType", "encryption.services.queue.keyType")).toBe(true);
    expect(pathMatches("encryption.services.*.keyType", "encryption.services.queue.enabled")).toBe(false);
    expect(pathMatches(`${IMAGE}.offer`, `${IMAGE}.sku`)).toBe(false);
  });

  test("conditional rows: zones refuse only a removed zone; purge protection and soft delete only going to false", () => {
    const zones = (from: string[], to: string[]) => rulesFor(VMSS, "zones[0]", () => from, () => to).map((r) => r.kind);
    expect(zones(["1", "2", "3"], ["1", "2"])).toEqual(["refused"]);
    expect(zones(["1", "2", "3"], ["2", "3", "4"])).toEqual(["refused"]);
    expect(zones(["1"], ["1", "2", "3"])).toEqual([]);
    expect(zones([], ["1", "2", "3"])).toEqual([]);
    const purge = (to: boolean) => rulesFor(VAULT, "properties.enablePurgeProtection", () => !to, () => to).map((r) => r.kind);
    expect(purge(false)).toEqual(["refused"]);
    expect(purge(true)).toEqual([]);
  });
});

describe("the diff on the eu plan", () => {
  test("the same plan twice is no change", () => {
    expect(diff(eu, copy(eu)).changes).toEqual([]);
  });

  test("the program's scale set makes zone and image publisher/offer changes deliberate replaces", () => {
    expect(eu.find((r) => r.type === VMSS)!.replaceOnChanges).toEqual([...SCALE_SET_REPLACE_ON_CHANGES]);
  });

  test("removing a zone from a scale set without replaceOnChanges is refused by Azure, with the rule, its source and the old -> new value", () => {
    const before = edited(VMSS, (r) => { r.replaceOnChanges = []; (r.inputs as any).zones = ["1", "2", "3"]; });
    const after = edited(VMSS, (r) => { r.replaceOnChanges = []; (r.inputs as any).zones = ["1", "2"]; });
    const d = diff(before, after);
    expect(summary(d)).toEqual([`refused ${VMSS} vmss-vmss`]);
    expect(d.counts).toEqual({ create: 0, update: 0, replace: 0, refused: 1, delete: 0 });
    const c = d.changes[0];
    expect(c.paths).toEqual(["inputs.zones"]);
    expect(c.reasons).toEqual([{ path: "inputs.zones", kind: "refused", why: "Azure adds zones to a scale set but never removes or replaces one", source: ZONES_DOC }]);
    expect(c.leaves).toEqual([{ path: "zones[2]", from: "3" }]);
    // Adding a zone is an update Azure accepts.
    expect(diff(after, before).changes.map((x) => [x.kind, x.paths])).toEqual([["update", ["zones[2]"]]]);
  });

  test("with the scale set's replaceOnChanges the same zone change is a deliberate replace", () => {
    const deliberate = (r: PlanResource) => (r.replaceOnChanges = [...SCALE_SET_REPLACE_ON_CHANGES]);
    const before = edited(VMSS, deliberate);
    const after = edited(VMSS, (r) => {
      deliberate(r);
      (r.inputs as any).zones = ["1", "2"];
    });
    const d = diff(before, after);
    expect(summary(d)).toEqual([`replace ${VMSS} vmss-vmss`]);
    expect(d.changes[0].reasons).toEqual([{ path: "inputs.zones", kind: "replace", why: "replaceOnChanges: the program replaces the resource on purpose" }]);
  });

  test("a new image offer is refused; with replaceOnChanges it is a replace", () => {
    const offer = (o: string, deliberate: boolean) => edited(VMSS, (r) => {
      (r.inputs as any).virtualMachineProfile.storageProfile.imageReference.offer = o;
      r.replaceOnChanges = deliberate ? [...SCALE_SET_REPLACE_ON_CHANGES] : [];
    });
    const refused = diff(offer("WindowsServer", false), offer("windows-cvm", false));
    expect(refused.changes.map((c) => [c.kind, c.paths, c.leaves])).toEqual([
      ["refused", [`inputs.${IMAGE}.offer`], [{ path: `${IMAGE}.offer`, from: "WindowsServer", to: "windows-cvm" }]],
    ]);
    expect(diff(offer("WindowsServer", true), offer("windows-cvm", true)).changes.map((c) => [c.kind, c.paths])).toEqual([["replace", [`inputs.${IMAGE}.offer`]]]);
  });

  test("a new public IP SKU is a replace by the provider's rule", () => {
    const d = diff(eu, edited(PIP, (r) => ((r.inputs as any).sku.name = "Basic")));
    expect(summary(d)).toEqual([`replace ${PIP} static-pip`]);
    expect(d.changes[0].reasons).toEqual([
      { path: "inputs.sku", kind: "replace", why: "the provider re-creates a public IP for a new SKU (a new address)", source: FORCE_NEW_MAP },
    ]);
    expect(d.changes[0].leaves).toEqual([{ path: "sku.name", from: "Standard", to: "Basic" }]);
  });

  test("a role assignment with a new scope is a replace", () => {
    const name = "static-role-blob-data-reader-packages";
    const old = eu.find((r) => r.name === name)!;
    const scope = `${(old.inputs as any).scope}/secrets/other`;
    const d = diff(eu, edited(ROLE, (r) => ((r.inputs as any).scope = scope), name));
    expect(d.changes.map((c) => [c.kind, c.name, c.paths, c.reasons.map((x) => x.source)])).toEqual([["replace", name, ["inputs.scope"], [FORCE_NEW_MAP]]]);
    expect(d.changes[0].leaves).toEqual([{ path: "scope", from: (old.inputs as any).scope, to: scope }]);
  });

  test("a bot with another app ID is a replace: create-only inside `properties`, which azure-native v3 replaces on", () => {
    const BOT = "azure-native:botservice:Bot";
    const other = "00000000-1111-2222-3333-444444444444";
    const d = diff(eu, edited(BOT, (r) => ((r.inputs as any).properties.msaAppId = other)));
    expect(d.changes.map((c) => [c.kind, c.name, c.paths, c.reasons.map((x) => x.source)])).toEqual([["replace", "bot-bot", ["inputs.properties.msaAppId"], [FORCE_NEW_TYPES]]]);
    expect(d.counts).toEqual({ create: 0, update: 0, replace: 1, refused: 0, delete: 0 });
  });

  test("a blob with new content is a replace by the provider's custom Blob", () => {
    const BLOB = "azure-native:storage:Blob";
    const d = diff(eu, edited(BLOB, (r) => ((r.inputs as any).source.path = "components/consent-page-v2"), "consent-package"));
    expect(d.changes.map((c) => [c.kind, c.name, c.paths])).toEqual([["replace", "consent-package", ["inputs.source"]]]);
    expect(d.changes[0].reasons).toEqual([{ path: "inputs.source", kind: "replace", why: "the provider re-creates a blob for new content", source: CUSTOM_BLOB }]);
  });

  test("turning off purge protection is refused; Key Vault takes it only one way", () => {
    const off = edited(VAULT, (r) => ((r.inputs as any).properties.enablePurgeProtection = false));
    expect(diff(eu, off).changes.map((c) => [c.kind, c.paths])).toEqual([["refused", ["inputs.properties.enablePurgeProtection"]]]);
    expect(diff(off, eu).changes.map((c) => [c.kind, c.paths])).toEqual([["update", ["properties.enablePurgeProtection"]]]);
  });

  test("NSG rules compare by name: a reordered list is no change; a changed rule is named, with its old and new value", () => {
    const reordered = edited(NSG, (r) => (r.inputs as any).securityRules.reverse());
    expect(diff(eu, reordered).changes).toEqual([]);
    const opened = edited(NSG, (r) => {
      const rules = (r.inputs as any).securityRules.reverse();
      rules.find((x: any) => x.name === "RDP").sourceAddressPrefix = "192.0.2.0/27";
    });
    const d = diff(eu, opened);
    expect(d.changes.map((c) => [c.kind, c.paths, c.leaves])).toEqual([
      ["update", ["securityRules[RDP].sourceAddressPrefix"], [{ path: "securityRules[RDP].sourceAddressPrefix", from: "*", to: "192.0.2.0/27" }]],
    ]);
    expect(renderDiff(d, "old.json")).toEqual([
      "Changes against old.json: 0 to create, 1 to update, 0 to replace, 0 to delete, 0 refused by Azure",
      `  ~  update  ${NSG}  vmss-nsg`,
      '        securityRules[RDP].sourceAddressPrefix: "*" -> "192.0.2.0/27"',
    ]);
  });

  test("secret leaves are shown as [secret], on masked plans and on unmasked inputs alike", () => {
    const plain = "Plain-Secret-Value-0123456789";
    const withValue = (v: string) => edited(KV_SECRET, (r) => ((r.inputs as any).properties.value = v), "static-admin-password-secret");
    const d = diff(withValue("Old-Plain-Secret-0123456789"), withValue(plain));
    expect(d.changes.map((c) => [c.kind, c.leaves])).toEqual([["update", [{ path: "properties.value", from: "[secret]", to: "[secret]" }]]]);
    // A known secret in a field that is not secret-bearing is masked too.
    const known = diffPlans({ resources: [{ ...eu[0], inputs: { note: "a" } }] }, { resources: [{ ...eu[0], inputs: { note: `x ${plain} y` } }] },
      { isSecretValue: (s) => s.includes(plain) });
    expect(known.changes[0].leaves).toEqual([{ path: "note", from: "a", to: "[secret]" }]);
    expect(renderDiff(d, "old.json").join("\n")).not.toContain("Secret-");
    expect(JSON.stringify(d)).not.toContain("Secret-");
  });

  test("the rendered diff keeps to 120 columns (a source URL has a footnote line of its own) and says what Azure refuses", () => {
    const before = edited(VMSS, (r) => ((r.inputs as any).virtualMachineProfile.storageProfile.osDisk.managedDisk.storageAccountType = "StandardSSD_LRS"));
    const after = copy(eu);
    const pip = after.find((r) => r.type === PIP)!;
    (pip.inputs as any).publicIPAddressVersion = "IPv6";
    const lines = renderDiff(diff(before, after), "old.json");
    for (const l of lines) if (!/^ {2}\[\d+\] https:\/\/\S+$/.test(l)) expect([l, l.length <= DIFF_WIDTH]).toEqual([l, true]);
    expect(lines).toEqual([
      "Changes against old.json: 0 to create, 0 to update, 1 to replace, 0 to delete, 1 refused by Azure",
      `  +- replace ${PIP}  static-pip`,
      '        publicIPAddressVersion: "IPv4" -> "IPv6"',
      "        replaced because publicIPAddressVersion changed [1]",
      "          the provider re-creates a public IP for a new IP version (a new address)",
      `  !  refused ${VMSS}  vmss-vmss`,
      '        virtualMachineProfile.storageProfile.osDisk.managedDisk.storageAccountType: "StandardSSD_LRS" -> "Premium_LRS"',
      "        Azure refuses this in place: virtualMachineProfile.storageProfile.osDisk.managedDisk.storageAccountType [2]",
      "          the OS disk storage type is a create-time property of a scale set",
      "",
      "  1 change above would fail in pulumi up: Azure refuses it in place.",
      "  Undo the config change, or make it a deliberate replace (docs/upgrading.md).",
      "",
      "  Sources:",
      `  [1] ${FORCE_NEW_MAP}`,
      "  [2] https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-upgrade-scale-set",
    ]);
  });
});

describe("the diff reads the install command's settings, and warns when instances go", () => {
  const EXT_PATH = "virtualMachineProfile.extensionProfile.extensions[install-teams-connector].settings.commandToExecute";
  const commandOf = (r: PlanResource) => ((r.inputs as any).virtualMachineProfile.extensionProfile.extensions as any[]).find((e) => e.name === "install-teams-connector").settings;
  const withSettings = (edit: (s: BootstrapSettings) => void) => edited(VMSS, (r) => {
    const ext = commandOf(r);
    const { scriptFile, settings } = parseBootstrapCommand(ext.commandToExecute);
    edit(settings);
    ext.commandToExecute = bootstrapCommand(scriptFile, settings);
  });

  test("a changed setting is the setting's leaf, old -> new, not the whole base64 string", () => {
    const d = diff(copy(eu), withSettings((s) => (s.windowsUpdate.installHour = 3)));
    expect(d.changes.map((c) => [c.kind, c.leaves])).toEqual([["update", [{ path: `${EXT_PATH}.SettingsBase64.windowsUpdate.installHour`, from: 22, to: 3 }]]]);
    expect(expandBootstrapCommands({ c: "powershell.exe -File x.ps1" })).toEqual({ c: "powershell.exe -File x.ps1" });
  });

  test("a command that looks like one but does not decode (not JSON, or nested too deep) is compared as the string it is", () => {
    const prefix = "powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File x.ps1 -SettingsBase64 ";
    const notJson = `${prefix}${Buffer.from("not json").toString("base64")}`;
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const tooDeep = `${prefix}${Buffer.from(JSON.stringify(deep)).toString("base64")}`;
    expect(expandBootstrapCommands([notJson, tooDeep])).toEqual([notJson, tooDeep]);
    const d = diff(edited(VMSS, (r) => (commandOf(r).commandToExecute = notJson)), edited(VMSS, (r) => (commandOf(r).commandToExecute = tooDeep)));
    expect(d.changes[0].paths).toEqual([EXT_PATH]);
  });

  test("the app password's new version shows as its secret URI (a list keyed by parameter name), never as [secret]", () => {
    const uri = `https://pexipeu-kv-abcde.vault.azure.net/secrets/app-password/${"f".repeat(32)}`;
    const d = diff(copy(eu), withSettings((s) => (s.secretArguments.find((a) => a.name === "AppPassword")!.secretUri = uri)));
    const leaf = d.changes[0].leaves[0];
    expect([leaf.path, leaf.to]).toEqual([`${EXT_PATH}.SettingsBase64.secretArguments[AppPassword].secretUri`, uri]);
  });

  test("a lower capacity warns that the removed instances' calls are dropped; a higher one, or an ignored one, does not", () => {
    const capacity = (n: number, ignore: string[] = []) => edited(VMSS, (r) => { (r.inputs as any).sku.capacity = n; r.ignoreChanges = ignore; });
    const down = diff(capacity(5), capacity(3));
    expect(down.warnings).toEqual(["vmss-vmss: instanceCount 5 -> 3: Azure deletes 2 instances and drops the calls on them (up to 32); lower it outside call hours (docs/upgrading.md)."]);
    expect(diff(capacity(3), capacity(5)).warnings).toEqual([]);
    expect(diff(capacity(5, ["sku.capacity"]), capacity(3, ["sku.capacity"])).warnings).toEqual([]);
    const lines = renderDiff(down, "old.json");
    expect(lines.slice(-2)).toEqual([
      "  warning: vmss-vmss: instanceCount 5 -> 3: Azure deletes 2 instances and drops the calls on them (up to 32); lower it",
      "    outside call hours (docs/upgrading.md).",
    ]);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(DIFF_WIDTH);
  });

  test("scaleInWarning: only a lower whole count", () => {
    expect(scaleInWarning(2, 1)).toBe("instanceCount 2 -> 1: Azure deletes 1 instance and drops the calls on it (up to 16); lower it outside call hours (docs/upgrading.md).");
    expect([scaleInWarning(2, 2), scaleInWarning(1, 2), scaleInWarning(2.5, 1), scaleInWarning(2, -1)]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
