/**
 * Upgrades are diffs: each shipped stack (as production runs it: connector ZIP and PFX certificate set) is evaluated
 * before and after ONE config change, and the two registrations are compared with the plan's own classifier
 * (tools/engine/diff.ts `diffPlans`: a changed type, parent, resource group, location or name input is a replace)
 * twice: on unmasked inputs, and on the plan's masked form (what `npm run plan --diff` compares). Each scenario lists
 * exactly the resources that change, in place; a Key Vault secret's new value shows only unmasked (its value is the
 * secret), and in both forms through its consumer, the scale set, which names the new secret version. Nothing is
 * created, deleted or replaced unless stated, and the static public IP and the Key Vault keep their inputs.
 * Last, no secret the evaluation knows appears in the scale set's inputs but the Windows admin password.
 * Each program evaluation costs most of a second: every stack's baseline is evaluated once and shared.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makePfx, NOW, rsaKey, testCa } from "./fixtures/certificates";
import { EU_STACK_OUTPUTS, inputs, one, ofType, ProgramRun, ROOT, runProgram, stackSource } from "./harness";
import { MASK } from "../components/config";
import { isBootstrapCommand, parseBootstrapCommand } from "../components/installer";
import { packageBlobName } from "../components/naming";
import { EXTENSIONS } from "../components/teamsConnectorVmss";
import { diffPlans, PlanDiff } from "../tools/engine/diff";
import { knownSecrets, planResources } from "../tools/engine/model";
import type { PlanResource } from "../tools/engine/model";
import { Registration } from "../tools/engine/mocks";

const VMSS = "azure-native:compute:VirtualMachineScaleSet";
const NSG = "azure-native:network:NetworkSecurityGroup";
const NAT = "azure-native:network:InboundNatRule";
const KV_SECRET = "azure-native:keyvault:Secret";
const BLOB = "azure-native:storage:Blob";
const PIP = "azure-native:network:PublicIPAddress";
const APP_PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const VAULT = "azure-native:keyvault:Vault";
const STACKS = ["eu", "us"] as const;
type Stack = (typeof STACKS)[number];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pexip-upgrades-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// ---- test material: the connector ZIPs an operator downloads, two PFX files from one test CA
function zip(version: string): string {
  const file = path.join(tmp, `Pexip_Infinity_Connector_For_Microsoft_Teams_v${version}_1234.zip`);
  fs.writeFileSync(file, `PK mock package ${version}`);
  return file;
}
const PACKAGE = { "26.2": zip("26.2"), "26.3": zip("26.3") };

const PFX_PASSWORD = "Upgr4de-test!";
// One wildcard covers both stacks' connectorFqdn (pexip-teamsconn-<region>.teams.example.com).
const ca = testCa(NOW, "upgrades");

/** A PFX file with a leaf issued by the test CA (its own key per label) and the intermediate in the bag. */
function pfxFile(label: string): string {
  const key = rsaKey(`upgrades/${label}`);
  const file = path.join(tmp, `${label}.pfx`);
  fs.writeFileSync(file, makePfx(ca.leaf(["*.teams.example.com"], { key }), key, PFX_PASSWORD, [ca.interCert]));
  return file;
}
const PFX = { old: pfxFile("connector-2025"), renewed: pfxFile("connector-2026") };

// ---- evaluation and comparison
/**
 * The stack as a production `pulumi up` sees it: the connector ZIP and a PFX certificate set (the shipped files leave
 * both to the operator: offline plan, lab self-signed certificate), plus one scenario's edits.
 */
async function evaluate(stack: Stack, set: Record<string, unknown> = {}, appStackOutputs?: Record<string, unknown>): Promise<ProgramRun> {
  const source = stackSource(stack, {
    set: { connectorPackage: PACKAGE["26.2"], certificate: { pfxFile: PFX.old }, ...set },
    secrets: { "certificate.password": PFX_PASSWORD },
  }).source;
  // Pulumi captures a stack trace per resource and jest source-maps each one: without them an evaluation takes half the time.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await runProgram(stack, source, { appStackOutputs });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** A run as the plan's resource list, inputs unmarked (the plan masks secrets; a changed certificate must show here). */
const plainPlans = new WeakMap<ProgramRun, { resources: PlanResource[] }>();
function asPlan(run: ProgramRun): { resources: PlanResource[] } {
  if (plainPlans.has(run)) return plainPlans.get(run)!;
  const seen = new Map<string, PlanResource>();
  for (const r of run.resources) {
    if (!seen.has(r.urn)) seen.set(r.urn, { urn: r.urn, type: r.type, name: r.name, parent: r.parent, protect: r.protect, ignoreChanges: r.ignoreChanges, dependencies: r.dependencies, inputs: inputs(r) });
  }
  const plan = { resources: [...seen.values()] };
  plainPlans.set(run, plan);
  return plan;
}

/** Every secret the evaluation knows: generated ones, config secrets, secret-marked inputs and outputs (as the plan does). */
const secretsOf = (run: ProgramRun, regs: Registration[] = run.resources) => knownSecrets(regs, run.rawOutputs, [...run.monitor.generatedSecrets, PFX_PASSWORD]);
/** A run as the plan file shows it: masked (tools/engine/model.ts, the code `npm run plan --json` runs); once per run. */
const masked = new WeakMap<ProgramRun, { resources: PlanResource[] }>();
function maskedPlan(run: ProgramRun): { resources: PlanResource[] } {
  if (!masked.has(run)) masked.set(run, { resources: planResources(run.resources, secretsOf(run), ROOT) });
  return masked.get(run)!;
}

const diff = (before: ProgramRun, after: ProgramRun): PlanDiff => diffPlans(asPlan(before), asPlan(after));
const maskedDiff = (before: ProgramRun, after: ProgramRun): PlanDiff => diffPlans(maskedPlan(before), maskedPlan(after));
/** `kind type name` of every change, sorted. */
const summary = (d: PlanDiff) => d.changes.map((c) => `${c.kind} ${c.type} ${c.name}`).sort();
const pathsOf = (d: PlanDiff, type: string, name?: string) =>
  d.changes.filter((c) => c.type === type && (name === undefined || c.name === name)).flatMap((c) => c.paths);

function scaleSet(run: ProgramRun): Record<string, any> {
  return inputs(one(run.resources, VMSS));
}
function installSettings(run: ProgramRun) {
  const ext = (scaleSet(run).virtualMachineProfile.extensionProfile.extensions as Record<string, any>[]).find((e) => e.name === EXTENSIONS.install)!;
  return { ext, settings: parseBootstrapCommand(ext.settings.commandToExecute).settings };
}
const staticOne = (run: ProgramRun, type: string): Registration => one(run.resources, type, type === PIP ? "static-pip" : "static-kv");

/** The static public IP and the Key Vault: same inputs before and after (tags aside when `tagsMayChange`). */
function expectStaticUntouched(before: ProgramRun, after: ProgramRun, d: PlanDiff, tagsMayChange = false): void {
  for (const type of [PIP, VAULT]) {
    const a = inputs(staticOne(before, type));
    const b = inputs(staticOne(after, type));
    if (tagsMayChange) {
      const { tags: ta, ...restA } = a;
      const { tags: tb, ...restB } = b;
      expect([type, restB]).toEqual([type, restA]);
      expect([type, ta === undefined, tb === undefined]).toEqual([type, false, false]);
    } else {
      expect([type, b]).toEqual([type, a]);
      expect([type, pathsOf(d, type)]).toEqual([type, []]);
    }
  }
}

/** Runs with other instance counts (filled when those scenarios ran first; evaluated otherwise by the instanceCount scenarios, one more evaluated for 100). */
const scaled = new Map<number, ProgramRun>();

/** Every stack's baseline, evaluated once. */
const base = {} as Record<Stack, ProgramRun>;
beforeAll(async () => {
  for (const s of STACKS) base[s] = await evaluate(s);
});

/** The install extension's leaf paths, and a path inside the settings its command carries (the diff decodes it). */
const EXT = `virtualMachineProfile.extensionProfile.extensions[${EXTENSIONS.install}]`;
const TAG = `${EXT}.forceUpdateTag`;
const SETTING = (p: string) => `${EXT}.settings.commandToExecute.SettingsBase64.${p}`;

/**
 * The change of one scenario, unmasked and masked: `summary` is the unmasked one; `hiddenWhenMasked` the changes that
 * the plan's masking hides (a Key Vault secret's value), which must be all that differs between the two forms. Each
 * form's scale-set paths are the same (no scale-set leaf is masked but the admin password).
 */
function expectChanges(before: ProgramRun, after: ProgramRun, summaryExpected: string[], hiddenWhenMasked: string[] = []): { plain: PlanDiff; masked: PlanDiff } {
  const plain = diff(before, after);
  const masked = maskedDiff(before, after);
  expect(summary(plain)).toEqual([...summaryExpected].sort());
  expect(summary(masked)).toEqual(summaryExpected.filter((c) => !hiddenWhenMasked.includes(c)).sort());
  // Non-empty, in place: nothing Azure refuses, and a replace only where a scenario lists one.
  expect(summary(masked).length).toBeGreaterThan(0);
  expect(masked.counts.refused).toBe(0);
  expect(pathsOf(masked, VMSS)).toEqual(pathsOf(plain, VMSS));
  return { plain, masked };
}

describe.each(STACKS)("%s stack: one change at a time", (stack) => {
  test("the baseline is the shipped stack with the connector ZIP for 26.2 and a PFX certificate", () => {
    expect(scaleSet(base[stack]).sku.capacity).toBe(stack === "eu" ? 3 : 2);
    // The certificate secret is the compute API's JSON envelope, with no raw-PFX content type.
    expect(inputs(one(base[stack].resources, KV_SECRET, "static-cert")).properties.contentType).toBeUndefined();
    expect(base[stack].resources.filter((r) => r.type.startsWith("tls:"))).toEqual([]);
    expect(inputs(one(base[stack].resources, BLOB, "vmss-package")).blobName).toBe(packageBlobName("26.2"));
    // Evaluating the same stack file twice is no change at all (the diff is not noise), in either form.
    expect(diff(base[stack], base[stack]).changes).toEqual([]);
    expect(maskedDiff(base[stack], base[stack]).changes).toEqual([]);
  });

  test("connectorVersion: the scale set updates in place; only the version-named package blob is new", async () => {
    const run = await evaluate(stack, { connectorVersion: "26.3", connectorPackage: PACKAGE["26.3"] });
    const { plain: d, masked } = expectChanges(base[stack], run, [`replace ${BLOB} vmss-package`, `update ${VMSS} vmss-vmss`]);
    // The blob is replaced only because its name carries the version (a new blob beside the old, which is retained).
    expect(pathsOf(d, BLOB)).toEqual(["inputs.blobName"]);
    expect(inputs(one(run.resources, BLOB, "vmss-package")).blobName).toBe(packageBlobName("26.3"));
    expect(pathsOf(masked, VMSS)).toEqual([TAG, SETTING("connectorVersion"), SETTING("packageFile"), `${EXT}.settings.fileUris[1]`]);
    const { ext, settings } = installSettings(run);
    expect(ext.forceUpdateTag).toMatch(/^26\.3-[0-9a-f]{16}$/);
    expect(settings.connectorVersion).toBe("26.3");
    expect(ext.settings.fileUris[1]).toMatch(/\/packages\/teams-connector-26\.3\.zip$/);
    expectStaticUntouched(base[stack], run, d);
  });

  test("instanceCount: the scale set only (capacity and its rolling-upgrade batch); lowering it warns that calls are dropped", async () => {
    const n = stack === "eu" ? 20 : 21;
    const run = await evaluate(stack, { instanceCount: n });
    const { plain: d, masked } = expectChanges(base[stack], run, [`update ${VMSS} vmss-vmss`]);
    expect(pathsOf(masked, VMSS)).toEqual([
      "sku.capacity",
      "upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent",
      "upgradePolicy.rollingUpgradePolicy.maxUnhealthyInstancePercent",
    ]);
    expect(scaleSet(run).sku.capacity).toBe(n);
    expect(masked.warnings).toEqual([]);
    // Back down: Azure deletes the surplus instances, and their calls go with them.
    const down = maskedDiff(run, base[stack]);
    const to = stack === "eu" ? 3 : 2;
    expect(down.warnings).toEqual([`vmss-vmss: instanceCount ${n} -> ${to}: Azure deletes ${n - to} instances and drops the calls on them (up to ${(n - to) * 16}); lower it outside call hours (docs/upgrading.md).`]);
    expectStaticUntouched(base[stack], run, d);
    scaled.set(n, run);
  });

  test("nodeSourcePrefixes: the NSG only", async () => {
    const run = await evaluate(stack, { nodeSourcePrefixes: ["198.51.100.0/24", "203.0.113.16/28"] });
    const { plain: d } = expectChanges(base[stack], run, [`update ${NSG} vmss-nsg`]);
    // NSG rules compare by name: only the two Conferencing Node rules take the prefixes.
    expect(pathsOf(d, NSG).every((p) => /^securityRules\[(MCU-signalling-endpoint|MCU-media)\]\.sourceAddressPrefix(es)?(\[\d+\])?$/.test(p))).toBe(true);
    expect(JSON.stringify(inputs(one(run.resources, NSG)).securityRules)).toContain("203.0.113.16/28");
    expectStaticUntouched(base[stack], run, d);
  });

  test("nodeSignallingPorts / nodeMediaPorts: the NSG only (the source ports of the two Conferencing Node rules)", async () => {
    const run = await evaluate(stack, { nodeSignallingPorts: "34000-34999", nodeMediaPorts: "41000-41999" });
    const { plain: d } = expectChanges(base[stack], run, [`update ${NSG} vmss-nsg`]);
    expect(pathsOf(d, NSG)).toEqual(["securityRules[MCU-signalling-endpoint].sourcePortRange", "securityRules[MCU-media].sourcePortRange"]);
    expectStaticUntouched(base[stack], run, d);
  });

  test("managementSourcePrefixes: the NSG, plus the RDP NAT rule appearing when RDP turns on and going when it turns off", async () => {
    const run = await evaluate(stack, { managementSourcePrefixes: ["192.0.2.0/27"] });
    const { plain: on } = expectChanges(base[stack], run, [`create ${NAT} vmss-rdp-3389`, `update ${NSG} vmss-nsg`]);
    const rdp = (inputs(one(run.resources, NSG)).securityRules as Record<string, any>[]).find((r) => r.name === "RDP")!;
    expect([rdp.access, rdp.sourceAddressPrefix ?? rdp.sourceAddressPrefixes]).toEqual(["Allow", "192.0.2.0/27"]);
    // Back to [] (RDP off): the same two resources, the other way round.
    expectChanges(run, base[stack], [`delete ${NAT} vmss-rdp-3389`, `update ${NSG} vmss-nsg`]);
    expectStaticUntouched(base[stack], run, on);
  });

  test("windowsUpdate.*: the scale set only, each hour a visible setting of the install command, which re-runs", async () => {
    const windowsUpdate = { installDay: 4, installHour: 3, activeHoursStart: 7, activeHoursEnd: 19 };
    const run = await evaluate(stack, { windowsUpdate });
    const { plain: d, masked } = expectChanges(base[stack], run, [`update ${VMSS} vmss-vmss`]);
    expect(pathsOf(masked, VMSS)).toEqual([TAG, ...["activeHoursEnd", "activeHoursStart", "installDay", "installHour"].map((k) => SETTING(`windowsUpdate.${k}`))]);
    // Old -> new values, in the form the plan file holds (masked).
    expect(masked.changes[0].leaves.find((l) => l.path === SETTING("windowsUpdate.installDay"))).toEqual({ path: SETTING("windowsUpdate.installDay"), from: 1, to: 4 });
    expect(installSettings(run).settings.windowsUpdate).toEqual(windowsUpdate);
    expectStaticUntouched(base[stack], run, d);
  });

  test("incidentReporting: the scale set only (an installer argument of the install command)", async () => {
    const run = await evaluate(stack, { incidentReporting: false });
    const { plain: d, masked } = expectChanges(base[stack], run, [`update ${VMSS} vmss-vmss`]);
    expect(pathsOf(masked, VMSS)).toEqual([TAG, SETTING("installerArguments.IncidentReporting")]);
    expect(masked.changes[0].leaves[1]).toEqual({ path: SETTING("installerArguments.IncidentReporting"), from: true, to: false });
    expectStaticUntouched(base[stack], run, d);
  });

  test("nodeFqdns: the scale set only (an installer argument of the install command)", async () => {
    const nodes = [...(installSettings(base[stack]).settings.installerArguments.PexipFqdns as string[]), "pxedge9.vc.example.com"];
    const run = await evaluate(stack, { nodeFqdns: nodes });
    const { plain: d, masked } = expectChanges(base[stack], run, [`update ${VMSS} vmss-vmss`]);
    expect(pathsOf(masked, VMSS)).toEqual([TAG, SETTING(`installerArguments.PexipFqdns[${nodes.length - 1}]`)]);
    expect(installSettings(run).settings.installerArguments.PexipFqdns).toEqual(nodes);
    expectStaticUntouched(base[stack], run, d);
  });

  test("a new certificate (PFX): the Key Vault secret and the scale set only", async () => {
    const run = await evaluate(stack, { certificate: { pfxFile: PFX.renewed } });
    // Both PFX files pass the certificate checks (nothing about them is logged but a near expiry).
    expect([...base[stack].log, ...run.log].filter((l) => /certificate/i.test(l) && !/expires in/.test(l))).toEqual([]);
    const { plain: d, masked } = expectChanges(base[stack], run, [`update ${VMSS} vmss-vmss`, `update ${KV_SECRET} static-cert`], [`update ${KV_SECRET} static-cert`]);
    expect(pathsOf(d, KV_SECRET)).toEqual(["properties.value"]);
    // The scale set takes the new secret version and the new thumbprint (the installer binds it), visible masked too.
    expect(pathsOf(masked, VMSS)).toEqual([TAG, SETTING("installerArguments.CertificateThumbprint"), "virtualMachineProfile.osProfile.secrets[0].vaultCertificates[0].certificateUrl"]);
    expectStaticUntouched(base[stack], run, d);
  });

  test("tags: every change is a tags change, on exactly the resources that carry tags", async () => {
    const tags = { ResourceOwner: "ops@domain", CostCenter: "Video Services", Environment: "production" };
    const run = await evaluate(stack, { tags });
    const d = diff(base[stack], run);
    const masked = maskedDiff(base[stack], run);
    expect(summary(masked)).toEqual(summary(d));
    expect(d.counts).toMatchObject({ create: 0, delete: 0, replace: 0, refused: 0 });
    const allPaths = d.changes.flatMap((c) => c.paths.map((p) => `${c.name} ${p}`));
    for (const p of allPaths) expect(p).toMatch(/ tags\.(ResourceOwner|Environment)$/);
    const tagged = asPlan(base[stack]).resources.filter((r) => r.inputs.tags !== undefined).map((r) => r.urn).sort();
    expect(d.changes.map((c) => c.urn).sort()).toEqual(tagged);
    expect(tagged.length).toBeGreaterThan(8);
    expect(inputs(staticOne(run, PIP)).tags).toEqual(tags);
    expectStaticUntouched(base[stack], run, d, true);
  });
});

describe("app password rotation: a new password version reaches the instances as a visible change", () => {
  test("eu rotates: a new Entra password, a new version of the vault's app password, and the scale set naming it", async () => {
    // From the baseline's label ("1", the default) to a new one, the previous kept (two-phase rotation).
    const before = base.eu;
    const run = await evaluate("eu", { appPasswordRotation: "2026-11", appPasswordPrevious: "1" });
    const newPassword = ofType(run.resources, APP_PASSWORD).find((r) => inputs(r).rotateWhenChanged.appPasswordRotation === "2026-11")!;
    const { plain, masked } = expectChanges(before, run, [
      `create ${APP_PASSWORD} ${newPassword.name}`,
      `update ${KV_SECRET} static-app-password-secret`,
      `update ${VMSS} vmss-vmss`,
    ], [`update ${KV_SECRET} static-app-password-secret`]);
    expect(pathsOf(plain, KV_SECRET)).toEqual(["properties.value"]);
    expect(pathsOf(masked, VMSS)).toEqual([TAG, SETTING("secretArguments[AppPassword].secretUri")]);
    // The value shown is the URI of the new version, never the password.
    const leaf = masked.changes.find((c) => c.type === VMSS)!.leaves[1];
    expect(String(leaf.to)).toMatch(/^https:\/\/pexipeu-kv[a-z0-9]{5}\.vault\.azure\.net\/secrets\/app-password\/[0-9a-f]{32}$/);
    expect(leaf.to).not.toBe(leaf.from);
  });

  test("us follows: the vault's app password gets the new version, and the scale set names it", async () => {
    const run = await evaluate("us", {}, { ...EU_STACK_OUTPUTS, appPassword: "mock-eu-app-password~rotated-2026-11" });
    const { masked } = expectChanges(base.us, run, [`update ${KV_SECRET} static-app-password-secret`, `update ${VMSS} vmss-vmss`], [`update ${KV_SECRET} static-app-password-secret`]);
    expect(pathsOf(masked, VMSS)).toEqual([TAG, SETTING("secretArguments[AppPassword].secretUri")]);
  });
});

describe.each(STACKS)("%s stack: no secret in the scale set's inputs but the Windows admin password", (stack) => {
  /** Every string leaf, with its path; the install command's settings decoded (the bootstrap reads them). */
  function leaves(v: unknown, at: string, out: [string, string][] = []): [string, string][] {
    if (typeof v === "string") {
      out.push([at, v]);
      // Wherever a bootstrap command is (settings or protectedSettings), what it carries is checked too.
      if (isBootstrapCommand(v)) leaves(parseBootstrapCommand(v).settings, `${at}.SettingsBase64`, out);
    } else if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${at}[${i}]`, out));
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) leaves(x, at === "" ? k : `${at}.${k}`, out);
    return out;
  }
  const ADMIN = "virtualMachineProfile.osProfile.adminPassword";

  test("unmasked: every secret the evaluation knows (from everywhere but the scale set itself) is absent, but the admin password", () => {
    const run = base[stack];
    const vmss = one(run.resources, VMSS);
    // What the rest of the evaluation knows is secret: the app password, Event Hub keys, PFX data and password, ...
    const secrets = secretsOf(run, run.resources.filter((r) => r.urn !== vmss.urn));
    expect(secrets.size).toBeGreaterThan(5);
    const all = leaves(inputs(vmss), "");
    expect(all.length).toBeGreaterThan(50);
    const carrying = all.filter(([, v]) => secrets.leaks(v)).map(([p]) => p);
    expect(carrying).toEqual([ADMIN]);
    // And the two secrets this issue moved out, by value: the app password and the Event Hub connection string.
    const text = JSON.stringify(all);
    for (const s of [run.outputs.appPassword ?? EU_STACK_OUTPUTS.appPassword, run.outputs.eventHubConnectionString]) expect(text).not.toContain(s);
  });

  test("masked: only the admin password and the extension's protected settings (its download identity) are masked; nothing strays", () => {
    const run = base[stack];
    const strays: { where: string; path: string }[] = [];
    const plan = planResources(run.resources, secretsOf(run), ROOT, strays).find((r) => r.type === VMSS)!;
    const masked = leaves(plan.inputs, "").filter(([, v]) => v === MASK).map(([p]) => p);
    // (Leaf paths by index here: the install extension is the first.)
    expect((plan.inputs as any).virtualMachineProfile.extensionProfile.extensions[0].name).toBe(EXTENSIONS.install);
    expect(masked).toEqual(["virtualMachineProfile.extensionProfile.extensions[0].protectedSettings.managedIdentity.clientId", ADMIN]);
    expect(strays).toEqual([]);
    // The install command is in the plan as it is, so every setting and secret version in it shows in a diff.
    const command = (plan.inputs as any).virtualMachineProfile.extensionProfile.extensions.find((e: { name: string }) => e.name === EXTENSIONS.install).settings.commandToExecute;
    expect(parseBootstrapCommand(command).settings.secretArguments.map((a) => a.name)).toEqual(["AppPassword", "EventHubConnectionString"]);
  });
});

describe("rolling upgrades keep at least instanceCount - 1 instances serving", () => {
  // Instances Azure takes into one batch for the registered percentage (it rounds down, never below one).
  const EXPECTED: [number, number, number, number][] = [
    // [instanceCount, maxBatchInstancePercent, instances per batch, maxUnhealthyInstancePercent]
    [2, 50, 1, 100],
    [3, 33, 1, 67],
    [20, 5, 1, 10],
    [21, 5, 1, 10],
    [100, 5, 5, 6],
  ];

  test.each(EXPECTED)("%i instances: batch of %i%% (%i instance(s)), surge, stop at the first unhealthy upgraded one", async (n, percent, perBatch, unhealthy) => {
    const run = n === 3 ? base.eu : n === 2 ? base.us : scaled.get(n) ?? (await evaluate("us", { instanceCount: n }));
    const vmss = scaleSet(run);
    expect(vmss.sku.capacity).toBe(n);
    expect(vmss.upgradePolicy.mode).toBe("Rolling");
    const p = vmss.upgradePolicy.rollingUpgradePolicy;
    expect(p.maxBatchInstancePercent).toBe(percent);
    expect(Math.max(1, Math.floor((n * p.maxBatchInstancePercent) / 100))).toBe(perBatch);
    // Azure does not start a batch while more than the batch is unhealthy already.
    // The batch plus one instance that was already unhealthy: that one never blocks the upgrade.
    expect(p.maxUnhealthyInstancePercent).toBe(unhealthy);
    expect(Math.floor((n * unhealthy) / 100)).toBeGreaterThanOrEqual(perBatch + 1);
    // Surge: a batch's new instances are created and healthy before its old ones are deleted, so all n keep serving;
    // without surge, n - perBatch serve, which is n - 1 only while a batch is a single instance.
    expect(p.maxSurge).toBe(true);
    const servingWithoutSurge = n - perBatch;
    expect(p.maxSurge || servingWithoutSurge >= n - 1).toBe(true);
    expect(p.maxUnhealthyUpgradedInstancePercent).toBe(0);
    expect(p.rollbackFailedInstancesOnPolicyBreach).toBe(true);
    expect(p.pauseTimeBetweenBatches).toBe("PT5M");
    // The rollout is only as good as the health signal it waits for: the health extension probes the connector.
    const health = (vmss.virtualMachineProfile.extensionProfile.extensions as Record<string, any>[]).find((e) => e.name === EXTENSIONS.health)!;
    expect([health.settings.protocol, health.settings.port]).toEqual(["tcp", 443]);
  });
});
