/**
 * Test harness: runs the real program (index.ts) or a single component under the shared Azure mocks
 * (tools/engine/mocks.ts, the same layer `npm run plan` uses) and gives tests the recorded registrations.
 * Import this module before anything that creates resources.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigSource, EncryptedValue, PROJECT } from "../components/config";
import { installMocks, isSecretMarker, MOCK_TENANT_ID, Registration, RecordingMonitor, unmark } from "../tools/engine/mocks";
import { applySecret, readStackFile, StackFile, stackFileSource } from "../tools/engine/stackFile";
import { NOW } from "./fixtures/clock";
import { dropApiVersionAliases, plan, PlanResult } from "../tools/commands/plan";

export const ROOT = path.resolve(__dirname, "..");
export const SUBSCRIPTION_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
/** The mock layer's tenant (one value for the plan and the tests). */
export const TENANT_ID = MOCK_TENANT_ID;
/** What the eu stack exports to the us stack (mocked StackReference outputs). */
export const EU_STACK_OUTPUTS = {
  appId: "c054d1cb-7961-48e1-b004-389e81356232",
  appPassword: "mock-eu-app-password~0123456789",
  tenantId: TENANT_ID,
  botName: "pexipTeamsBot",
  consentUrl: "https://pexip-pexip-cvi-abcde.azurewebsites.net/",
};

/** The offline commands' clock set to the suite's NOW (SOURCE_DATE_EPOCH), for a child process's environment. */
export const PLAN_ENV = { ...process.env, SOURCE_DATE_EPOCH: String(NOW.getTime() / 1000) };

/** `npm run plan` in-process on the suite's clock, whatever the wall clock says. */
export function planAtNow(argv: string[]): Promise<PlanResult> {
  return planAt(NOW, argv);
}

/** `npm run plan` in-process with its clock at `now` (SOURCE_DATE_EPOCH); the environment is restored after. */
export async function planAt(now: Date, argv: string[]): Promise<PlanResult> {
  const saved = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = String(Math.floor(now.getTime() / 1000));
  try {
    return await plan(argv);
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }
}

/** A resolved Output's value (undefined when unknown). */
export function unwrap<T>(o: pulumi.Input<T> | undefined): Promise<T> {
  return new Promise((resolve) => pulumi.output(o as pulumi.Input<T>).apply((v) => resolve(v as T)));
}

/** Whether an Output is marked secret. */
export function isSecret(o: pulumi.Output<unknown>): Promise<boolean> {
  return (o as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/** A stack file as a config source, with edits: `set` replaces top-level keys (short or qualified), `secrets` as `--secret`. */
export function stackSource(stack: string, edits: { set?: Record<string, unknown>; remove?: string[]; secrets?: Record<string, string> } = {}): { source: ConfigSource; file: StackFile } {
  const file = readStackFile(path.join(ROOT, `Pulumi.${stack}.yaml`));
  const q = (k: string) => (k.includes(":") ? k : `${PROJECT}:${k}`);
  for (const k of edits.remove ?? []) file.entries.delete(q(k));
  for (const [k, v] of Object.entries(edits.set ?? {})) file.entries.set(q(k), { value: v, secret: false });
  for (const [k, v] of Object.entries(edits.secrets ?? {})) applySecret(file, `${q(k)}=${v}`);
  return { source: stackFileSource(file), file };
}

/** A bare config source from plain key/values (short keys are in the project namespace); `secret` lists secret keys. */
export function plainSource(values: Record<string, unknown>, secret: string[] = []): ConfigSource {
  const q = (k: string) => (k.includes(":") ? k : `${PROJECT}:${k}`);
  const map = new Map(Object.entries(values).map(([k, v]) => [q(k), v]));
  const secrets = new Set(secret.map(q));
  return {
    get: (key) => (map.has(key) ? { value: map.get(key), secret: secrets.has(key) || map.get(key) instanceof EncryptedValue } : undefined),
    projectKeys: () => [...map.keys()].filter((k) => k.startsWith(`${PROJECT}:`)),
    keys: () => [...map.keys()],
  };
}

export interface ProgramRun {
  monitor: RecordingMonitor;
  /** Every registration, in order (components included). */
  resources: Registration[];
  /** Stack outputs, secret markers kept. */
  rawOutputs: Record<string, unknown>;
  /** Stack outputs without markers. */
  outputs: Record<string, any>;
  /** Warnings and notices the program logged. */
  log: string[];
}

/** Waits until every outstanding registration has been answered. */
export async function settle(): Promise<void> {
  const rt = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  await rt.waitForRPCs?.();
}

/** The SDK captures a stack trace per resource, and jest source-maps each one: about half of an evaluation's time. */
async function quietStacks<T>(fn: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Runs index.ts for a stack under the mocks and returns what it registered. */
export async function runProgram(stack: string, source: ConfigSource, opts: { now?: Date; offline?: boolean; appStackOutputs?: Record<string, unknown> } = {}): Promise<ProgramRun> {
  const now = opts.now ?? NOW;
  const monitor = installMocks({
    project: PROJECT,
    stack,
    subscriptionId: SUBSCRIPTION_ID,
    tenantId: TENANT_ID,
    stackOutputs: { "organization/pexip-teams-connector/eu": { outputs: opts.appStackOutputs ?? EU_STACK_OUTPUTS, secret: ["appPassword"] } },
  });
  const log: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const main = require("../index") as (o: object) => Promise<Record<string, unknown>>;
  await quietStacks(async () => {
    await pulumi.runtime.runInPulumiStack(() => {
      // As the plan does: the provider's per-API-version aliases are half of an evaluation and no test reads them.
      pulumi.runtime.registerStackTransformation(dropApiVersionAliases);
      return main({ source, stack, offline: opts.offline ?? true, projectDir: ROOT, now, log: (m: string) => log.push(m) });
    });
    await settle();
  });
  const root = monitor.registrations.find((r) => r.type === "pulumi:pulumi:Stack");
  const rawOutputs = (root && monitor.registeredOutputs.get(root.urn)) ?? {};
  return { monitor, resources: monitor.registrations, rawOutputs, outputs: unmark(rawOutputs) as Record<string, any>, log };
}

/** Runs a function that creates resources (e.g. one component) under the mocks, inside a root stack. */
export async function runResources(stack: string, fn: () => unknown): Promise<RecordingMonitor> {
  const monitor = installMocks({ project: PROJECT, stack, subscriptionId: SUBSCRIPTION_ID, tenantId: TENANT_ID });
  await quietStacks(async () => {
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation(dropApiVersionAliases);
      fn();
      return {};
    });
    await settle();
  });
  return monitor;
}

/** Registrations of one type token. */
export function ofType(resources: Registration[], type: string): Registration[] {
  return resources.filter((r) => r.type === type);
}

/** The one registration of a type (and logical name, when given); throws naming what exists otherwise. */
export function one(resources: Registration[], type: string, name?: string): Registration {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  if (found.length !== 1) {
    const have = resources.filter((r) => r.type === type).map((r) => r.name);
    throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length} (have: ${have.join(", ") || "none"})`);
  }
  return found[0];
}

/** Inputs without secret markers. */
export function inputs(r: Registration): Record<string, any> {
  return unmark(r.inputs) as Record<string, any>;
}

/** Top-level input names that arrived secret-marked. */
export function secretInputs(r: Registration): string[] {
  return Object.entries(r.inputs).filter(([, v]) => isSecretMarker(v)).map(([k]) => k).sort();
}

/** Whether a value anywhere below arrives secret-marked. */
export function containsSecret(v: unknown): boolean {
  if (isSecretMarker(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsSecret);
  return false;
}

/** The registration's logical-name parent (the parent URN's last segment). */
export function parentName(r: Registration): string | undefined {
  return r.parent ? r.parent.split("::").pop() : undefined;
}

/** Azure types that take tags (everything the program creates under azure-native but these). */
export const UNTAGGABLE = new Set([
  // Deliberately untagged (their vault is tagged): at most 15 tags, and a write may be a new secret version, which for
  // the certificate rolls the scale set. https://learn.microsoft.com/en-us/azure/key-vault/secrets/about-secrets#secret-tags
  "azure-native:keyvault:Secret",
  // Deliberately untagged: Resource Manager creates a key once and never updates it, so a tag change would only drift.
  // https://learn.microsoft.com/en-us/rest/api/keyvault/keyvault/keys/create-if-not-exist
  "azure-native:keyvault:Key",
  "azure-native:authorization:RoleAssignment",
  "azure-native:network:SecurityRule",
  "azure-native:network:InboundNatRule",
  "azure-native:network:Subnet",
  "azure-native:network:LoadBalancerBackendAddressPool",
  "azure-native:storage:BlobContainer",
  "azure-native:storage:ManagementPolicy",
  "azure-native:storage:Blob",
  "azure-native:eventhub:EventHub",
  "azure-native:eventhub:EventHubAuthorizationRule",
  "azure-native:compute:VirtualMachineScaleSetExtension",
  "azure-native:dns:RecordSet",
  "azure-native:web:WebAppFtpAllowed",
  "azure-native:web:WebAppScmAllowed",
  "azure-native:web:WebAppApplicationSettings",
]);

/** A copy of plain inputs with the dotted path set (undefined deletes it): one property changed per policy case. */
export function withPath<T extends Record<string, unknown>>(obj: T, path: string, value: unknown): T {
  const copy = structuredClone(obj);
  const parts = path.split(".");
  let node: Record<string, unknown> = copy;
  for (const p of parts.slice(0, -1)) {
    if (typeof node[p] !== "object" || node[p] === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}
