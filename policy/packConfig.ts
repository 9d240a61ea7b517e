/**
 * Where the policies' configuration comes from: the same stack config, whichever way the pack runs. Under
 * `pulumi preview --policy-pack policy` the CLI hands the pack process the stack's config (PULUMI_CONFIG), and
 * index.ts turns it into the pack's initial config; offline, `npm run policy --stack` and `npm run plan` do the same
 * from the stack file. One mapping, so both ways in check the same thing.
 */
import { Policies, PolicyPackConfig } from "@pulumi/policy";
import { PROJECT } from "../components/config";
import { vmssAdminPasswordFromSecret } from "./compute";
import { PACK_ENFORCEMENT_LEVEL, policies as packPolicies } from "./policies";
import type { PolicyRunConfig } from "./runner";
import { requiredTags } from "./tags";
import { isRecord } from "./values";
import { webAppAccessRestrictions } from "./web";

/**
 * The per-policy config (as `--policy-pack-config` takes it) for a run config. Every entry states its enforcement
 * level: the CLI reads an entry without one as "advisory", which would demote a mandatory policy.
 */
export function toPackConfig(c: PolicyRunConfig, policies: Policies = packPolicies): PolicyPackConfig {
  const out: Record<string, Record<string, unknown>> = {};
  const levelOf = (policy: string) => policies.find((p) => p.name === policy)?.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL;
  const put = (policy: string, key: string, value: unknown) => {
    if (value !== undefined) out[policy] = { enforcementLevel: levelOf(policy), ...(out[policy] ?? {}), [key]: value };
  };
  put(requiredTags.name, "requiredTags", c.requiredTags);
  put(webAppAccessRestrictions.name, "sourcePrefixes", c.consentSourcePrefixes);
  put(vmssAdminPasswordFromSecret.name, "secretsMarked", c.secretsMarked);
  for (const [policy, v] of Object.entries(c.policyConfig ?? {})) {
    out[policy] = { enforcementLevel: levelOf(policy), ...(out[policy] ?? {}), ...(typeof v === "string" ? { enforcementLevel: v } : v) };
  }
  return out as PolicyPackConfig;
}

/** A list setting: an array of strings, or a comma-separated string (as the config loader accepts). */
function strings(v: unknown): string[] | undefined {
  if (typeof v === "string") return v.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === "string").map((s) => s.trim());
  return undefined;
}

/**
 * The run config a stack's settings imply: `requiredTags` are the keys of `tags`, `consentSourcePrefixes` as set.
 * `get` returns a project key's value (short name), parsed; unreadable (encrypted) values are skipped.
 */
export function runConfigFromStack(get: (key: string) => unknown): PolicyRunConfig {
  const out: PolicyRunConfig = {};
  const tags = get("tags");
  if (isRecord(tags)) out.requiredTags = Object.keys(tags).sort();
  const prefixes = strings(get("consentSourcePrefixes"));
  if (prefixes) out.consentSourcePrefixes = prefixes;
  return out;
}

/** The same from the config the Pulumi CLI passes a policy pack (`PULUMI_CONFIG`: key -> string, JSON for structures). */
export function runConfigFromPulumiConfig(json: string | undefined): PolicyRunConfig {
  if (!json) return {};
  let all: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(json);
    all = isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
  return runConfigFromStack((key) => {
    const raw = all[`${PROJECT}:${key}`] ?? all[`${PROJECT}:config:${key}`];
    if (typeof raw !== "string") return raw;
    try {
      return /^\s*[[{]/.test(raw) ? JSON.parse(raw) : raw;
    } catch {
      return raw;
    }
  });
}
