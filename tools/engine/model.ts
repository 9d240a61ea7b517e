/**
 * The plan document of spec/cli.md, built from what the recording monitor saw: resources (components included)
 * with their real parent, protect flag and dependencies, masked inputs, masked stack outputs, policy verdicts.
 */
import { MASK } from "../../components/config";
import type { Registration } from "./mocks";
import { collectSecrets, SecretSet, toPlain, toPolicyValue } from "./mask";

export interface PlanResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  protect: boolean;
  /** The `ignoreChanges` resource option: paths a `pulumi up` leaves as they are in Azure. */
  ignoreChanges: string[];
  /** The `replaceOnChanges` resource option: paths whose change replaces the resource on purpose (optional in older plan files). */
  replaceOnChanges?: string[];
  dependencies: string[];
  inputs: Record<string, unknown>;
}

/** One policy verdict, as the policy pack's runner reports it (spec/cli.md `policy.violations[]`). */
import type { Violation } from "../../policy/runner";
export type { Violation };

export interface PlanDoc {
  stack: string;
  resources: PlanResource[];
  outputs: Record<string, unknown>;
  policy: { violations: Violation[] };
  diff?: unknown;
}

/** Every secret value known to an evaluation: config secrets, `--secret` values, generated and secret-marked values. */
export function knownSecrets(regs: Registration[], rawOutputs: Record<string, unknown>, extra: Iterable<string>): SecretSet {
  const all = new Set<string>(extra);
  for (const r of regs) {
    collectSecrets(r.wireInputs ?? r.inputs, all, r.type);
    collectSecrets(r.state, all, r.type);
  }
  collectSecrets(rawOutputs, all);
  return new SecretSet(all);
}

/** A dynamic resource's `__provider` is its provider's serialized code (tens of kB): named, not copied, in the plan. */
function withoutProviderCode(inputs: Record<string, unknown>): Record<string, unknown> {
  if (typeof inputs.__provider !== "string") return inputs;
  return { ...inputs, __provider: `[serialized dynamic provider, ${inputs.__provider.length} characters]` };
}

/** Where a known secret reached an input or output without its secret marking (masked, and reported as a program bug). */
export interface StraySecret {
  /** The resource's URN, or "outputs" for the stack outputs. */
  where: string;
  path: string;
}

/** A registration's dependencies as the plan records them: each URN once, sorted. */
function planDependencies(r: Registration): string[] {
  return [...new Set(r.dependencies)].sort();
}

/** Each URN's first registration (a read and a registration of one URN are one resource). */
function firstPerUrn(regs: Registration[]): Registration[] {
  const seen = new Set<string>();
  return regs.filter((r) => !seen.has(r.urn) && (seen.add(r.urn), true));
}

/** Resources ordered by URN: registration order depends on when inputs resolve, the URN does not. */
export function planResources(regs: Registration[], secrets: SecretSet, projectDir: string, strays: StraySecret[] = []): PlanResource[] {
  const out: PlanResource[] = [];
  for (const r of firstPerUrn(regs)) {
    out.push({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      protect: r.protect,
      ignoreChanges: [...(r.ignoreChanges ?? [])],
      replaceOnChanges: [...(r.replaceOnChanges ?? [])],
      dependencies: planDependencies(r),
      inputs: withoutProviderCode(plainWithStrays(r.wireInputs ?? r.inputs, secrets, { type: r.type, projectDir }, r.urn, strays) as Record<string, unknown>),
    });
  }
  return out.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

/** A resource as the policy runner takes it. */
export interface PolicyInput {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, unknown>;
  /** The plan file's `dependencies`, the same list: `npm run policy` on the file judges what the plan judged. */
  dependencies: string[];
}

/**
 * The resources as the policies judge them: the real in-process inputs, not the plan file's masked ones (masking
 * only guards what is printed or written), secret markers kept so that a secret is still known as one. Judging the
 * masked plan made `vmss-admin-password-from-secret` blind: every adminPassword leaf was "[secret]" already.
 */
export function policyResources(regs: Registration[], projectDir: string): PolicyInput[] {
  const out: PolicyInput[] = [];
  for (const r of firstPerUrn(regs)) {
    out.push({
      type: r.type, name: r.name, urn: r.urn, inputs: toPolicyValue(r.wireInputs ?? r.inputs, projectDir) as Record<string, unknown>,
      dependencies: planDependencies(r),
    });
  }
  return out.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

export function planOutputs(rawOutputs: Record<string, unknown>, secrets: SecretSet, projectDir: string, strays: StraySecret[] = []): Record<string, unknown> {
  return plainWithStrays(rawOutputs, secrets, { projectDir }, "outputs", strays) as Record<string, unknown>;
}

function plainWithStrays(v: unknown, secrets: SecretSet, o: { type?: string; projectDir: string }, where: string, strays: StraySecret[]): unknown {
  const paths: string[] = [];
  const out = toPlain(v, secrets, { ...o, strays: paths });
  for (const p of paths) strays.push({ where, path: p });
  return out;
}

/** Violations with every known secret that stands as a word scrubbed from the messages (SecretSet.scrub), in a stable order. */
export function planViolations(vs: Violation[], secrets: SecretSet): Violation[] {
  return vs
    .map((v) => ({
      policy: String(v.policy),
      enforcementLevel: v.enforcementLevel,
      urn: v.urn ?? null,
      name: String(v.name ?? ""),
      type: String(v.type ?? ""),
      message: secrets.scrub(String(v.message ?? "")),
    }))
    .sort((a, b) => `${a.policy}\u0000${a.urn ?? a.name}\u0000${a.message}`.localeCompare(`${b.policy}\u0000${b.urn ?? b.name}\u0000${b.message}`));
}

/** The component (type `pexip:teams:*`) a resource belongs to: itself when it is one, else its nearest such ancestor. */
export function componentOf(r: PlanResource, byUrn: Map<string, PlanResource>): PlanResource | undefined {
  let cur: PlanResource | undefined = r;
  while (cur) {
    if (cur.type.startsWith("pexip:teams:")) return cur;
    cur = cur.parent ? byUrn.get(cur.parent) : undefined;
  }
  return undefined;
}

/** The value at a dotted path (`sku.name`, `securityRules`), undefined when a step is missing. */
export function at(obj: unknown, dotted: string): unknown {
  let v: unknown = obj;
  for (const part of dotted.split(".")) {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Whether a plan value is the mask. */
export function isMasked(v: unknown): boolean {
  return v === MASK;
}
