/**
 * TeamsConnectorVmss under the shared mocks, through the real program (index.ts) and the shipped eu stack, plus
 * edits of it: what Azure would be asked for, and what a config change would touch.
 */
import { containsSecret, inputs, one, ofType, parentName, ProgramRun, runProgram, secretInputs, stackSource, UNTAGGABLE } from "./harness";
import { Registration, unmark } from "../tools/engine/mocks";
import { installForceUpdateTag, parseBootstrapCommand } from "../components/installer";
import { LOAD_BALANCER } from "../components/network";
import { rollingUpgradePolicy } from "../components/rollingUpgrade";
import { EXTENSIONS, LB_BACKEND_POOL, LB_FRONTEND, REPAIR_GRACE_PERIOD } from "../components/teamsConnectorVmss";

const VMSS = "azure-native:compute:VirtualMachineScaleSet";
const NAT = "azure-native:network:InboundNatRule";
const RDP_PREFIX = "192.0.2.0/27";

let eu: ProgramRun;
beforeAll(async () => {
  eu = await runProgram("eu", stackSource("eu").source);
});

/** Registrations whose parent chain reaches the TeamsConnectorVmss component (the component itself excluded). */
function withinComponent(run: ProgramRun): Registration[] {
  const comp = one(run.resources, "pexip:teams:TeamsConnectorVmss");
  const inside = new Set([comp.urn]);
  const out: Registration[] = [];
  for (const r of run.resources) {
    if (r.parent && inside.has(r.parent)) {
      inside.add(r.urn);
      out.push(r);
    }
  }
  return out;
}

function extension(vmss: Registration, name: string): Record<string, any> {
  const exts = inputs(vmss).virtualMachineProfile.extensionProfile.extensions as Record<string, any>[];
  const found = exts.find((e) => e.name === name);
  if (!found) throw new Error(`no extension ${name} (have ${exts.map((e) => e.name).join(", ")})`);
  return found;
}

/** The one registration of a type (and logical name) that the StaticResources component owns. */
function fromStatic(run: ProgramRun, type: string, name?: string): Registration {
  const found = ofType(run.resources, type).filter((r) => parentName(r) === "static" && (name === undefined || r.name === name));
  if (found.length !== 1) throw new Error(`expected one ${type} under static, found ${found.length}`);
  return found[0];
}

/** Custom resources by URN, inputs without secret markers. */
function byUrn(run: ProgramRun): Map<string, Record<string, unknown>> {
  return new Map(run.resources.filter((r) => r.custom).map((r) => [r.urn, inputs(r)]));
}

/** URNs whose inputs differ between two runs, and URNs only in one of them. */
function diff(a: ProgramRun, b: ProgramRun): { changed: string[]; added: string[]; removed: string[] } {
  const ma = byUrn(a);
  const mb = byUrn(b);
  const changed = [...ma.keys()].filter((k) => mb.has(k) && JSON.stringify(ma.get(k)) !== JSON.stringify(mb.get(k)));
  return { changed, added: [...mb.keys()].filter((k) => !ma.has(k)), removed: [...ma.keys()].filter((k) => !mb.has(k)) };
}

const typeOf = (urn: string) => urn.split("::")[2].split("$").pop()!;
const nameOf = (urn: string) => urn.split("::")[3];

describe("TeamsConnectorVmss (eu stack)", () => {
  test("creates its resources inside the component, in the dynamic resource group", () => {
    const inside = withinComponent(eu);
    expect(inside.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "azure-native:compute:VirtualMachineScaleSet vmss-vmss",
      "azure-native:network:InboundNatRule vmss-teams-signalling-10100",
      "azure-native:network:InboundNatRule vmss-teams-signalling-20100",
      "azure-native:network:LoadBalancer vmss-lb",
      "azure-native:network:NetworkSecurityGroup vmss-nsg",
      "azure-native:network:VirtualNetwork vmss-vnet",
      "azure-native:resources:ResourceGroup vmss-rg",
      "azure-native:storage:Blob vmss-bootstrap-script",
      "pexip:teams:NetworkSecurity vmss-nsg",
    ]);
    for (const r of inside) expect([r.name, parentName(r)]).toEqual([r.name, r.type === "azure-native:network:NetworkSecurityGroup" ? "vmss-nsg" : "vmss"]);
    expect(inputs(one(inside, "azure-native:resources:ResourceGroup")).resourceGroupName).toBe("pexip-TeamsConn-eu-RG");
    for (const r of inside.filter((x) => x.custom && !["azure-native:resources:ResourceGroup", "azure-native:storage:Blob"].includes(x.type))) {
      expect([r.name, inputs(r).resourceGroupName]).toEqual([r.name, "pexip-TeamsConn-eu-RG"]);
    }
  });

  test("every taggable resource carries the stack's tags", () => {
    const taggable = withinComponent(eu).filter((r) => r.custom && !UNTAGGABLE.has(r.type));
    expect(taggable.length).toBe(5);
    for (const r of taggable) expect([r.type, inputs(r).tags]).toEqual([r.type, { ResourceOwner: "user@domain", CostCenter: "Video Services" }]);
  });

  test("VNet: one subnet with the NSG, no default outbound access, and the Key Vault service endpoint the vault's firewall admits", () => {
    const vnet = one(eu.resources, "azure-native:network:VirtualNetwork");
    const nsg = one(eu.resources, "azure-native:network:NetworkSecurityGroup");
    const v = inputs(vnet);
    expect(v.virtualNetworkName).toBe("pexipeu-vnet");
    expect(v.subnets).toHaveLength(1);
    expect(v.subnets[0].defaultOutboundAccess).toBe(false);
    expect(v.subnets[0].networkSecurityGroup.id).toBe(nsg.id);
    expect(v.subnets[0].serviceEndpoints).toEqual([{ service: "Microsoft.KeyVault" }]);
    // The vault (static, created first) names this very subnet: the ID it computes from names is the one Azure gives.
    const subnetId = `${vnet.id}/subnets/${v.subnets[0].name}`;
    const vaultRules = inputs(fromStatic(eu, "azure-native:keyvault:Vault")).properties.networkAcls.virtualNetworkRules;
    expect(vaultRules).toEqual([{ id: subnetId, ignoreMissingVnetServiceEndpoint: true }]);
    expect(inputs(one(eu.resources, VMSS)).virtualMachineProfile.networkProfile.networkInterfaceConfigurations[0].ipConfigurations[0].subnet.id).toBe(subnetId);
  });

  test("Standard load balancer on the static public IP, with the 443 rule and its probe", () => {
    const lb = inputs(one(eu.resources, "azure-native:network:LoadBalancer"));
    const staticIp = fromStatic(eu, "azure-native:network:PublicIPAddress");
    expect(lb.sku.name).toBe("Standard");
    expect(lb.frontendIPConfigurations).toEqual([{ name: LB_FRONTEND, publicIPAddress: { id: staticIp.id } }]);
    expect(lb.backendAddressPools).toEqual([{ name: LB_BACKEND_POOL }]);
    expect(lb.probes).toEqual([{ name: "https-443-probe", protocol: "Tcp", port: 443, intervalInSeconds: 5, numberOfProbes: 2 }]);
    const rule = lb.loadBalancingRules[0];
    expect([rule.frontendPort, rule.backendPort, rule.protocol, rule.disableOutboundSnat]).toEqual([443, 443, "Tcp", true]);
    expect(rule.probe.id).toMatch(/\/loadBalancers\/pexipeu-lb\/probes\/https-443-probe$/);
    expect(rule.backendAddressPool.id).toMatch(/\/loadBalancers\/pexipeu-lb\/backendAddressPools\/instances$/);
    expect(lb.inboundNatRules).toBeUndefined();
  });

  test("NAT rules v2 without RDP (no management prefixes): Teams signalling only", () => {
    const nat = ofType(eu.resources, NAT).map(inputs);
    expect(nat.map((n) => [n.inboundNatRuleName, n.frontendPortRangeStart, n.frontendPortRangeEnd, n.backendPort, n.protocol])).toEqual([
      ["teams-signalling-10100", 10000, 10399, 10100, "Tcp"],
      ["teams-signalling-20100", 11000, 11399, 20100, "Tcp"],
    ]);
    for (const n of nat) {
      expect(n.backendAddressPool.id).toMatch(/\/backendAddressPools\/instances$/);
      expect(n.frontendIPConfiguration.id).toMatch(/\/frontendIPConfigurations\/frontend$/);
      expect(n.loadBalancerName).toBe("pexipeu-lb");
    }
  });

  test("scale set: size, capacity, no overprovisioning, rolling upgrades, repairs, identity, zones", () => {
    const v = inputs(one(eu.resources, VMSS));
    const identity = fromStatic(eu, "azure-native:managedidentity:UserAssignedIdentity", "static-identity");
    expect(v.vmScaleSetName).toBe("pexipeu");
    expect(v.orchestrationMode).toBe("Uniform");
    expect(v.sku).toEqual({ name: "Standard_F4s", tier: "Standard", capacity: 3 });
    expect(v.overprovision).toBe(false);
    expect(v.upgradePolicy).toEqual({ mode: "Rolling", rollingUpgradePolicy: rollingUpgradePolicy(3) });
    expect(v.upgradePolicy.rollingUpgradePolicy.maxSurge).toBe(true);
    expect(v.automaticRepairsPolicy).toEqual({ enabled: true, gracePeriod: REPAIR_GRACE_PERIOD, repairAction: "Replace" });
    expect(v.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
    expect(v.zones).toEqual(["1", "2", "3"]);
  });

  test("created after the instances' identity's grants and the propagation wait; the provider waits out the extensions' budget", () => {
    const r = one(eu.resources, VMSS);
    const grants = [
      "static-role-blob-data-contributor-logs", "static-role-blob-data-reader-packages", "static-role-kv-secrets-user-app-password", "static-role-kv-secrets-user-eventhub",
    ].map((n) => fromStatic(eu, "azure-native:authorization:RoleAssignment", n));
    const wait = fromStatic(eu, "pulumi-nodejs:dynamic/pexip:RolePropagationWait", "static-instance-grants-wait");
    expect(r.dependencies).toEqual(expect.arrayContaining([...grants.map((g) => g.urn), wait.urn]));
    expect(inputs(r).virtualMachineProfile.extensionProfile.extensionsTimeBudget).toBe("PT2H");
    expect(r.customTimeouts).toEqual({ create: "150m", update: "150m", delete: "" });
  });

  test("OS profile: admin, UTC, Windows Update by the OS, certificate from Key Vault into LocalMachine\\My", () => {
    const r = one(eu.resources, VMSS);
    const os = inputs(r).virtualMachineProfile.osProfile;
    const vault = fromStatic(eu, "azure-native:keyvault:Vault");
    expect(os.computerNamePrefix).toBe("pexipeu");
    expect(os.adminUsername).toBe("pexadmin");
    expect(os.windowsConfiguration).toEqual({ enableAutomaticUpdates: true, patchSettings: { patchMode: "AutomaticByOS" }, provisionVMAgent: true, timeZone: "UTC" });
    expect(os.secrets).toHaveLength(1);
    expect(os.secrets[0].sourceVault.id).toBe(vault.id);
    expect(os.secrets[0].vaultCertificates).toHaveLength(1);
    expect(os.secrets[0].vaultCertificates[0].certificateStore).toBe("My");
    expect(os.secrets[0].vaultCertificates[0].certificateUrl).toMatch(/^https:\/\/.+\.vault\.azure\.net\/secrets\/.+\/[0-9a-f]{32}$/);
    // A nested secret marks the whole model secret on the wire: the admin password never travels in clear.
    expect(secretInputs(r)).toEqual(["virtualMachineProfile"]);
  });

  test("encryption at host, OS disk with the disk encryption set, boot diagnostics, NIC with NSG, pool and instance IPs", () => {
    const p = inputs(one(eu.resources, VMSS)).virtualMachineProfile;
    const des = fromStatic(eu, "azure-native:compute:DiskEncryptionSet");
    const nsg = one(eu.resources, "azure-native:network:NetworkSecurityGroup");
    expect(p.securityProfile).toEqual({ encryptionAtHost: true });
    expect(p.storageProfile.osDisk.managedDisk.diskEncryptionSet).toEqual({ id: des.id });
    expect(p.storageProfile.osDisk.managedDisk.storageAccountType).toBe("Premium_LRS");
    // A Gen1 image: Standard_F4s runs generation 1 only (components/vmSizes.ts).
    expect(p.storageProfile.imageReference).toEqual({ publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter", version: "latest" });
    expect(p.diagnosticsProfile).toEqual({ bootDiagnostics: { enabled: true } });
    const nic = p.networkProfile.networkInterfaceConfigurations[0];
    expect(nic.networkSecurityGroup).toEqual({ id: nsg.id });
    // Fs: no hyper-threading, 4 vCPUs (two or more suffice), accelerated networking supported.
    expect(nic.enableAcceleratedNetworking).toBe(true);
    const ip = nic.ipConfigurations[0];
    expect(ip.subnet.id).toMatch(/\/virtualNetworks\/pexipeu-vnet\/subnets\/instances$/);
    expect(ip.loadBalancerBackendAddressPools[0].id).toMatch(/\/loadBalancers\/pexipeu-lb\/backendAddressPools\/instances$/);
    expect(ip.publicIPAddressConfiguration.name).toBe("instance-public-ip");
  });

  test("install extension: no secret anywhere, the secrets' versioned Key Vault URIs in a public command; health extension after it on TCP 443", () => {
    const r = one(eu.resources, VMSS);
    const install = extension(r, EXTENSIONS.install);
    const appPassword = eu.outputs.appPassword as string;
    const eventHub = eu.outputs.eventHubConnectionString as string;
    expect(appPassword.length).toBeGreaterThan(10);
    expect(eventHub).toMatch(/^Endpoint=sb:\/\//);
    // Neither secret anywhere in the scale set, in clear or in base64 (test/upgrades.test.ts walks every known secret).
    const all = JSON.stringify(inputs(r));
    const decoded = JSON.stringify(parseBootstrapCommand(install.settings.commandToExecute));
    for (const s of [appPassword, eventHub, Buffer.from(appPassword).toString("base64").slice(0, 12)]) {
      expect(all).not.toContain(s);
      expect(decoded).not.toContain(s);
    }
    // The model is secret-marked for the admin password alone; the extension keeps only the download identity protected.
    expect(secretInputs(r)).toEqual(["virtualMachineProfile"]);
    expect(install.protectedSettings).toEqual({ managedIdentity: { clientId: fromStatic(eu, "azure-native:managedidentity:UserAssignedIdentity", "static-identity").state.clientId } });
    expect(install.publisher).toBe("Microsoft.Compute");
    expect(install.type).toBe("CustomScriptExtension");
    const blob = one(eu.resources, "azure-native:storage:Blob", "vmss-bootstrap-script");
    expect(install.settings.fileUris[0]).toBe(blob.state.url);
    expect(inputs(blob).blobName).toMatch(/^install-teams-connector-[0-9a-f]{16}\.ps1$/);
    // In the static package account (shared keys on for this upload), beside the ZIP; never in the keyless logs account.
    const pkgAccount = inputs(one(eu.resources, "azure-native:storage:StorageAccount", "static-packages"));
    expect(pkgAccount.allowSharedKeyAccess).toBe(true);
    expect([inputs(blob).resourceGroupName, inputs(blob).accountName, inputs(blob).containerName]).toEqual(["pexip-TeamsConn-eu-static-RG", pkgAccount.accountName, "packages"]);
    expect(inputs(blob).accountName).toMatch(/^pexipeupkg[a-z0-9]{5}$/);
    expect(install.settings.fileUris[1]).toBe(`https://${pkgAccount.accountName}.blob.core.windows.net/packages/teams-connector-26.2.zip`);
    // The force-update tag follows everything the install depends on.
    expect(install.forceUpdateTag).toBe(installForceUpdateTag("26.2", install.settings.fileUris, install.settings.commandToExecute));

    const { scriptFile, settings } = parseBootstrapCommand(install.settings.commandToExecute);
    expect(scriptFile).toBe(inputs(blob).blobName);
    expect(settings.connectorVersion).toBe("26.2");
    expect(settings.packageFile).toBe("teams-connector-26.2.zip");
    expect(settings.windowsUpdate).toEqual({ installDay: 1, installHour: 22, activeHoursStart: 6, activeHoursEnd: 22 });
    expect(settings.installerArguments).toEqual({
      TeamsConnectorFqdn: "pexip-teamsconn-eu.teams.example.com",
      PexipFqdns: ["pxedge.vc.example.com"],
      AppId: eu.outputs.appId,
      TenantId: eu.outputs.tenantId,
      IncidentReporting: true,
      CertificateThumbprint: expect.stringMatching(/^[0-9A-F]{40}$/),
    });
    const secretUri = (n: string) => (fromStatic(eu, "azure-native:keyvault:Secret", n).state.properties as { secretUriWithVersion: string }).secretUriWithVersion;
    expect(settings.secretArguments).toEqual([
      { name: "AppPassword", secretUri: secretUri("static-app-password-secret") },
      { name: "EventHubConnectionString", secretUri: secretUri("static-eventhub-secret") },
    ]);
    expect(settings.identityResourceId).toBe(fromStatic(eu, "azure-native:managedidentity:UserAssignedIdentity", "static-identity").id);

    const health = extension(r, EXTENSIONS.health);
    expect([health.type, health.settings.protocol, health.settings.port]).toEqual(["ApplicationHealthWindows", "tcp", LOAD_BALANCER.probe.port]);
    expect(health.provisionAfterExtensions).toEqual([EXTENSIONS.install]);
  });

  test("component outputs: names, rules and NAT rules for the plan", () => {
    const comp = one(eu.resources, "pexip:teams:TeamsConnectorVmss");
    const out = unmark(eu.monitor.registeredOutputs.get(comp.urn)) as Record<string, any>;
    expect(out.resourceGroupName).toBe("pexip-TeamsConn-eu-RG");
    expect(out.vmssName).toBe("pexipeu");
    expect(out.nsgId).toBe(one(eu.resources, "azure-native:network:NetworkSecurityGroup").id);
    expect(out.securityRules.map((s: { name: string }) => s.name)).toContain("MCU-signalling-endpoint");
    expect(out.natRules.map((n: { name: string }) => n.name)).toEqual(["teams-signalling-10100", "teams-signalling-20100"]);
  });
});

describe("TeamsConnectorVmss: edits of the eu stack", () => {
  test("a region without availability zones gets no zones", async () => {
    const run = await runProgram("eu", stackSource("eu", { set: { "azure-native:location": "westus" } }).source);
    const v = inputs(one(run.resources, VMSS));
    expect(v.location).toBe("westus");
    expect(v).not.toHaveProperty("zones");
  });

  test("managementSourcePrefixes: the NSG changes in place and exactly one RDP NAT rule appears, nothing else", async () => {
    const run = await runProgram("eu", stackSource("eu", { set: { managementSourcePrefixes: [RDP_PREFIX] } }).source);
    const d = diff(eu, run);
    expect(d.changed.map((u) => `${typeOf(u)} ${nameOf(u)}`)).toEqual(["azure-native:network:NetworkSecurityGroup vmss-nsg"]);
    expect(d.added.map((u) => `${typeOf(u)} ${nameOf(u)}`)).toEqual([`${NAT} vmss-rdp-3389`]);
    expect(d.removed).toEqual([]);
    const rdpNat = inputs(one(run.resources, NAT, "vmss-rdp-3389"));
    expect([rdpNat.frontendPortRangeStart, rdpNat.frontendPortRangeEnd, rdpNat.backendPort]).toEqual([50000, 50399, 3389]);
    const rdp = (inputs(one(run.resources, "azure-native:network:NetworkSecurityGroup")).securityRules as Record<string, any>[]).find((x) => x.name === "RDP")!;
    expect([rdp.access, rdp.sourceAddressPrefix]).toEqual(["Allow", RDP_PREFIX]);
  });

  test("connectorVersion: only the scale-set model (and the package blob) change", async () => {
    const run = await runProgram("eu", stackSource("eu", { set: { connectorVersion: "26.3" } }).source);
    const d = diff(eu, run);
    // The static package blob may be versioned by name (a new blob, the old one removed): nothing else may come or go.
    for (const u of [...d.added, ...d.removed]) expect([u, typeOf(u)]).toEqual([u, "azure-native:storage:Blob"]);
    const changedTypes = d.changed.map(typeOf);
    expect(changedTypes).toContain(VMSS);
    for (const u of d.changed) expect([u, typeOf(u) === VMSS || typeOf(u) === "azure-native:storage:Blob"]).toEqual([u, true]);
    // The version travels to the instances: extension force-update tag and the bootstrap's settings.
    const install = extension(one(run.resources, VMSS), EXTENSIONS.install);
    expect(install.forceUpdateTag).toMatch(/^26\.3-[0-9a-f]{16}$/);
    expect(parseBootstrapCommand(install.settings.commandToExecute).settings.connectorVersion).toBe("26.3");
    // The scale set is the same resource (same name, same resource group): an in-place rolling upgrade.
    expect(inputs(one(run.resources, VMSS)).vmScaleSetName).toBe("pexipeu");
  });
});

describe("capacityManagedBy", () => {
  test("pulumi (default): the scale set ignores nothing; infinity: it ignores sku.capacity, and nothing else does", async () => {
    expect(one(eu.resources, VMSS).ignoreChanges).toEqual([]);
    const run = await runProgram("eu", stackSource("eu", { set: { capacityManagedBy: "infinity" } }).source);
    expect(one(run.resources, VMSS).ignoreChanges).toEqual(["sku.capacity"]);
    expect(inputs(one(run.resources, VMSS)).sku.capacity).toBe(3);
    expect(run.resources.filter((r) => r.type !== VMSS && r.ignoreChanges.length > 0)).toEqual([]);
  });
});
