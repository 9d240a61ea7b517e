/**
 * Every rule of shared/spec/config.md: one failing value and the boundary that passes, as plain functions (no mocks).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { prefixProblem } from "../components/addresses";
import { activeHoursSpan, ConfigSource, EncryptedValue, loadConfig, LoadResult, PROJECT } from "../components/config";
import { SUPPORTED_REGIONS } from "../components/regions";
import { NOW } from "./fixtures/clock";
import { plainSource, ROOT, stackSource } from "./harness";

const OFFLINE = { stack: "test", projectDir: ROOT, offline: true, now: NOW };

/** A minimal valid stack; cases change one key. */
function base(): Record<string, unknown> {
  return {
    baseName: "pexip",
    regionCode: "eu",
    connectorFqdn: "pexip-teamsconn-eu.teams.example.com",
    nodeFqdns: ["pxedge.vc.example.com"],
    "azure-native:subscriptionId": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "azure-native:location": "westeurope",
    certificate: { selfSigned: true },
    customerUsageAttribution: false,
    connectorVersion: "26.2",
  };
}

function load(values: Record<string, unknown>, secret: string[] = [], opts = OFFLINE): LoadResult {
  return loadConfig(plainSource(values, secret), opts);
}

function errorsFor(values: Record<string, unknown>, secret: string[] = []): string[] {
  return load(values, secret).errors.map((e) => `${e.key} = ${e.value}: ${e.rule}`);
}

/** The config with one key changed (undefined removes it). */
function withKey(key: string, value: unknown): Record<string, unknown> {
  const v = base();
  if (value === undefined) delete v[key];
  else v[key] = value;
  return v;
}

describe("hostile and malformed values", () => {
  test.each(["regionCode", "baseName", "connectorFqdn", "azure-native:location", "nodeFqdns"])("an encrypted (secure:) %s is an error naming the key, not undefined names", (key) => {
    const r = load(withKey(key, new EncryptedValue()), [key]);
    expect(r.config).toBeUndefined();
    expect(r.errors.map((e) => [e.key, e.value])).toEqual([[key.includes(":") ? key : `${PROJECT}:${key}`, "[secret]"]]);
    expect(r.errors[0].rule).toMatch(/is encrypted \(secure:\) in the stack file, but it is not a secret/);
  });

  test("an azuread: stack key is an error: the program's explicit azuread provider would ignore it", () => {
    expect(errorsFor({ ...base(), "azuread:tenantId": "11111111-2222-3333-4444-555555555555" })).toEqual([
      'azuread:tenantId = "": is not read: the program\'s own azuread provider takes no stack keys; set its credentials as ARM_* environment variables (docs/upgrading.md), and remove this key',
    ]);
  });

  test("as pulumi up passes them (plain value, secret flag): a secret non-secret key is an error, masked; secret keys and keys with secret fields are not", () => {
    expect(errorsFor({ ...base(), tags: { CostCenter: "Video-7731" } }, ["tags"])).toEqual([
      `${PROJECT}:tags = [secret]: is stored as a secret, but it is not one: the program writes it to Azure and the state in plain text (names, tags, settings); set it in plaintext`,
    ]);
    expect(errorsFor({ ...base(), usageAttributionId: "0b6b5c5e-1f3a-4a55-9c7e-2d1e4f6a8b9c", customerUsageAttribution: true }, ["usageAttributionId"])).toEqual([
      `${PROJECT}:usageAttributionId = [secret]: is stored as a secret, but it is not one: the program writes it to Azure and the state in plain text (names, tags, settings); set it in plaintext`,
    ]);
    expect(errorsFor({ ...base(), adminPassword: "Str0ng-Passw0rd!x" }, ["adminPassword"])).toEqual([]);
    // `pulumi config set --secret --path infinity.password` makes the whole key secret: allowed where a field is secret.
    expect(load({ ...base(), certificate: { selfSigned: true } }, ["certificate"]).errors).toEqual([]);
  });

  test("an encrypted field of an object key is an error too; an encrypted secret field is not", () => {
    expect(errorsFor({ ...base(), dialInstructions: { nodeAddress: new EncryptedValue(), ivr: "teams", domain: "example.com" } })).toEqual([
      `${PROJECT}:dialInstructions.nodeAddress = [secret]: is encrypted (secure:) in the stack file, but it is not a secret: the program needs its value to name and configure resources; set it in plaintext`,
    ]);
  });

  test.each(["__proto__", "constructor", "prototype"])("a %s key inside an object is refused and pollutes nothing", (bad) => {
    const tags = JSON.parse(`{"${bad}": {"polluted": "yes"}, "ok": "v"}`);
    const errors = errorsFor({ ...base(), tags });
    expect(errors).toEqual([`${PROJECT}:tags.${bad} = "": is not allowed as a key (it would reach the object's prototype)`]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("a huge value is echoed cut, never whole", () => {
    const huge = "x".repeat(5_000_000);
    const errors = errorsFor(withKey("regionCode", huge));
    expect(errors.join("").length).toBeLessThan(400);
    expect(errors[0]).toContain("…(5000002 chars)");
  });

  test("certificate.pfxFile that is a device or a huge file is refused without reading it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pfx-"));
    const big = path.join(dir, "big.pfx");
    fs.writeFileSync(big, Buffer.alloc(2 * 1024 * 1024));
    const pfx = (pfxFile: string) => loadConfig({
      get: (k) => (k === `${PROJECT}:certificate` ? { value: { pfxFile, password: "pw" }, secret: true, secretPaths: ["password"] } : plainSource(base()).get(k)),
      projectKeys: () => plainSource(base()).projectKeys(),
    }, OFFLINE).errors.map((e) => e.rule);
    const t0 = process.hrtime.bigint();
    expect(pfx("/dev/zero")).toEqual(["must be a regular file (/dev/zero is not)"]);
    expect(pfx(big)).toEqual(["is 2097152 bytes; a PFX is kilobytes (at most 1024 KiB)"]);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(1000);
  });
});

describe("appPasswordRotation against the one clock", () => {
  test("a date label whose two-year password has expired at NOW is an error naming the key; close to expiry warns", () => {
    expect(errorsFor(withKey("appPasswordRotation", "2024-06"))).toEqual([
      'pexip-teams-connector:appPasswordRotation = "2024-06": the application password\'s end date 2026-06-01T00:00:00Z is in the past: set appPasswordRotation to this month (e.g. 2026-12) to issue a new one',
    ]);
    expect(load(withKey("appPasswordRotation", "2025-01")).warnings).toContainEqual(expect.stringMatching(/expires on 2027-01-01T00:00:00Z \(in 31 days\).*\(appPasswordRotation\)\.$/));
    expect(errorsFor(withKey("appPasswordRotation", "2026-02-30"))[0]).toMatch(/appPasswordRotation = "2026-02-30": starts like a date but is not one/);
    expect(errorsFor({ ...base(), appPasswordRotation: "2026-11", appPasswordPrevious: "2026-02-30" })).toEqual([
      'pexip-teams-connector:appPasswordPrevious = "2026-02-30": starts like a date but is not one (use YYYY-MM or YYYY-MM-DD)',
    ]);
  });
  test("the verdict moves with the injected now, not the wall clock", () => {
    const later = { ...OFFLINE, now: new Date(Date.UTC(2028, 10, 2)) };
    expect(load(withKey("appPasswordRotation", "2026-11"), [], later).errors.map((e) => e.key)).toEqual(["pexip-teams-connector:appPasswordRotation"]);
    expect(load(withKey("appPasswordRotation", "2026-11")).errors).toEqual([]);
  });
  test("a stack that reads the app from appStack does not judge a label it does not issue", () => {
    expect(errorsFor({ ...withKey("appPasswordRotation", "2020-01"), appStack: "organization/pexip-teams-connector/eu" })).toEqual([]);
  });
});

describe("the shipped stacks", () => {
  test.each(["eu", "us"])("Pulumi.%s.yaml validates with no errors", (stack) => {
    const r = loadConfig(stackSource(stack).source, OFFLINE);
    expect(r.errors).toEqual([]);
    expect(r.config?.names.staticResourceGroup).toBe(`pexip-TeamsConn-${stack}-static-RG`);
  });

  test("the base case of this file is valid and gets the documented defaults", () => {
    const r = load(base());
    expect(r.errors).toEqual([]);
    const c = r.config!;
    expect(c.adminUsername).toBe("pexadmin");
    expect(c.instanceCount).toBe(3);
    expect(c.incidentReporting).toBe(true);
    expect(c.windowsUpdate).toEqual({ installDay: 1, installHour: 22, activeHoursStart: 6, activeHoursEnd: 22 });
    expect(c.vmSize).toBe("Standard_F4s");
    expect(c.enhancedStatus).toBe(true);
    expect(c.appStack).toBe("");
    expect(c.protectStaticResources).toBe(true);
    expect(c.botName).toBe("pexipTeamsBot");
    expect(c.appPasswordRotation).toBe("1");
    expect(c.consentSiteEnabled).toBe(true);
    expect(c.managementSourcePrefixes).toEqual([]);
    expect(c.tags).toEqual({});
    expect(c.adminPassword).toBeUndefined();
  });
});

// [key, failing value, expected rule fragment, passing boundary value]
const cases: [string, unknown, string, unknown][] = [
  ["baseName", "Pexip", "^[a-z][a-z0-9]{0,8}$", "p"],
  ["baseName", "1pexip", "^[a-z][a-z0-9]{0,8}$", "p1"],
  ["baseName", "abcdefghij", "^[a-z][a-z0-9]{0,8}$", "abcdefghi"],
  ["baseName", "pex-ip", "^[a-z][a-z0-9]{0,8}$", "pexip"],
  ["baseName", undefined, "is required", "pexip"],
  ["regionCode", "e-u", "^[a-z0-9]+$", "eu"],
  ["regionCode", "EU", "^[a-z0-9]+$", "eu1"],
  ["regionCode", undefined, "is required", "eu"],
  ["connectorFqdn", "Pexip.Example.com", "lower-case FQDN", "a.example.com"],
  ["connectorFqdn", "localhost", "at least two labels", "a.b"],
  ["connectorFqdn", "-bad.example.com", "RFC 1123", "a-b.example.com"],
  ["connectorFqdn", `${"a".repeat(64)}.example.com`, "1-63 chars", `${"a".repeat(63)}.example.com`],
  ["nodeFqdns", ["*.vc.example.com"], "wildcards", ["pxedge.vc.example.com"]],
  ["nodeFqdns", ["not a name"], "valid FQDN", "a.example.com,b.example.com"],
  ["nodeFqdns", [], "is required", ["a.example.com"]],
  ["azure-native:subscriptionId", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeee", "GUID", "00000000-0000-0000-0000-000000000000"],
  ["azure-native:location", "westindia", "Fs-series", "southafricanorth"],
  ["azure-native:location", "West Europe", "Fs-series", "westeurope"],
  ["adminUsername", "Administrator", "disallows", "pexadmin"],
  ["adminUsername", "support_388945a0", "disallows", "support1"],
  ["adminUsername", "a".repeat(21), "1-20 characters", "a".repeat(20)],
  ["adminUsername", "pexadmin.", 'must not end in "."', "pex.admin"],
  ["adminUsername", "pex admin", "must not contain spaces", "pex_admin"],
  ["instanceCount", 0, "1 to 100", 1],
  ["instanceCount", 101, "1 to 100", 100],
  ["instanceCount", "3.5", "1 to 100", "3"],
  ["incidentReporting", "yes", "true or false", "false"],
  ["managementSourcePrefixes", ["91.90.42.96/26"], "host bits", ["91.90.42.64/26"]],
  ["managementSourcePrefixes", ["300.1.1.1"], "IPv4 address or CIDR", ["255.1.1.1"]],
  ["managementSourcePrefixes", ["10.0.0.0/33"], "0-32", ["10.0.0.0/32"]],
  ["nodeSourcePrefixes", ["198.51.100.1/24"], "host bits", ["198.51.100.0/24", "203.0.113.7"]],
  ["nodeSourcePrefixes", ["2001:db8::/32"], "IPv4 address or CIDR", ["0.0.0.0/0"]],
  ["consentSourcePrefixes", ["x.x.x.x"], "IPv4 address or CIDR", ["203.0.113.0/28"]],
  ["customerUsageAttribution", undefined, "must be set explicitly", false],
  ["customerUsageAttribution", "maybe", "true or false", "false"],
  ["usageAttributionId", "not-a-guid", "GUID", "11111111-2222-3333-4444-555555555555"],
  ["connectorVersion", undefined, "is required", "26"],
  ["connectorVersion", "v26.2", "starts with a digit", "26.2.1"],
  ["vmSize", "F4s", "Azure VM size", "Standard_F8s_v2"],
  ["vmImage", { publisher: "MicrosoftWindowsServer", offer: "WindowsServer" }, "needs sku, version", { publisher: "p", offer: "o", sku: "s", version: "1.0.0" }],
  ["vmImage", "/not/a/gallery", "gallery image ID", "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0"],
  ["appStack", "eu", "<organization>/<project>/<stack>", "organization/pexip-teams-connector/eu"],
  ["botName", "-bot", "2-64 characters", "b1"],
  ["botName", "a".repeat(65), "2-64 characters", "a".repeat(64)],
  ["expectedConcurrentCalls", 0, "1 to 100000", 1],
  ["nodeSignallingPorts", "80-90", "1024-65535", "1024-65535"],
  ["nodeMediaPorts", "50000-40000", "1024-65535", "40000-49999"],
  ["certificate", undefined, "one of certificate.pfxFile", { selfSigned: true }],
  ["certificate", { selfSigned: false }, "one of certificate.pfxFile", { selfSigned: "true" }],
  ["tags", { "a/b": "x" }, "must not contain", { "a-b": "x" }],
  ["tags", { k: "v".repeat(257) }, "at most 256", { k: "v".repeat(256) }],
  ["tags", { ["n".repeat(129)]: "v" }, "at most 128 characters (StorageAccount)", { ["n".repeat(128)]: "v" }],
  ["dialInstructions", { nodeAddress: "px.vc.example.com", ivr: "teams@example.com", domain: "example.com" }, "name part", { nodeAddress: "px.vc.example.com", ivr: "teams", domain: "example.com" }],
  ["dialInstructions", { nodeAddress: "px.vc.example.com", ivr: "teams", domain: "example.com", ip: "198.51.100.40,198.51.100.41" }, "one IPv4 address", { nodeAddress: "198.51.100.40", ivr: "teams", domain: "example.com", ip: "198.51.100.40" }],
  ["dialInstructions", { nodeAddress: "px.vc.example.com", ivr: "teams", domain: "example.com", test: "test_call@example.com" }, "name part", { nodeAddress: "px.vc.example.com", ivr: "teams", domain: "example.com", test: "test_call", prefix: "teams.", browser: true }],
  ["dialInstructions", { ivr: "teams", domain: "example.com" }, "is required", { nodeAddress: "198.51.100.40", ivr: "teams", domain: "example.com" }],
  ["dnsZone", { resourceGroup: "dns-rg", name: "other.com" }, "parent zone of connectorFqdn", { resourceGroup: "dns-rg", name: "teams.example.com" }],
  ["existingStatic", { keyVaultName: "1kv" }, "Key Vault name", { keyVaultName: "kv1", publicIpName: "pexip-eu-pip", storageAccountName: "pexipeulogs", eventHubNamespace: "pexip-eu-evh" }],
  ["existingStatic", { storageAccountName: "Has-Dash" }, "storage account name", { storageAccountName: "abc" }],
  ["installer", { entryPoint: "../evil.ps1" }, "relative path", { entryPoint: "scripts/install.ps1", parameters: { Fqdn: "x" } }],
  ["installer", { parameters: { Fqdn: "{{nosuch}}" } }, "references an unknown value; use one of {{connectorFqdn}}", { parameters: { Fqdn: "{{connectorFqdn}}" } }],
  // A native installer would get the app password on its command line: refused unless the secret parameters are dropped.
  ["installer", { entryPoint: "setup/Install.exe" }, "a .exe or .cmd installer takes its arguments on a command line, where AppPassword and EventHubConnectionString would be visible to every process", { entryPoint: "setup/Install.exe", parameters: { AppPassword: "", EventHubConnectionString: "" } }],
  ["baseNmae", "pexip", "is not a key of this project", undefined],
];

describe.each(cases)("%s", (key, bad, rule, good) => {
  test(`${JSON.stringify(bad)?.slice(0, 40)} is an error naming the key and the rule`, () => {
    const errors = load(withKey(key, bad)).errors;
    const mine = errors.filter((e) => e.key === (key.includes(":") ? key : `${PROJECT}:${key}`) || e.key.startsWith(`${PROJECT}:${key}.`));
    expect(mine.map((e) => e.rule).join(" | ")).toContain(rule);
  });
  test(`${JSON.stringify(good)?.slice(0, 40)} passes`, () => {
    expect(errorsFor(withKey(key, good))).toEqual([]);
  });
});

describe("cross-key rules", () => {
  test("baseName + regionCode must be 3-14 characters", () => {
    expect(errorsFor({ ...base(), baseName: "ab", regionCode: "c" })).toEqual([]);
    expect(errorsFor({ ...base(), baseName: "a", regionCode: "b" }).join()).toContain("3-14 characters combined (is 2)");
    expect(errorsFor({ ...base(), baseName: "abcdefghi", regionCode: "abcde" })).toEqual([]);
    expect(errorsFor({ ...base(), baseName: "abcdefghi", regionCode: "abcdef" }).join()).toContain("(is 15)");
  });

  test("regionCode outside 2-4 characters is a warning, not an error", () => {
    const r = load({ ...base(), regionCode: "europe" });
    expect(r.errors).toEqual([]);
    expect(r.warnings.join()).toContain('"europe" is 6 characters; 2-4 are recommended');
    expect(load({ ...base(), regionCode: "euro" }).warnings.join()).not.toContain("recommended");
  });

  test("active hours may span at most 18 hours, modulo 24", () => {
    const wu = (s: number, e: number) => ({ ...base(), windowsUpdate: { activeHoursStart: s, activeHoursEnd: e } });
    expect(errorsFor(wu(6, 0))).toEqual([]); // 18 hours
    expect(errorsFor(wu(6, 1)).join()).toContain("span 19 hours; at most 18");
    expect(errorsFor(wu(20, 14))).toEqual([]); // 18 hours across midnight
    expect(errorsFor(wu(20, 15)).join()).toContain("span 19 hours");
    expect(activeHoursSpan(22, 6)).toBe(8);
  });

  test("windowsUpdate ranges", () => {
    const wu = (k: string, v: number) => ({ ...base(), windowsUpdate: { [k]: v } });
    expect(errorsFor(wu("installDay", 8)).join()).toContain("windowsUpdate.installDay = 8: must be a whole number from 0 to 7");
    expect(errorsFor(wu("installDay", 0))).toEqual([]);
    expect(errorsFor(wu("installHour", 24)).join()).toContain("0 to 23");
    expect(errorsFor(wu("installHour", 23))).toEqual([]);
    expect(errorsFor(wu("activeHoursStart", -1)).join()).toContain("0 to 23");
    expect(errorsFor(wu("nope", 1)).join()).toContain("is not a windowsUpdate key");
  });

  test("customerUsageAttribution true requires usageAttributionId; false sends none", () => {
    expect(errorsFor({ ...base(), customerUsageAttribution: true }).join()).toContain("usageAttributionId = (unset): is required when customerUsageAttribution is true");
    const on = load({ ...base(), customerUsageAttribution: true, usageAttributionId: "11111111-2222-3333-4444-555555555555" });
    expect(on.config?.usageAttributionId).toBe("11111111-2222-3333-4444-555555555555");
    const off = load({ ...base(), customerUsageAttribution: false, usageAttributionId: "11111111-2222-3333-4444-555555555555" });
    expect(off.config?.usageAttributionId).toBeUndefined();
  });

  test("more than 50 tags is an error", () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"]));
    expect(errorsFor({ ...base(), tags }).join()).toContain("at most 50 tags");
    delete tags.t50;
    expect(errorsFor({ ...base(), tags })).toEqual([]);
  });

  test("instanceCount below what expectedConcurrentCalls needs is a warning", () => {
    expect(load({ ...base(), instanceCount: 3, expectedConcurrentCalls: 46 }).warnings.join()).toContain("below the 4 instances that 46 concurrent calls need (about 15 calls each)");
    expect(load({ ...base(), instanceCount: 3, expectedConcurrentCalls: 45 }).warnings.join()).not.toContain("concurrent calls need");
  });

  test("RDP wider than a /24 and a public consent page are warnings", () => {
    const r = load({ ...base(), managementSourcePrefixes: ["198.51.0.0/16"] });
    expect(r.errors).toEqual([]);
    expect(r.warnings.join()).toContain("RDP is allowed from 198.51.0.0/16, wider than a /24");
    expect(r.warnings.join()).toContain("admin-consent page is public");
    expect(load({ ...base(), managementSourcePrefixes: ["198.51.100.0/24"], consentSourcePrefixes: ["198.51.100.0/24"] }).warnings.join()).not.toMatch(/wider|public/);
  });

  test("a self-signed certificate is a warning", () => {
    expect(load(base()).warnings.join()).toContain("will not trust this certificate");
  });

  test("certificate sources are exclusive", () => {
    expect(errorsFor({ ...base(), certificate: { selfSigned: true, pfxFile: "x.pfx" } }).join()).toContain("set only one of");
  });

  test("a missing PFX file is an error naming the path (the password stays masked)", () => {
    const plain = plainSource(base());
    const src: ConfigSource = {
      get: (k) => (k === `${PROJECT}:certificate` ? { value: { pfxFile: "missing.pfx", password: "pw-123456" }, secret: true, secretPaths: ["password"] } : plain.get(k)),
      projectKeys: () => plain.projectKeys(),
    };
    const r = loadConfig(src, OFFLINE);
    expect(r.errors.map((e) => `${e.key} = ${e.value}`)).toEqual([`${PROJECT}:certificate.pfxFile = "missing.pfx"`]);
    expect(r.errors[0].rule).toContain("must be a readable file");
    expect(JSON.stringify(r)).not.toContain("pw-123456");
  });

  test("connectorPackage is required for a real deployment but not offline", () => {
    expect(errorsFor(base())).toEqual([]);
    const online = loadConfig(plainSource(base()), { ...OFFLINE, offline: false });
    expect(online.errors.map((e) => e.key)).toEqual([`${PROJECT}:connectorPackage`]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pkg-"));
    fs.writeFileSync(path.join(dir, "connector.zip"), "PK");
    const withPkg = loadConfig(plainSource({ ...base(), connectorPackage: "connector.zip" }), { ...OFFLINE, offline: false, projectDir: dir });
    expect(withPkg.errors).toEqual([]);
    expect(withPkg.config?.connectorPackage).toBe(path.join(dir, "connector.zip"));
    expect(errorsFor({ ...base(), connectorPackage: "connector.tar" }).join()).toContain("must be the Teams Connector ZIP");
  });

  test("every supported region is accepted and carries its zone flag", () => {
    for (const r of SUPPORTED_REGIONS) {
      const res = load({ ...base(), "azure-native:location": r.name });
      expect(res.errors).toEqual([]);
      expect(res.config?.region.zones).toBe(r.zones);
    }
  });
});

describe("secrets", () => {
  const good = "Pexip-Conn3ctor!";

  test.each([
    ["short1A!", true],
    ["Sh0rt!x", false],
    ["a".repeat(120) + "B1!", true],
    ["a".repeat(121) + "B1!", false],
    ["alllowercase1", false],
    ["Lower1Upper", true],
    ["lower!upper", false],
    ["P@ssw0rd", false],
    ["Password1", false],
  ])("adminPassword %s valid=%s", (pw, valid) => {
    const errors = load({ ...base(), adminPassword: pw }, ["adminPassword"]).errors;
    expect(errors.length === 0).toBe(valid);
  });

  test("a plaintext admin password is an error, and its value is never printed", () => {
    const r = load({ ...base(), adminPassword: good });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].rule).toContain("must be stored as a secret");
    expect(JSON.stringify(r)).not.toContain(good);
  });

  test("a bad secret password is reported masked", () => {
    const r = load({ ...base(), adminPassword: "P@ssw0rd" }, ["adminPassword"]);
    expect(r.errors.map((e) => [e.key, e.value])).toEqual([[`${PROJECT}:adminPassword`, "[secret]"]]);
    expect(JSON.stringify(r.errors)).not.toContain("P@ssw0rd");
  });

  test("an encrypted value counts as set and its rules are skipped with a notice", () => {
    const r = load({ ...base(), adminPassword: new EncryptedValue() }, ["adminPassword"]);
    expect(r.errors).toEqual([]);
    expect(r.notices.join()).toContain("adminPassword is encrypted in the stack file");
  });

  test("a plaintext PFX password in the stack file is an error", () => {
    const src: ConfigSource = {
      get: (k) => (k === `${PROJECT}:certificate` ? { value: { pfxFile: "x.pfx", password: "hunter2hunter2" }, secret: false, secretPaths: [] } : plainSource(base()).get(k)),
      projectKeys: () => plainSource(base()).projectKeys(),
    };
    const r = loadConfig(src, OFFLINE);
    expect(r.errors.map((e) => e.key)).toContain(`${PROJECT}:certificate.password`);
    expect(JSON.stringify(r.errors)).not.toContain("hunter2hunter2");
  });

  test("the validated password is a secret Output", async () => {
    const r = load({ ...base(), adminPassword: good }, ["adminPassword"]);
    const out = r.config!.adminPassword!;
    expect(await (out as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
  });
});

test("five broken rules are reported together, nothing else", () => {
  const r = load({
    ...base(),
    baseName: "Bad_Name",
    instanceCount: 0,
    managementSourcePrefixes: ["91.90.42.96/26"],
    "azure-native:location": "mars",
    customerUsageAttribution: undefined,
  });
  expect(r.config).toBeUndefined();
  expect(r.errors.map((e) => e.key).sort()).toEqual([
    "azure-native:location",
    `${PROJECT}:baseName`,
    `${PROJECT}:customerUsageAttribution`,
    `${PROJECT}:instanceCount`,
    `${PROJECT}:managementSourcePrefixes`,
  ]);
});

test("prefixProblem suggests the network address", () => {
  expect(prefixProblem("91.90.42.96/26")).toContain("did you mean 91.90.42.64/26?");
  expect(prefixProblem("91.90.42.64/26")).toBeUndefined();
  expect(prefixProblem("0.0.0.0/0")).toBeUndefined();
  expect(prefixProblem("1.2.3.4/0")).toContain("did you mean 0.0.0.0/0?");
});

describe("capacityManagedBy", () => {
  test("defaults to pulumi; infinity is accepted with the Event Hub and refused without it", () => {
    expect(load(base()).config?.capacityManagedBy).toBe("pulumi");
    expect(load({ ...base(), capacityManagedBy: "infinity" }).config?.capacityManagedBy).toBe("infinity");
    expect(errorsFor({ ...base(), capacityManagedBy: "infinity", enhancedStatus: false })).toEqual([
      `${PROJECT}:capacityManagedBy = "infinity": infinity needs enhancedStatus: true (Pexip Infinity manages the instance count through the Event Hub)`,
    ]);
    expect(errorsFor({ ...base(), capacityManagedBy: "azure" })).toEqual([`${PROJECT}:capacityManagedBy = "azure": must be pulumi or infinity`]);
  });
});

describe("appPasswordPrevious", () => {
  test("names the password being retired: differs from the current label, only in the stack that owns the app", () => {
    expect(load({ ...base(), appPasswordRotation: "2026-11", appPasswordPrevious: "2026-05" }).config?.appPasswordPrevious).toBe("2026-05");
    expect(errorsFor({ ...base(), appPasswordRotation: "2026-11", appPasswordPrevious: "2026-11" })).toEqual([
      `${PROJECT}:appPasswordPrevious = "2026-11": must differ from appPasswordRotation (it names the password being retired)`,
    ]);
    expect(errorsFor({ ...base(), appStack: "organization/pexip-teams-connector/eu", appPasswordPrevious: "2026-05" })).toEqual([
      `${PROJECT}:appPasswordPrevious = "2026-05": only the stack that owns the app (no appStack) issues passwords; remove it here`,
    ]);
  });
  test("an expired previous password is a warning to retire it, not an error", () => {
    const r = load({ ...base(), appPasswordRotation: "2026-11", appPasswordPrevious: "2024-01" });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toContain("the previous application password (2024-01) has expired: retire it by removing appPasswordPrevious.");
  });
});

describe("managementSourcePrefixes that add up to the internet", () => {
  test.each([
    [["0.0.0.0/1", "128.0.0.0/1"]],
    [["0.0.0.0/0"]],
    [["1.0.0.0/8", "2.0.0.0/8"]],
  ])("%j is refused at config time, as the mandatory policy would", (prefixes) => {
    const errors = load({ ...base(), managementSourcePrefixes: prefixes }).errors;
    expect(errors.map((e) => e.key)).toEqual([`${PROJECT}:managementSourcePrefixes`]);
    expect(errors[0].rule).toMatch(/RDP would be open to the internet/);
  });
  test("a management /24 passes", () => {
    expect(errorsFor({ ...base(), managementSourcePrefixes: ["198.51.100.0/24", "203.0.113.0/28"] })).toEqual([]);
  });
});
