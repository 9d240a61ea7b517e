/**
 * The in-process runner: it must hand validators what the SDK's analyzer server would (config with schema
 * defaults, enforcement levels, notApplicable), read secrets the way plan files and stack exports carry them,
 * surface failures, and sort its answer deterministically.
 */
import { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { runConfigFromPulumiConfig, runConfigFromStack, toPackConfig } from "../policy/packConfig";
import { markSecrets, PolicyResource, runPolicies, runPolicySet, sortViolations, Violation } from "../policy/runner";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

describe("markSecrets", () => {
  test("a stack export's ciphertext becomes the plan's mask", () => {
    expect(markSecrets({ a: { [SIG]: SECRET_SIG, ciphertext: "v1:abc" }, b: "plain" })).toEqual({ a: "[secret]", b: "plain" });
  });
  test("a revealed secret object (--show-secrets plaintext) keeps its structure, secret-bearing leaves masked", () => {
    const profile = { osProfile: { adminUsername: "pexadmin", adminPassword: "hunter2!Hunter2" }, securityProfile: { encryptionAtHost: true } };
    expect(markSecrets({ virtualMachineProfile: { [SIG]: SECRET_SIG, plaintext: JSON.stringify(profile) } })).toEqual({
      virtualMachineProfile: { osProfile: { adminUsername: "pexadmin", adminPassword: "[secret]" }, securityProfile: { encryptionAtHost: true } },
    });
  });
  test("the SDK's wire form ({sig, value}) is read the same way; a secret scalar is masked", () => {
    expect(markSecrets({ p: { [SIG]: SECRET_SIG, value: { protectedSettings: { key: "k" }, name: "ext" } }, s: { [SIG]: SECRET_SIG, value: "x" } })).toEqual({
      p: { protectedSettings: { key: "[secret]" }, name: "ext" },
      s: "[secret]",
    });
  });
  test("outside a secret, fields named like secrets are left alone (the plan already masked what was secret)", () => {
    expect(markSecrets({ osProfile: { adminPassword: "plain" } })).toEqual({ osProfile: { adminPassword: "plain" } });
  });
});

const probe = (seen: unknown[]): ResourceValidationPolicy => ({
  name: "probe-policy",
  description: "records what it is given",
  configSchema: { properties: { limit: { type: "integer", default: 3 }, names: { type: "array", default: ["a"] } } },
  validateResource: (args, report) => {
    seen.push({ type: args.type, name: args.name, urn: args.urn, config: args.getConfig(), props: args.props, opts: args.opts });
    report("seen");
  },
});

const nsg = (name: string, urn?: string | null): PolicyResource => ({
  type: "azure-native:network:NetworkSecurityGroup", name, urn,
  inputs: { securityRules: [{ name: "RDP", direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "*", destinationPortRange: "3389" }] },
});

describe("argument objects", () => {
  test("validators get type, name, urn, props and the configSchema defaults, advisory by default", async () => {
    const seen: unknown[] = [];
    const run = await runPolicySet([probe(seen)], [{ type: "t:m:R", name: "r1", urn: "urn:x::r1", inputs: { a: 1 } }]);
    expect(seen).toEqual([{
      type: "t:m:R", name: "r1", urn: "urn:x::r1", config: { limit: 3, names: ["a"] }, props: { a: 1 },
      opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    }]);
    expect(run.violations).toEqual([{ policy: "probe-policy", enforcementLevel: "advisory", urn: "urn:x::r1", name: "r1", type: "t:m:R", message: "seen" }]);
  });

  test("policyConfig overrides schema defaults and the enforcement level", async () => {
    const seen: { config: unknown }[] = [];
    const run = await runPolicySet([probe(seen)], [{ type: "t:m:R", name: "r1", inputs: {} }], { policyConfig: { "probe-policy": { enforcementLevel: "mandatory", limit: 9 } } });
    expect(seen[0].config).toEqual({ limit: 9, names: ["a"] });
    expect(run.violations[0].enforcementLevel).toBe("mandatory");
  });

  test("a disabled policy does not run; remediate reports as mandatory (as the SDK's server does)", async () => {
    const seen: unknown[] = [];
    expect((await runPolicySet([probe(seen)], [nsg("a")], { policyConfig: { "probe-policy": "disabled" } })).violations).toEqual([]);
    expect(seen).toEqual([]);
    expect((await runPolicySet([probe(seen)], [nsg("a")], { policyConfig: { "probe-policy": "remediate" } })).violations[0].enforcementLevel).toBe("mandatory");
  });

  test("props are a copy per validation: one policy cannot change what the next one sees", async () => {
    const mutate: ResourceValidationPolicy = { name: "mutate", description: "d", validateResource: (args) => { args.props.a = 2; } };
    const seen: { props: unknown }[] = [];
    await runPolicySet([mutate, probe(seen)], [{ type: "t:m:R", name: "r", inputs: { a: 1 } }]);
    expect(seen[0].props).toEqual({ a: 1 });
  });

  test("a validator that throws fails the run, naming the policy and the resource", async () => {
    const broken: ResourceValidationPolicy = { name: "broken", description: "d", validateResource: () => { throw new Error("boom"); } };
    await expect(runPolicySet([broken], [{ type: "t:m:R", name: "r", urn: "urn:x::r", inputs: {} }])).rejects.toThrow('policy "broken" failed on t:m:R "r" (urn:x::r): boom');
  });

  test("a stack policy reports against a resource by URN; resources without one keep a null urn and their name", async () => {
    const stackPolicy: StackValidationPolicy = {
      name: "stack-probe", description: "d", enforcementLevel: "mandatory",
      validateStack: (args, report) => {
        for (const r of args.resources) report(`saw ${r.name}`, r.urn);
        report("the stack as a whole");
      },
    };
    const run = await runPolicySet([stackPolicy], [nsg("with-urn", "urn:x::with-urn"), nsg("#1")]);
    expect(run.violations).toEqual([
      { policy: "stack-probe", enforcementLevel: "mandatory", urn: null, name: "#1", type: "azure-native:network:NetworkSecurityGroup", message: "saw #1" },
      { policy: "stack-probe", enforcementLevel: "mandatory", urn: null, name: "(stack)", type: "pulumi:pulumi:Stack", message: "the stack as a whole" },
      { policy: "stack-probe", enforcementLevel: "mandatory", urn: "urn:x::with-urn", name: "with-urn", type: "azure-native:network:NetworkSecurityGroup", message: "saw with-urn" },
    ]);
  });
});

describe("dependencies (stack policies)", () => {
  /** Each resource's dependencies and propertyDependencies as the validator sees them, by name. */
  const seenBy = (seen: Record<string, unknown>[]): StackValidationPolicy => ({
    name: "deps-probe", description: "d",
    validateStack: (args) => {
      for (const r of args.resources) {
        seen.push({
          name: r.name,
          dependencies: r.dependencies.map((d) => d.name),
          propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, ds]) => [k, ds.map((d) => d.name)])),
          // The objects are the ones in args.resources, as the SDK's server links them.
          linked: r.dependencies.every((d) => args.resources.includes(d)),
        });
      }
    },
  });

  test("URNs become the resource objects, as the SDK's server builds them; a URN outside the resources is left out", async () => {
    const seen: Record<string, unknown>[] = [];
    await runPolicySet([seenBy(seen)], [
      { type: "t:m:Id", name: "id", urn: "urn:x::id", inputs: {} },
      { type: "t:m:Grant", name: "grant", urn: "urn:x::grant", inputs: {}, dependencies: ["urn:x::id"] },
      {
        type: "t:m:App", name: "app", urn: "urn:x::app", inputs: {},
        dependencies: ["urn:x::grant", "urn:x::id", "urn:pulumi:s::p::pulumi:providers:azure-native::default"],
        propertyDependencies: { identity: ["urn:x::id"], tags: [] },
      },
    ]);
    expect(seen).toEqual([
      { name: "id", dependencies: [], propertyDependencies: {}, linked: true },
      { name: "grant", dependencies: ["id"], propertyDependencies: {}, linked: true },
      { name: "app", dependencies: ["grant", "id"], propertyDependencies: { identity: ["id"], tags: [] }, linked: true },
    ]);
  });

  test("resource policies are unaffected: their arguments carry no dependencies", async () => {
    const seen: unknown[] = [];
    await runPolicySet([probe(seen)], [{ type: "t:m:R", name: "r1", urn: "urn:x::r1", inputs: {}, dependencies: ["urn:x::r0"] }]);
    expect(Object.keys(seen[0] as object)).toEqual(["type", "name", "urn", "config", "props", "opts"]);
  });
});

describe("runPolicies (the pack)", () => {
  test("the same resources in any order give the same list, mandatory first", async () => {
    const resources: PolicyResource[] = [
      nsg("b-nsg", "urn:x::b-nsg"),
      { type: "azure-native:storage:StorageAccount", name: "sa", urn: "urn:x::sa", inputs: { minimumTlsVersion: "TLS1_2", allowSharedKeyAccess: false, allowBlobPublicAccess: true } },
      nsg("a-nsg", "urn:x::a-nsg"),
    ];
    const forward = await runPolicies(resources);
    const backward = await runPolicies([...resources].reverse());
    expect(backward).toEqual(forward);
    expect(forward.map((v) => `${v.enforcementLevel} ${v.policy} ${v.name}`)).toEqual([
      "mandatory nsg-no-rdp-ssh-from-internet a-nsg",
      "mandatory nsg-no-rdp-ssh-from-internet b-nsg",
      "mandatory nsg-only-connector-flows a-nsg",
      "mandatory nsg-only-connector-flows b-nsg",
      "mandatory storage-no-public-blob-access sa",
    ]);
  });

  test("requiredTags from the run config reach required-tags", async () => {
    const vs = await runPolicies([{ type: "azure-native:resources:ResourceGroup", name: "rg", inputs: { tags: { CostCenter: "x" } } }], { requiredTags: ["CostCenter", "ResourceOwner"] });
    expect(vs).toEqual([{ policy: "required-tags", enforcementLevel: "advisory", urn: null, name: "rg", type: "azure-native:resources:ResourceGroup", message: "Missing required tag: ResourceOwner." }]);
  });

  test("sortViolations orders by level, policy, name, urn, message", () => {
    const v = (enforcementLevel: Violation["enforcementLevel"], policy: string, name: string, message: string): Violation => ({ policy, enforcementLevel, urn: null, name, type: "t", message });
    expect(sortViolations([v("advisory", "a", "x", "m"), v("mandatory", "z", "y", "m2"), v("mandatory", "z", "y", "m1"), v("mandatory", "b", "z", "m")]).map((x) => `${x.policy}/${x.message}`))
      .toEqual(["b/m", "z/m1", "z/m2", "a/m"]);
  });
});

describe("pack config from the stack", () => {
  test("the tags' keys become required tags, consentSourcePrefixes pass through (comma strings too)", () => {
    expect(runConfigFromStack((k) => ({ tags: { ResourceOwner: "u", CostCenter: "c" }, consentSourcePrefixes: "203.0.113.0/24, 198.51.100.7" })[k]))
      .toEqual({ requiredTags: ["CostCenter", "ResourceOwner"], consentSourcePrefixes: ["203.0.113.0/24", "198.51.100.7"] });
  });
  test("the CLI's PULUMI_CONFIG (structured values as JSON strings) gives the same", () => {
    const env = JSON.stringify({
      "pexip-teams-connector:tags": JSON.stringify({ ResourceOwner: "u", CostCenter: "c" }),
      "pexip-teams-connector:consentSourcePrefixes": JSON.stringify(["203.0.113.0/24"]),
      "azure-native:location": "westeurope",
    });
    expect(runConfigFromPulumiConfig(env)).toEqual({ requiredTags: ["CostCenter", "ResourceOwner"], consentSourcePrefixes: ["203.0.113.0/24"] });
    expect(runConfigFromPulumiConfig(undefined)).toEqual({});
    expect(runConfigFromPulumiConfig("not json")).toEqual({});
  });
  test("every pack config entry states its enforcement level (the CLI would read a missing one as advisory)", () => {
    const policies: Policies = [
      { name: "required-tags", description: "d", validateResource: () => undefined },
      { name: "vmss-admin-password-from-secret", description: "d", enforcementLevel: "mandatory", validateResource: () => undefined },
    ];
    expect(toPackConfig({ requiredTags: ["A"], secretsMarked: true }, policies)).toEqual({
      "required-tags": { enforcementLevel: "advisory", requiredTags: ["A"] },
      "vmss-admin-password-from-secret": { enforcementLevel: "mandatory", secretsMarked: true },
    });
  });
});
