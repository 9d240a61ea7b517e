/** The plan's pure parts: masking, diff classification, argument parsing, alias pruning, the PKCS#12 key derivation, the bench's module scan. No child processes. */
import * as crypto from "crypto";
import * as forge from "node-forge";
import { pulumiModules } from "../tools/dev/bench";
import { ASSET_SIG, RESOURCE_SIG, SECRET_SIG, SIG_KEY } from "../tools/engine/mocks";
import { dropApiVersionAliases, isApiVersionAlias, parseArgs, UsageError } from "../tools/commands/plan";
import { changedPaths, diffPlans } from "../tools/engine/diff";
import { collectSecrets, SecretSet, toPlain } from "../tools/engine/mask";
import type { PlanResource } from "../tools/engine/model";

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const opts = { projectDir: "/repo" };

describe("masking", () => {
  // The SDK wraps the whole virtualMachineProfile because of osProfile.adminPassword (cli.md).
  const vmss = {
    sku: { name: "Standard_F4s", capacity: 3 },
    virtualMachineProfile: secret({
      osProfile: { adminUsername: "pexadmin", adminPassword: "Generated-Pw-123!" },
      extensionProfile: { extensions: [{ name: "install", protectedSettings: { commandToExecute: "run -p s3cret-token" }, settings: { version: "26.2" } }] },
      storageProfile: { imageReference: { sku: "2022-datacenter-g2" } },
    }),
    tags: { note: "password is Generated-Pw-123! inline" },
  };

  test("a secret-marked object keeps its structure; secret-field leaves and known secrets become [secret]", () => {
    const found = new Set<string>();
    collectSecrets(vmss, found);
    expect([...found].sort()).toEqual(["Generated-Pw-123!", "run -p s3cret-token"]);
    const strays: string[] = [];
    const plain = toPlain(vmss, new SecretSet(found), { ...opts, strays }) as any;
    expect(plain.virtualMachineProfile.osProfile).toEqual({ adminPassword: "[secret]", adminUsername: "pexadmin" });
    expect(plain.virtualMachineProfile.extensionProfile.extensions[0].protectedSettings).toEqual({ commandToExecute: "[secret]" });
    expect(plain.virtualMachineProfile.extensionProfile.extensions[0].settings).toEqual({ version: "26.2" });
    expect(plain.virtualMachineProfile.storageProfile.imageReference.sku).toBe("2022-datacenter-g2");
    // A long known secret inside an unmarked string masks that whole leaf, and is reported as the program's fault.
    expect(plain.tags.note).toBe("[secret]");
    expect(strays).toEqual(["tags.note"]);
    expect(plain.sku).toEqual({ capacity: 3, name: "Standard_F4s" });
  });

  test("a secret marker around a primitive is the secret; a Key Vault secret's value is secret by type", () => {
    expect(toPlain({ a: secret("x"), n: secret(5) }, new SecretSet([]), opts)).toEqual({ a: "[secret]", n: "[secret]" });
    // Secret numbers and booleans are masked where marked, never searched for: `true` would mask every `true`.
    const found = new Set<string>();
    collectSecrets({ flag: secret(true), n: secret(3), s: secret("swordfish") }, found);
    expect([...found]).toEqual(["swordfish"]);
    const kv = { properties: { value: "pfx-bytes-base64", contentType: "application/x-pkcs12" } };
    expect(toPlain(kv, new SecretSet([]), { ...opts, type: "azure-native:keyvault:Secret" })).toEqual({ properties: { contentType: "application/x-pkcs12", value: "[secret]" } });
    expect(toPlain(kv, new SecretSet([]), { ...opts, type: "azure-native:web:WebApp" })).toEqual(kv);
  });

  test("assets show a project-relative path; resource references their URN; keys come out sorted", () => {
    const v = { z: 1, source: { [SIG_KEY]: ASSET_SIG, path: "/repo/components/consent-page/index.html" }, ref: { [SIG_KEY]: RESOURCE_SIG, urn: "urn:x", id: "i" }, a: 2 };
    const plain = toPlain(v, new SecretSet([]), opts) as Record<string, unknown>;
    expect(Object.keys(plain)).toEqual(["a", "ref", "source", "z"]);
    expect(plain.source).toEqual({ asset: "file", path: "components/consent-page/index.html" });
    expect(plain.ref).toBe("urn:x");
  });

  test("scrub replaces every occurrence in free text, longest secret first", () => {
    const s = new SecretSet(["abcd", "abcdef"]);
    expect(s.scrub("x abcdef y abcd")).toBe("x [secret] y [secret]");
  });

  // Issue 15: masking by substring search corrupted output and revealed short secrets by position.
  test("a short secret (PFX password `teams`) masks where it is secret, never inside unrelated strings", () => {
    const secrets = new SecretSet(["teams"]);
    const v = {
      name: "pexip-teams-connector", fqdn: "pexip-teamsconn-eu.teams.example.com", ivr: "teams",
      settings: secret({ password: "teams", note: "pexip-teams-vmss", same: "teams" }), pfxPassword: secret("teams"),
    };
    const strays: string[] = [];
    expect(toPlain(v, secrets, { ...opts, strays })).toEqual({
      fqdn: "pexip-teamsconn-eu.teams.example.com", ivr: "teams", name: "pexip-teams-connector", pfxPassword: "[secret]",
      settings: { note: "pexip-teams-vmss", password: "[secret]", same: "[secret]" },
    });
    expect(strays).toEqual([]);
  });

  test("scrub masks a secret standing as a word (quoted, after = or a space, before a full stop), not inside a word", () => {
    const s = new SecretSet(["teams", "s3cr\"et!"]);
    expect(s.scrub('pexip-teams-connector:certificate.password=teams; "teams" teams. eu.teams.example.com teams@example.com /teams/')).toBe(
      'pexip-teams-connector:certificate.password=[secret]; "[secret]" [secret]. eu.teams.example.com teams@example.com /teams/',
    );
    // A secret JSON-escaped in a message is found too; secrets under 4 characters are never searched for.
    expect(s.scrub('value "s3cr\\"et!" here')).toBe('value "[secret]" here');
    expect(new SecretSet(["ab"]).scrub("a ab b")).toBe("a ab b");
  });
});

describe("diff", () => {
  const res = (over: Partial<PlanResource> & { inputs: Record<string, unknown> }): PlanResource => ({
    urn: "urn:pulumi:eu::p::azure-native:network:NetworkSecurityGroup::nsg", type: "azure-native:network:NetworkSecurityGroup", name: "nsg",
    parent: null, protect: false, ignoreChanges: [], dependencies: [], ...over,
  });
  const base = res({ inputs: { networkSecurityGroupName: "a-nsg", resourceGroupName: "rg", location: "westeurope", securityRules: [{ priority: 120, sourceAddressPrefix: "*" }] } });

  test("an input change is an update with its path and values; a name, resource group, location or parent change is a replace", () => {
    const upd = res({ inputs: { ...base.inputs, securityRules: [{ priority: 120, sourceAddressPrefix: "10.0.0.0/24" }] } });
    expect(diffPlans({ resources: [base] }, { resources: [upd] }).changes).toEqual([
      {
        kind: "update", urn: base.urn, type: base.type, name: "nsg", paths: ["securityRules[0].sourceAddressPrefix"], reasons: [],
        leaves: [{ path: "securityRules[0].sourceAddressPrefix", from: "*", to: "10.0.0.0/24" }],
      },
    ]);
    for (const [key, value] of [["networkSecurityGroupName", "b-nsg"], ["resourceGroupName", "rg2"], ["location", "eastus"]]) {
      const d = diffPlans({ resources: [base] }, { resources: [res({ inputs: { ...base.inputs, [key]: value } })] });
      expect(d.changes.map((c) => [c.kind, c.paths, c.leaves])).toEqual([["replace", [`inputs.${key}`], [{ path: key, from: base.inputs[key], to: value }]]]);
    }
    expect(diffPlans({ resources: [base] }, { resources: [{ ...base, parent: "urn:other" }] }).changes[0].paths).toEqual(["parent"]);
  });

  test("create and delete are matched by URN, with counts", () => {
    const other = res({ urn: "urn:pulumi:eu::p::azure-native:network:NetworkSecurityGroup::nsg2", inputs: {} });
    const d = diffPlans({ resources: [base] }, { resources: [other] });
    expect(d.counts).toEqual({ create: 1, update: 0, replace: 0, refused: 0, delete: 1 });
    expect(d.changes.map((c) => `${c.kind} ${c.name}`)).toEqual(["create nsg", "delete nsg"]);
  });

  test("changed paths name nested keys and array indexes (lists of named objects by name); masked leaves compare as masked", () => {
    expect(changedPaths({ a: { b: [1, 2] }, s: "[secret]" }, { a: { b: [1, 3] }, s: "[secret]" })).toEqual(["a.b[1]"]);
    const rules = [{ name: "A", p: 1 }, { name: "B", p: 2 }];
    expect(changedPaths({ r: rules }, { r: [rules[1], rules[0]] })).toEqual([]);
    expect(changedPaths({ r: rules }, { r: [{ name: "B", p: 3 }, rules[0]] })).toEqual(["r[B].p"]);
    expect(changedPaths({ r: rules }, { r: [rules[0]] })).toEqual(["r[B]"]);
    expect(changedPaths({ r: [rules[0]] }, { r: rules })).toEqual(["r[B]"]);
    // A duplicate or missing name falls back to positions.
    expect(changedPaths({ r: [{ name: "A", p: 1 }, { name: "A", p: 2 }] }, { r: [{ name: "A", p: 1 }, { name: "A", p: 3 }] })).toEqual(["r[1].p"]);
    expect(changedPaths({ r: [{ p: 1 }] }, { r: [{ p: 2 }] })).toEqual(["r[0].p"]);
  });
});

describe("arguments", () => {
  test("flags take values separately or with =, --secret repeats", () => {
    expect(parseArgs(["--stack", "eu", "--secret", "a=1", "--secret=b=2", "--format=mermaid"])).toEqual(
      expect.objectContaining({ stack: "eu", secrets: ["a=1", "b=2"], format: "mermaid", help: false }));
  });

  test("usage errors: unknown flag, missing value, bad format, no stack", () => {
    expect(() => parseArgs(["--stack", "eu", "--nope"])).toThrow(new UsageError("unknown option --nope"));
    expect(() => parseArgs(["--stack"])).toThrow("--stack needs a value");
    expect(() => parseArgs(["--stack", "eu", "--format", "svg"])).toThrow('--format must be text or mermaid, got "svg"');
    expect(() => parseArgs([])).toThrow("--stack <name> is required");
  });
});

test("the bench's baseline requires the @pulumi modules the program imports, the SDK among them", () => {
  const mods = pulumiModules();
  expect(mods).toContain("@pulumi/pulumi");
  expect(mods).toContain("@pulumi/azure-native/provider");
  for (const m of mods) expect(m).toMatch(/^@pulumi\/[a-z-]+(\/[a-zA-Z]+)?$/);
  // The product never asks whether it runs under the mocks.
  expect(mods).not.toContain("@pulumi/pulumi/runtime/mocks");
});

describe("API-version aliases (dropped by the plan before the SDK expands them)", () => {
  const SUBNET = "azure-native:network:Subnet";

  test("only a type-only alias to a dated API version of the resource's own package, module and name is one", () => {
    expect(isApiVersionAlias(SUBNET, { type: "azure-native:network/v20240301:Subnet" })).toBe(true);
    expect(isApiVersionAlias(SUBNET, { type: "azure-native:network/v20150501preview:Subnet" })).toBe(true);
    // another type name, module or package: a real rename, kept
    expect(isApiVersionAlias(SUBNET, { type: "azure-native:network/v20240301:VirtualNetwork" })).toBe(false);
    expect(isApiVersionAlias(SUBNET, { type: "azure-native:compute/v20240301:Subnet" })).toBe(false);
    expect(isApiVersionAlias(SUBNET, { type: "azure:network/v20240301:Subnet" })).toBe(false);
    // the unversioned type itself, or an alias with more than a type: declared by the program, kept
    expect(isApiVersionAlias(SUBNET, { type: "azure-native:network:Subnet" })).toBe(false);
    expect(isApiVersionAlias(SUBNET, { type: "azure-native:network/v20240301:Subnet", name: "old" })).toBe(false);
    expect(isApiVersionAlias(SUBNET, { name: "vmss-nsg" })).toBe(false);
    expect(isApiVersionAlias(SUBNET, "urn:pulumi:eu::pexip-teams-connector::azure-native:network:Subnet::old")).toBe(false);
  });

  test("the transformation keeps the program's aliases and every other option; without API-version aliases it changes nothing", () => {
    const declared = { name: "vmss-nsg" };
    const opts = { protect: true, aliases: [{ type: "azure-native:network/v20240301:Subnet" }, declared, { type: "azure-native:network/v20230501:Subnet" }] };
    const props = { subnetName: "connector" };
    const out = dropApiVersionAliases({ type: SUBNET, name: "vnet-subnet", props, opts } as any);
    expect(out).toEqual({ props: { subnetName: "connector" }, opts: { protect: true, aliases: [{ name: "vmss-nsg" }] } });
    expect(out?.opts.aliases?.[0]).toBe(declared);
    expect(dropApiVersionAliases({ type: SUBNET, name: "vnet-subnet", props, opts: { aliases: [declared] } } as any)).toBeUndefined();
    expect(dropApiVersionAliases({ type: SUBNET, name: "vnet-subnet", props, opts: {} } as any)).toBeUndefined();
  });
});

describe("diff and ignoreChanges", () => {
  const vmss = (capacity: number, ignoreChanges: string[]): PlanResource => ({
    urn: "urn:pulumi:eu::p::azure-native:compute:VirtualMachineScaleSet::vmss-vmss", type: "azure-native:compute:VirtualMachineScaleSet", name: "vmss-vmss",
    parent: null, protect: false, ignoreChanges, dependencies: [], inputs: { vmScaleSetName: "s", sku: { name: "Standard_F4s", capacity } },
  });
  test("a capacity change the resource ignores is no update; without ignoreChanges it is", () => {
    expect(diffPlans({ resources: [vmss(3, ["sku.capacity"])] }, { resources: [vmss(5, ["sku.capacity"])] }).changes).toEqual([]);
    expect(diffPlans({ resources: [vmss(3, [])] }, { resources: [vmss(5, [])] }).changes.map((c) => [c.kind, c.paths])).toEqual([["update", ["sku.capacity"]]]);
  });
});

describe("the text plan's layout (tools/commands/render.ts)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fit, markPlaceholders, nsgSection, shortScope, warningKey, WIDTH } = require("../tools/commands/render") as typeof import("../tools/commands/render");

  test("fit cuts at spaces within the width and keeps a long word (a URL) whole", () => {
    expect(fit("a".repeat(60) + " " + "b".repeat(70), "  ")).toEqual(["a".repeat(60), `  ${"b".repeat(70)}`]);
    const url = `https://example.com/${"x".repeat(130)}`;
    expect(fit(`see ${url} now`, "  ")).toEqual(["see", `  ${url}`, "  now"]);
    expect(fit("short", "  ")).toEqual(["short"]);
  });

  test("scopes read as what they are", () => {
    const rg = "/subscriptions/s/resourceGroups/rg";
    expect(shortScope(`${rg}/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/logs`)).toBe("container logs of storage account acct");
    expect(shortScope(`${rg}/providers/Microsoft.KeyVault/vaults/kv1`)).toBe("Key Vault kv1");
    expect(shortScope(rg)).toBe("resource group rg");
    expect(shortScope("/subscriptions/s")).toBe("subscription s");
  });

  test("placeholders: longest first, every occurrence", () => {
    const m = new Map([["abcde", "<x>"], ["abcdefgh", "<long>"]]);
    expect(markPlaceholders("abcdefgh abcde-abcde", m)).toBe("<long> <x>-<x>");
  });

  test("a warning belongs to the longest config key it starts with", () => {
    expect(warningKey("warning: certificate.selfSigned is true: x", ["certificate", "cert"], "pexip-teams-connector")).toBe("certificate");
    expect(warningKey("warning: pexip-teams-connector:vmSize Standard_F4s: x", ["vmSize"], "pexip-teams-connector")).toBe("vmSize");
    expect(warningKey("warning: something else", ["vmSize"], "pexip-teams-connector")).toBeUndefined();
  });

  test("an NSG rule with many source prefixes puts one per line instead of running past the width", () => {
    const prefixes = Array.from({ length: 12 }, (_, i) => `198.51.100.${i * 16}/28`);
    const nsg = { urn: "u", type: "azure-native:network:NetworkSecurityGroup", name: "n", parent: null, protect: false, ignoreChanges: [], dependencies: [],
      inputs: { networkSecurityGroupName: "pexipeu-nsg", securityRules: [{ name: "MCU-media", priority: 130, direction: "Inbound", access: "Allow", protocol: "Udp", sourceAddressPrefixes: prefixes, destinationPortRange: "50000-54999", destinationAddressPrefix: "*" }] } };
    const lines = nsgSection([nsg]);
    expect(lines.filter((l) => l.length > WIDTH)).toEqual([]);
    expect(lines.filter((l) => l.includes("198.51.100."))).toHaveLength(12);
  });
});
