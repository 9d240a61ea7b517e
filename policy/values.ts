/**
 * Small readers shared by the policies. Policies see resource inputs as plain JSON (the engine unwraps secrets and
 * the offline runner hands over plan or stack-export files), so every reader tolerates missing, mistyped and masked
 * values instead of trusting the azure-native argument types.
 */
import { MASK } from "../components/config";

/** The plan's mask for a secret leaf (`spec/cli.md`): the value came from a secret. */
export const SECRET_MASK = MASK;

/** A plain object (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value at a dotted path (`virtualMachineProfile.osProfile.adminPassword`), undefined when any step is missing. */
export function at(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const part of path.split(".")) {
    if (!isRecord(v)) return undefined;
    v = v[part];
  }
  return v;
}

/** The entries of an array property, [] when missing or not an array. */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Case-insensitive string comparison; false for non-strings. */
export function same(v: unknown, expected: string): boolean {
  return typeof v === "string" && v.trim().toLowerCase() === expected.toLowerCase();
}

/** A value for messages: strings quoted, the rest as JSON, "not set" for undefined/null. */
export function show(v: unknown): string {
  if (v === undefined || v === null) return "not set";
  return JSON.stringify(v);
}

/** The value stood for a secret here: the plan's mask (the offline runner also turns stack-export ciphertext into it). */
export function isMasked(v: unknown): boolean {
  return v === SECRET_MASK;
}

/** `major.minor` of a TLS setting in any of Azure's spellings (`TLS1_2`, `1.2`, `Tls12`), undefined when unreadable. */
export function tlsVersion(v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  const m = /(\d)[._]?(\d)/.exec(v);
  return m ? Number(m[1]) + Number(m[2]) / 10 : undefined;
}
