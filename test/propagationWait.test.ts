/**
 * The role-propagation wait: its provider survives `pulumi.runtime.serializeFunction` (what the engine's dynamic
 * provider host runs), sleeps on create and on a trigger change only (fake timers, no wall clock), and is registered
 * without a serialized provider under the SDK's mock monitor.
 */
import * as pulumi from "@pulumi/pulumi";
import { inputs, one, runResources } from "./harness";
import { PROPAGATION_WAIT_TYPE, propagationWait, propagationWaitProvider, ROLE_PROPAGATION_SECONDS } from "../components/propagationWait";

type Provider = Required<pulumi.dynamic.ResourceProvider>;

/** A stand-in role assignment (the real class would pull in azure-native). */
class Grant extends pulumi.CustomResource {
  constructor(name: string) {
    super("azure-native:authorization:RoleAssignment", name, { scope: "/s", principalId: "p" });
  }
}

/** The provider as the dynamic-provider host gets it: serialized, then loaded from text. */
async function serializedProvider(): Promise<{ text: string; provider: Provider }> {
  const sf = await pulumi.runtime.serializeFunction(() => propagationWaitProvider);
  const mod = { exports: {} as Record<string, unknown> };
  new Function("exports", "require", "module", sf.text)(mod.exports, require, mod);
  return { text: sf.text, provider: (mod.exports.handler as () => Provider)() };
}

/** Moves the fake clock, then lets the promise chains the fired timers resolved run (native microtasks are not faked). */
async function advance(ms: number): Promise<void> {
  jest.advanceTimersByTime(ms);
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe("propagation wait provider", () => {
  afterEach(() => jest.useRealTimers());

  test("serializes into a self-contained module whose create sleeps exactly the given seconds", async () => {
    const { text, provider } = await serializedProvider();
    expect(text).toContain("exports.handler");
    // No module state travels: only the provider's own functions.
    expect(text).not.toMatch(/require\(/);
    jest.useFakeTimers();
    let done = false;
    const created = provider.create({ seconds: 600, triggers: ["a", "b"] }).then((r) => ((done = true), r));
    await advance(599_000);
    expect(done).toBe(false);
    await advance(1_000);
    expect(await created).toEqual({ id: "rbac-wait-2", outs: { seconds: 600, triggers: ["a", "b"] } });
  });

  test("a trigger change is a change that sleeps again; a new duration alone is recorded without sleeping", async () => {
    const { provider } = await serializedProvider();
    const olds = { seconds: 600, triggers: ["grant-1"] };
    expect(await provider.diff("id", olds, { ...olds })).toEqual({ changes: false });
    expect(await provider.diff("id", olds, { ...olds, triggers: ["grant-2"] })).toEqual({ changes: true });
    expect(await provider.diff("id", olds, { ...olds, seconds: 60 })).toEqual({ changes: true });
    jest.useFakeTimers();
    let done = false;
    const updated = provider.update("id", olds, { seconds: 60, triggers: ["grant-2"] }).then(() => (done = true));
    await advance(59_000);
    expect(done).toBe(false);
    await advance(1_000);
    await updated;
    expect(done).toBe(true);
    jest.useRealTimers();
    expect(await provider.update("id", olds, { seconds: 60, triggers: ["grant-1"] })).toEqual({ outs: { seconds: 60, triggers: ["grant-1"] } });
  });

  test("waits 10 minutes by default, Azure's documented propagation time", () => {
    expect(ROLE_PROPAGATION_SECONDS).toBe(600);
  });
});

describe("propagationWait under the mocks", () => {
  test("the offline plan registers the real dynamic resource: its type token, inputs, the serialized provider and its grants", async () => {
    const monitor = await runResources("eu", () => {
      const grant = new Grant("grant");
      propagationWait("wait", { grants: [grant], seconds: 5 });
    });
    const wait = one(monitor.registrations, PROPAGATION_WAIT_TYPE, "wait");
    const grant = one(monitor.registrations, "azure-native:authorization:RoleAssignment", "grant");
    expect(Object.keys(wait.wireInputs).sort()).toEqual(["__provider", "seconds", "triggers"]);
    expect(inputs(wait)).toEqual({ __provider: expect.stringContaining("exports.handler"), seconds: 5, triggers: [grant.id] });
    expect(wait.dependencies).toEqual([grant.urn]);
  });
});
