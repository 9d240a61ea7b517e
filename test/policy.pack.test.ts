/**
 * The pack as the Pulumi CLI meets it: policy/index.ts constructs the real PolicyPack in the policy/ directory
 * (package.json version, gRPC server, port on stdout), and this test plays the CLI's side of the analyzer protocol
 * (GetAnalyzerInfo, Configure, Analyze, AnalyzeStack) against it. The CLI itself starts the pack with ts-node's
 * type check first (`npm run typecheck` covers that); here swc loads it, so the test stays fast.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as compute from "@pulumi/azure-native/compute";
import * as eventhub from "@pulumi/azure-native/eventhub";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as network from "@pulumi/azure-native/network";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "../policy/policies";
import * as types from "../policy/types";

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js");
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = path.resolve(__dirname, "..");
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

describe("the pack's definitions", () => {
  test("each type token is the azure-native class's own type", () => {
    const real: Record<string, { __pulumiType?: string }> = {
      NetworkSecurityGroup: network.NetworkSecurityGroup, SecurityRule: network.SecurityRule, LoadBalancer: network.LoadBalancer,
      PublicIPAddress: network.PublicIPAddress, VirtualNetwork: network.VirtualNetwork, Subnet: network.Subnet,
      VirtualMachineScaleSet: compute.VirtualMachineScaleSet, Vault: keyvault.Vault, StorageAccount: storage.StorageAccount,
      WebApp: web.WebApp, EventHubNamespace: eventhub.Namespace, KeyVaultSecret: keyvault.Secret, ManagementPolicy: storage.ManagementPolicy,
    } as unknown as Record<string, { __pulumiType?: string }>;
    const tokens = Object.fromEntries(Object.entries(types).filter(([, v]) => typeof v === "object").map(([k, v]) => [k, (v as { __pulumiType: string }).__pulumiType]));
    expect(tokens).toEqual(Object.fromEntries(Object.keys(tokens).map((k) => [k, real[k]?.__pulumiType])));
  });

  test("names are unique kebab-case; mandatory only where the breach is an exposure; every config has a default", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(PACK_ENFORCEMENT_LEVEL).toBe("advisory");
    // Exposures, and Azure's deployment-time rules (a breach fails the deployment or blocks upgrades in Azure).
    expect(policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name).sort()).toEqual([
      "grants-before-use", "keyvault-access-policies-explicit",
      "nsg-no-rdp-ssh-from-internet", "nsg-only-connector-flows", "storage-https-only", "storage-lifecycle-rule-names", "storage-no-public-blob-access",
      "tags-azure-limits", "vmss-admin-password-from-secret", "vmss-certificate-secret-format", "vmss-rolling-upgrade-thresholds", "vmss-size-capabilities",
      "webapp-https-only",
    ]);
    for (const p of policies) {
      for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
        expect([p.name, key, (schema as { default?: unknown }).default !== undefined]).toEqual([p.name, key, true]);
      }
    }
  });
});

/** Promisified unary call on the generated client. */
function call<T>(client: Record<string, (...a: unknown[]) => void>, method: string, req: unknown): Promise<T> {
  return new Promise((resolve, reject) => client[method](req, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
}

interface Diag {
  policy: string;
  level: number;
  message: string;
}

describe("the pack served to the CLI", () => {
  let child: ChildProcess;
  let client: Record<string, (...a: unknown[]) => void> & { close(): void };

  beforeAll(async () => {
    // What the CLI hands a policy pack: the stack's config, structured values as JSON strings.
    const env = {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify({ "pexip-teams-connector:tags": JSON.stringify({ ResourceOwner: "user@domain", CostCenter: "Video Services" }) }),
    };
    child = spawn(process.execPath, ["-r", path.join(ROOT, "tools/register.js"), "-e", "require('./index.ts')"], { cwd: path.join(ROOT, "policy"), env });
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout?.on("data", (d) => {
        out += String(d);
        if (out.includes("\n")) resolve(out.trim());
      });
      child.stderr?.on("data", (d) => (err += String(d)));
      child.on("exit", (code) => reject(new Error(`the pack exited (${code}) before serving: ${err}`)));
    });
    expect(port).toMatch(/^\d+$/);
    client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    client?.close();
    if (child?.pid && child.exitCode === null) child.kill();
  });

  test("GetAnalyzerInfo: the pack's name, version, policies and the stack's tags as initial config", async () => {
    const info = await call<{ [k: string]: () => unknown }>(client, "getAnalyzerInfo", new Empty());
    expect(info.getName()).toBe(PACK_NAME);
    expect(info.getVersion()).toBe(require(path.join(ROOT, "policy", "package.json")).version);
    const listed = (info.getPoliciesList() as { getName(): string; getEnforcementlevel(): number }[]).map((p) => [p.getName(), p.getEnforcementlevel()]);
    expect(listed).toEqual(policies.map((p) => [p.name, p.enforcementLevel === "mandatory" ? pb.EnforcementLevel.MANDATORY : pb.EnforcementLevel.ADVISORY]));
    const initial = info.getInitialconfigMap() as { get(k: string): { getEnforcementlevel(): number; getProperties(): { toJavaScript(): unknown } } | undefined };
    const tags = initial.get("required-tags");
    expect(tags?.getEnforcementlevel()).toBe(pb.EnforcementLevel.ADVISORY);
    expect(tags?.getProperties().toJavaScript()).toEqual({ requiredTags: ["CostCenter", "ResourceOwner"] });
  });

  async function analyze(type: string, name: string, props: Record<string, unknown>): Promise<{ diags: Diag[]; notApplicable: Record<string, string> }> {
    const req = new pb.AnalyzeRequest();
    req.setType(type);
    req.setName(name);
    req.setUrn(`urn:pulumi:eu::pexip-teams-connector::${type}::${name}`);
    req.setProperties(Struct.fromJavaScript(props));
    req.setOptions(new pb.AnalyzerResourceOptions());
    const res = await call<{ getDiagnosticsList(): { getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string }[]; getNotApplicableList(): { getPolicyName(): string; getReason(): string }[] }>(client, "analyze", req);
    return {
      diags: res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() })),
      notApplicable: Object.fromEntries(res.getNotApplicableList().map((n) => [n.getPolicyName(), n.getReason()])),
    };
  }

  test("Configure then Analyze: an NSG with RDP open to the internet gets both mandatory violations, tags required", async () => {
    // The CLI configures the pack with the initial config merged with --policy-pack-config.
    const cfg = new pb.ConfigureAnalyzerRequest();
    const tags = new pb.PolicyConfig();
    tags.setEnforcementlevel(pb.EnforcementLevel.ADVISORY);
    tags.setProperties(Struct.fromJavaScript({ requiredTags: ["CostCenter", "ResourceOwner"] }));
    cfg.getPolicyconfigMap().set("required-tags", tags);
    await call(client, "configure", cfg);

    const { diags } = await analyze("azure-native:network:NetworkSecurityGroup", "vmss-nsg", {
      securityRules: [{ name: "RDP", priority: 1000, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "*", destinationPortRange: "3389" }],
      tags: { CostCenter: "Video Services" },
    });
    const rdp = policies.find((p) => p.name === "nsg-no-rdp-ssh-from-internet");
    expect(diags).toEqual([
      {
        policy: "nsg-no-rdp-ssh-from-internet", level: pb.EnforcementLevel.MANDATORY,
        message: `${rdp?.description}\nSecurity rule "RDP" allows RDP (port 3389) inbound from the internet (source "*"); allow it only from your management networks (managementSourcePrefixes).`,
      },
      expect.objectContaining({ policy: "nsg-only-connector-flows", level: pb.EnforcementLevel.MANDATORY }),
      expect.objectContaining({ policy: "required-tags", level: pb.EnforcementLevel.ADVISORY, message: expect.stringMatching(/\nMissing required tag: ResourceOwner\.$/) }),
    ]);
  });

  test("Analyze: a versioned type token (azure-native:network/v20230501:...) gets the same diagnostics as the unversioned one", async () => {
    const props = {
      securityRules: [{ name: "RDP", priority: 1000, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefixes: ["0.0.0.0/1", "128.0.0.0/1"], destinationPortRange: "3389" }],
      tags: { CostCenter: "Video Services" },
    };
    const plain = await analyze("azure-native:network:NetworkSecurityGroup", "vmss-nsg", props);
    const versioned = await analyze("azure-native:network/v20230501:NetworkSecurityGroup", "vmss-nsg", props);
    expect(plain.diags.map((d) => d.policy)).toEqual(["nsg-no-rdp-ssh-from-internet", "nsg-only-connector-flows", "required-tags"]);
    expect(versioned.diags).toEqual(plain.diags);
    const vault = await analyze("azure-native:keyvault/v20230701:Vault", "kv", { properties: { enableSoftDelete: false }, tags: { CostCenter: "c", ResourceOwner: "o" } });
    expect(vault.diags.map((d) => d.policy)).toEqual(["keyvault-soft-delete", "keyvault-purge-protection", "keyvault-rbac-authorization", "keyvault-network-default-deny", "keyvault-access-policies-explicit"]);
  });

  test("Analyze: the engine unwraps secrets, so the password policy reports itself not applicable instead of guessing", async () => {
    const { diags, notApplicable } = await analyze("azure-native:compute:VirtualMachineScaleSet", "vmss", {
      overprovision: false, upgradePolicy: { mode: "Rolling" }, tags: { CostCenter: "c", ResourceOwner: "o" },
      virtualMachineProfile: {
        securityProfile: { encryptionAtHost: true },
        osProfile: { adminUsername: "pexadmin", adminPassword: { [SIG]: SECRET_SIG, value: "Pexip-Admin-2026!" } },
      },
    });
    expect(diags).toEqual([]);
    expect(notApplicable["vmss-admin-password-from-secret"]).toBe("the engine unwraps secrets before policies run; `npm run plan` and `npm run policy` check this");
  });

  test("AnalyzeStack: a scale set without an NSG anywhere is reported against its URN", async () => {
    const vmssUrn = "urn:pulumi:eu::pexip-teams-connector::azure-native:compute:VirtualMachineScaleSet::vmss";
    const r = new pb.AnalyzerResource();
    r.setType("azure-native:compute:VirtualMachineScaleSet");
    r.setName("vmss");
    r.setUrn(vmssUrn);
    r.setOptions(new pb.AnalyzerResourceOptions());
    r.setProperties(Struct.fromJavaScript({
      virtualMachineProfile: { networkProfile: { networkInterfaceConfigurations: [{ name: "nic", ipConfigurations: [{ name: "ip", subnet: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/connector" } }] }] } },
    }));
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList([r]);
    const res = await call<{ getDiagnosticsList(): { getPolicyname(): string; getUrn(): string; getMessage(): string }[] }>(client, "analyzeStack", req);
    expect(res.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getUrn(), d.getMessage().split("\n")[1]])).toEqual([
      ["vmss-nsg-attached", vmssUrn, 'Scale set "vmss", NIC "nic": no NSG on the NIC nor on subnet "vnet/connector" (not in this stack).'],
    ]);
  });
});
