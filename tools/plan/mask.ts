/**
 * Turns wire-form values (secret, asset and resource-reference markers as the SDK serializes them) into the plan's
 * plain JSON with every secret replaced by "[secret]" (spec/cli.md). Pure functions: no Pulumi SDK needed.
 */
import * as path from "path";
import { MASK } from "../../components/config";
import { isSecretField } from "../../components/secretFields";
import { ARCHIVE_SIG, ASSET_SIG, isSecretMarker, RESOURCE_SIG, SIG_KEY, UNKNOWN } from "../mocks";

/** Secret-marked strings shorter than this are masked where marked but not searched for as substrings elsewhere. */
export const MIN_SUBSTRING_SECRET = 4;


function isMarker(v: unknown, sig: string): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === sig;
}

/**
 * Collects the secret values a wire-form value carries: every primitive a secret marker wraps directly, and every
 * leaf under a secret-bearing field (also inside a secret-marked object, whose other leaves are not secret material).
 */
export function collectSecrets(v: unknown, out: Set<string>, type?: string, underSecretField = false): void {
  if (isSecretMarker(v)) {
    const inner = v.value;
    // Only strings are searched for elsewhere: a secret `true` or `3` would otherwise mask every such value.
    if (typeof inner === "string") {
      if (inner !== "") out.add(inner);
      return;
    }
    if (inner === null || typeof inner !== "object") return;
    collectSecrets(inner, out, type, underSecretField);
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) collectSecrets(x, out, type, underSecretField);
    return;
  }
  if (typeof v === "object" && v !== null) {
    if (isMarker(v, ASSET_SIG) || isMarker(v, ARCHIVE_SIG) || isMarker(v, RESOURCE_SIG)) return;
    for (const [k, x] of Object.entries(v)) collectSecrets(x, out, type, underSecretField || isSecretField(k, type));
    return;
  }
  if (underSecretField && typeof v === "string" && v !== "") out.add(v);
}

/** What masking knows: every secret value of the evaluation, longest first (so substrings of other secrets mask too). */
export class SecretSet {
  private readonly values: string[];
  constructor(values: Iterable<string>) {
    this.values = [...new Set([...values].filter((s) => s.length >= MIN_SUBSTRING_SECRET))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  }
  /** Whether a string is, or contains, a known secret. */
  leaks(s: string): boolean {
    return this.values.some((v) => s.includes(v));
  }
  /** Replaces every occurrence of a known secret inside free text (terminal output, error messages). */
  scrub(s: string): string {
    let out = s;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }
  get size(): number {
    return this.values.length;
  }
}

export interface PlainOptions {
  /** Resource type (for type-specific secret fields). */
  type?: string;
  /** Project directory: asset paths are shown relative to it. */
  projectDir: string;
}

/** A wire value as plan JSON: masked, markers resolved, object keys sorted (their order carries no meaning). */
export function toPlain(v: unknown, secrets: SecretSet, o: PlainOptions, inSecret = false, underSecretField = false): unknown {
  if (isSecretMarker(v)) {
    const inner = v.value;
    // A secret marker around a primitive is the secret itself; around an object, keep the structure visible.
    if (inner === null || typeof inner !== "object") return MASK;
    return toPlain(inner, secrets, o, true, underSecretField);
  }
  if (Array.isArray(v)) return v.map((x) => toPlain(x, secrets, o, inSecret, underSecretField));
  if (typeof v === "object" && v !== null) {
    const rec = v as Record<string, unknown>;
    if (isMarker(rec, ASSET_SIG) || isMarker(rec, ARCHIVE_SIG)) {
      const kind = isMarker(rec, ASSET_SIG) ? "asset" : "archive";
      if (typeof rec.path === "string") {
        const rel = path.isAbsolute(rec.path) ? path.relative(o.projectDir, rec.path) : rec.path;
        return { [kind]: "file", path: rel.split(path.sep).join("/") };
      }
      if (typeof rec.uri === "string") return { [kind]: "remote", uri: secrets.leaks(rec.uri) ? MASK : rec.uri };
      if (typeof rec.text === "string") return { [kind]: "string", text: inSecret || underSecretField || secrets.leaks(rec.text) ? MASK : rec.text };
      return { [kind]: "assets" };
    }
    if (isMarker(rec, RESOURCE_SIG)) return String(rec.urn ?? "");
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(rec).sort()) {
      out[k] = toPlain(rec[k], secrets, o, inSecret, underSecretField || isSecretField(k, o.type));
    }
    return out;
  }
  if (v === undefined) return null;
  if (v === UNKNOWN) return "(known after apply)";
  if (underSecretField && v !== null && v !== "") return MASK;
  if (typeof v === "string" && secrets.leaks(v)) return MASK;
  return v;
}

/** JSON with sorted object keys, two-space indented, newline-terminated: the same input gives the same bytes. */
export function stableJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (typeof x === "object" && x !== null) {
      const rec = x as Record<string, unknown>;
      return Object.fromEntries(Object.keys(rec).sort().map((k) => [k, sort(rec[k])]));
    }
    return x;
  };
  return JSON.stringify(sort(v), null, 2) + "\n";
}
