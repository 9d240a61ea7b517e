/**
 * The plan document of spec/cli.md, built from what the recording monitor saw: resources (components included)
 * with their real parent, protect flag and dependencies, masked inputs, masked stack outputs, policy verdicts.
 */
import { MASK } from "../../components/config";
import type { Registration } from "../mocks";
import { collectSecrets, SecretSet, toPlain } from "./mask";

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

/** Resources ordered by URN: registration order depends on when inputs resolve, the URN does not. */
export function planResources(regs: Registration[], secrets: SecretSet, projectDir: string): PlanResource[] {
  const seen = new Set<string>();
  const out: PlanResource[] = [];
  for (const r of regs) {
    if (seen.has(r.urn)) continue;
    seen.add(r.urn);
    out.push({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      protect: r.protect,
      ignoreChanges: [...(r.ignoreChanges ?? [])],
      replaceOnChanges: [...(r.replaceOnChanges ?? [])],
      dependencies: [...new Set(r.dependencies)].sort(),
      inputs: toPlain(r.wireInputs ?? r.inputs, secrets, { type: r.type, projectDir }) as Record<string, unknown>,
    });
  }
  return out.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

export function planOutputs(rawOutputs: Record<string, unknown>, secrets: SecretSet, projectDir: string): Record<string, unknown> {
  return toPlain(rawOutputs, secrets, { projectDir }) as Record<string, unknown>;
}

/** Violations with every known secret scrubbed from the messages, in a stable order. */
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
