/**
 * Runs the pack's validators in-process, without the Pulumi CLI: `npm run policy` and `npm run plan` call this with
 * resources read from a plan file, a `pulumi stack export` or a bare list. It builds the same argument objects the
 * @pulumi/policy analyzer server builds for `pulumi preview --policy-pack` (type, props, urn, name, options,
 * getConfig with the configSchema defaults, notApplicable; for stack policies the dependencies as resource objects),
 * so one set of validators serves both ways in.
 */
import {
  EnforcementLevel,
  Policies,
  PolicyPackConfig,
  PolicyResource as SdkPolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { toPackConfig } from "./packConfig";
import { PACK_ENFORCEMENT_LEVEL, policies as packPolicies } from "./policies";
import { isSecretField } from "../components/secretFields";
import { isRecord, SECRET_MASK } from "./values";

export interface PolicyResource {
  type: string;
  name: string;
  urn?: string | null;
  inputs: Record<string, unknown>;
  /** URNs it depends on (explicit dependsOn and the resources whose outputs feed its inputs), as the engine records them; absent: none known. */
  dependencies?: string[];
  /** Per input property, the URNs whose outputs feed it (a stack export's `propertyDependencies`); absent: none known. */
  propertyDependencies?: Record<string, string[]>;
}

export interface Violation {
  policy: string;
  enforcementLevel: "mandatory" | "advisory";
  urn: string | null;
  name: string;
  type: string;
  message: string;
}

export interface PolicyRunConfig {
  /** `required-tags`: tag names every taggable resource must carry (usually the keys of the stack's `tags`). */
  requiredTags?: string[];
  /** `webapp-access-restrictions`: the stack's consentSourcePrefixes (empty: the consent page is public). */
  consentSourcePrefixes?: string[];
  /**
   * `vmss-admin-password-from-secret`: secret values arrive marked ("[secret]", stack-export ciphertext). Default true
   * here (plan files and exports mark them); the Pulumi engine unwraps secrets, so the pack's own default is false.
   */
  secretsMarked?: boolean;
  /** Per-policy config as `pulumi preview --policy-pack-config` takes it (enforcementLevel, configSchema properties); wins over the fields above. */
  policyConfig?: PolicyPackConfig;
}

/** A policy that reported itself not applicable to a resource for a reason other than its type. */
export interface NotApplicable {
  policy: string;
  urn: string | null;
  name: string;
  type: string;
  reason: string;
}

export interface PolicyRun {
  violations: Violation[];
  notApplicable: NotApplicable[];
}

/** What `args.notApplicable` throws, as in the SDK's server. */
class NotApplicableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicableError(reason ?? "Policy does not apply");
};

const LEVEL_ORDER: Record<Violation["enforcementLevel"], number> = { mandatory: 0, advisory: 1 };

/** Mandatory first, then by policy, resource name, URN and message: the same input always prints the same list. */
export function sortViolations<T extends Violation>(vs: T[]): T[] {
  return [...vs].sort(
    (a, b) =>
      LEVEL_ORDER[a.enforcementLevel] - LEVEL_ORDER[b.enforcementLevel] ||
      cmp(a.policy, b.policy) ||
      cmp(a.name, b.name) ||
      cmp(a.urn ?? "", b.urn ?? "") ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- secrets in files


function isSecretEnvelope(v: unknown): v is Record<string, unknown> {
  return isRecord(v) && v[specialSigKey] === specialSecretSig;
}

/** Every leaf of `v` masked (structure kept). */
function maskAll(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(maskAll);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskAll(x)]));
  return SECRET_MASK;
}

/**
 * Secret values as the policies expect them: the plan's "[secret]" mask. A stack export's secret
 * (`{"4dabf...": "1b470...", "ciphertext": ...}`) becomes the mask; a revealed one (`value`, or `plaintext` from
 * `--show-secrets`) keeps its structure with the secret-bearing leaves masked, so the other checks still see it.
 */
export function markSecrets(v: unknown, insideSecret = false, type?: string): unknown {
  if (isSecretEnvelope(v)) {
    let revealed: unknown = undefined;
    let known = false;
    if ("value" in v) {
      revealed = v.value;
      known = true;
    } else if (typeof v.plaintext === "string") {
      try {
        revealed = JSON.parse(v.plaintext);
        known = true;
      } catch {
        known = false;
      }
    }
    if (!known || revealed === null || typeof revealed !== "object") return SECRET_MASK;
    return markSecrets(revealed, true, type);
  }
  if (Array.isArray(v)) return v.map((x) => markSecrets(x, insideSecret, type));
  if (isRecord(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, insideSecret && isSecretField(k, type) ? maskAll(markSecrets(x, true, type)) : markSecrets(x, insideSecret, type)]));
  }
  return v;
}

// ---- argument objects, as the SDK's analyzer server builds them

const NO_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const NO_TAGS: ReadonlyMap<string, string> = new Map();

/** The type a validation function was built for by `validateResourceOfType` (the server's fast path). */
function pulumiTypeOf(fn: unknown): string | undefined {
  const t = (fn as { __pulumiType?: unknown }).__pulumiType;
  return typeof t === "string" && t !== "" ? t : undefined;
}

function isTypeOf(type: string) {
  return (resourceClass: unknown): boolean => {
    const t = pulumiTypeOf(resourceClass);
    if (t) return t === type;
    const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
  };
}

/** A policy's config: its configSchema defaults, overlaid with the run's config (enforcementLevel taken out). */
function configFor(p: { name: string; configSchema?: ResourceValidationPolicy["configSchema"] }, packConfig: PolicyPackConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
    const d = (schema as { default?: unknown }).default;
    if (d !== undefined) out[k] = structuredClone(d);
  }
  const given = packConfig[p.name];
  if (isRecord(given)) {
    for (const [k, v] of Object.entries(given)) if (k !== "enforcementLevel") out[k] = structuredClone(v);
  }
  return out;
}

/** The level a policy runs at, as the server works it out; undefined when disabled. */
function levelFor(p: { name: string; enforcementLevel?: EnforcementLevel }, packConfig: PolicyPackConfig): Violation["enforcementLevel"] | undefined {
  const given = packConfig[p.name];
  const configured = typeof given === "string" ? given : isRecord(given) ? (given.enforcementLevel as EnforcementLevel | undefined) : undefined;
  const level = configured ?? p.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL;
  if (level === "disabled") return undefined;
  // The server reports a violation left after remediation as mandatory.
  return level === "remediate" ? "mandatory" : level;
}

function isResourcePolicy(p: Policies[number]): p is ResourceValidationPolicy {
  return "validateResource" in p && p.validateResource !== undefined;
}

function isStackPolicy(p: Policies[number]): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

interface Prepared {
  resource: PolicyResource;
  /** The URN the validators see: the real one, or a stand-in for resources without one. */
  urn: string;
  props: Record<string, unknown>;
}

/**
 * Dependencies as resource objects, as the SDK's server fills them in after building every resource: a URN that is
 * not among the resources judged (the stack, a provider, a stand-in's) is left out.
 */
function resolveDependencies(sdkResources: SdkPolicyResource[], prepared: Prepared[]): void {
  const byUrn = new Map(sdkResources.map((r) => [r.urn, r]));
  const resolve = (urns: readonly string[]) => urns.map((u) => byUrn.get(u)).filter((r): r is SdkPolicyResource => r !== undefined);
  prepared.forEach(({ resource: r }, i) => {
    const res = sdkResources[i];
    res.dependencies = resolve(r.dependencies ?? []);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) res.propertyDependencies[k] = resolve(urns);
  });
}

/** Runs `policies` (default: the pack's) over `resources`; violations and the reasons policies gave for not applying. */
export async function runPolicySet(policies: Policies, resources: PolicyResource[], config: PolicyRunConfig = {}): Promise<PolicyRun> {
  const packConfig = toPackConfig({ ...config, secretsMarked: config.secretsMarked ?? true }, policies);
  const violations: Violation[] = [];
  const notApplicable: NotApplicable[] = [];
  const prepared: Prepared[] = resources.map((r, i) => ({
    resource: r,
    urn: r.urn ?? `urn:offline:resource-${i}::${r.name}`,
    props: markSecrets(isRecord(r.inputs) ? r.inputs : {}, false, r.type) as Record<string, unknown>,
  }));
  const byUrn = new Map(prepared.map((p) => [p.urn, p]));
  const label = (r: PolicyResource) => `${r.type} "${r.name}"${r.urn ? ` (${r.urn})` : ""}`;

  for (const p of policies) {
    const level = levelFor(p, packConfig);
    if (!level) continue;
    const cfg = configFor(p, packConfig);

    if (isResourcePolicy(p)) {
      const validations: ResourceValidation[] = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource as ResourceValidation];
      for (const { resource: r, urn, props } of prepared) {
        const report: ReportViolation = (message: string) =>
          violations.push({ policy: p.name, enforcementLevel: level, urn: r.urn ?? null, name: r.name, type: r.type, message: message || p.description });
        for (const validate of validations) {
          const only = pulumiTypeOf(validate);
          if (only && only !== r.type) continue;
          const args: ResourceValidationArgs = {
            type: r.type,
            props: structuredClone(props),
            urn,
            name: r.name,
            opts: structuredClone(NO_OPTIONS),
            stackTags: NO_TAGS,
            isType: isTypeOf(r.type) as ResourceValidationArgs["isType"],
            asType: ((cls: unknown) => (isTypeOf(r.type)(cls) ? args.props : undefined)) as ResourceValidationArgs["asType"],
            getConfig: <T extends object>() => structuredClone(cfg) as T,
            notApplicable: throwNotApplicable,
          };
          try {
            await validate(args, report);
          } catch (e) {
            if (!(e instanceof NotApplicableError)) throw new Error(`policy "${p.name}" failed on ${label(r)}: ${(e as Error).message}`, { cause: e });
            if (!e.reason.startsWith("Policy only applies to")) notApplicable.push({ policy: p.name, urn: r.urn ?? null, name: r.name, type: r.type, reason: e.reason });
          }
        }
      }
    }

    if (isStackPolicy(p)) {
      const sdkResources: SdkPolicyResource[] = prepared.map(({ resource: r, urn, props }) => {
        const res = {
          type: r.type,
          props: structuredClone(props),
          urn,
          name: r.name,
          opts: structuredClone(NO_OPTIONS),
          dependencies: [],
          propertyDependencies: {},
          isType: isTypeOf(r.type),
          asType: (cls: unknown) => (isTypeOf(r.type)(cls) ? res.props : undefined),
        };
        return res as unknown as SdkPolicyResource;
      });
      resolveDependencies(sdkResources, prepared);
      const report: ReportViolation = (message: string, urn?: string) => {
        const hit = urn ? byUrn.get(urn) : undefined;
        violations.push({
          policy: p.name,
          enforcementLevel: level,
          urn: hit ? (hit.resource.urn ?? null) : (urn ?? null),
          name: hit ? hit.resource.name : "(stack)",
          type: hit ? hit.resource.type : "pulumi:pulumi:Stack",
          message: message || p.description,
        });
      };
      const args: StackValidationArgs = {
        resources: sdkResources,
        stackTags: NO_TAGS,
        getConfig: <T extends object>() => structuredClone(cfg) as T,
        notApplicable: throwNotApplicable,
      };
      try {
        await p.validateStack(args, report);
      } catch (e) {
        if (!(e instanceof NotApplicableError)) throw new Error(`policy "${p.name}" failed on the stack: ${(e as Error).message}`, { cause: e });
        if (!e.reason.startsWith("Policy only applies to")) notApplicable.push({ policy: p.name, urn: null, name: "(stack)", type: "pulumi:pulumi:Stack", reason: e.reason });
      }
    }
  }
  return { violations: sortViolations(violations), notApplicable };
}

/** The pack's validators over `resources`, violations sorted (mandatory first). */
export async function runPolicies(resources: PolicyResource[], config?: PolicyRunConfig): Promise<Violation[]> {
  return (await runPolicySet(packPolicies, resources, config)).violations;
}
