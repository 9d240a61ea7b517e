/**
 * Turns wire-form values (secret, asset and resource-reference markers as the SDK serializes them) into the plan's
 * plain JSON with every secret replaced by "[secret]" (spec/cli.md). Pure functions: no Pulumi SDK needed.
 *
 * Masking goes by where a value is secret, never by searching unrelated text: a secret-marked value (its leaves that
 * are, or carry, a known secret; the whole of a secret-marked scalar), and every leaf under a secret-bearing field
 * (components/secretFields.ts). A string elsewhere that happens to contain a short secret (a PFX password `teams` in
 * `pexip-teams-connector`) is left alone: rewriting it would corrupt the output and reveal the secret by position.
 */
import * as path from "path";
import { MASK } from "../../components/config";
import { isSecretField } from "../../components/secretFields";
import { ARCHIVE_SIG, ASSET_SIG, isSecretMarker, RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN } from "./mocks";

/**
 * Inside a secret-marked value, a leaf that contains a known secret at least this long is masked whole; shorter
 * secrets mask a leaf only when equal to it. 8 is the shortest admin password Azure takes; generated secrets are
 * longer; what is shorter (a PFX password) would match unrelated words.
 */
export const MIN_SUBSTRING_SECRET = 8;

/** In free text (error messages, logs), secrets shorter than this are not searched for: any text would be mangled. */
export const MIN_TEXT_SECRET = 4;

/** Characters that continue a word: a secret next to one is part of something else (`pexip-teams-connector`). */
const WORD_CHAR = /[\p{L}\p{N}_\-.\/@+~%:]/u;


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

/** What masking knows: every secret value of the evaluation, longest first (so a secret inside another masks too). */
export class SecretSet {
  private readonly values: string[];
  private readonly exact: Set<string>;
  constructor(values: Iterable<string>) {
    const all = [...new Set([...values].filter((s) => typeof s === "string" && s !== ""))];
    this.exact = new Set(all);
    this.values = all.sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  }
  /** Whether a string is a known secret, or contains one long enough to be told apart from ordinary words. */
  leaks(s: string): boolean {
    return this.exact.has(s) || this.values.some((v) => v.length >= MIN_SUBSTRING_SECRET && s.includes(v));
  }
  /** Whether a string contains a known secret of at least MIN_SUBSTRING_SECRET characters (too long to be chance). */
  carriesLong(s: string): boolean {
    return this.values.some((v) => v.length >= MIN_SUBSTRING_SECRET && s.includes(v));
  }
  /**
   * Free text (an error message, a log line, a policy message): each known secret that stands as a word of its own
   * (quoted, after `=` or a space, at a sentence's end) becomes "[secret]"; inside a longer word it is left alone.
   */
  scrub(s: string): string {
    let out = s;
    for (const v of this.values) {
      if (v.length < MIN_TEXT_SECRET) continue;
      out = scrubWord(out, v);
      const escaped = JSON.stringify(v).slice(1, -1);
      if (escaped !== v) out = scrubWord(out, escaped);
    }
    return out;
  }
  get size(): number {
    return this.values.length;
  }
}

/** Replaces the occurrences of `word` in `text` that no word character touches (a trailing `.,;:!?` is punctuation). */
function scrubWord(text: string, word: string): string {
  let out = "";
  let from = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (i < from) continue;
    const before = i === 0 ? "" : text[i - 1];
    const after = text[i + word.length] ?? "";
    const afterNext = text[i + word.length + 1] ?? "";
    const endsWord = after === "" || !WORD_CHAR.test(after) || (/[.,;:!?]/.test(after) && (afterNext === "" || !WORD_CHAR.test(afterNext)));
    if ((before === "" || !WORD_CHAR.test(before)) && endsWord) {
      out += text.slice(from, i) + MASK;
      from = i + word.length;
    }
  }
  return out + text.slice(from);
}

export interface PlainOptions {
  /** Resource type (for type-specific secret fields). */
  type?: string;
  /** Project directory: asset paths are shown relative to it. */
  projectDir: string;
  /**
   * Collects the paths of unmarked leaves that carried a known secret of MIN_SUBSTRING_SECRET or more characters
   * (masked all the same): a program that let a secret lose its marking, which the plan reports.
   */
  strays?: string[];
}

/** A wire value as plan JSON: masked, markers resolved, object keys sorted (their order carries no meaning). */
export function toPlain(v: unknown, secrets: SecretSet, o: PlainOptions, inSecret = false, underSecretField = false, at = ""): unknown {
  if (isSecretMarker(v)) {
    const inner = v.value;
    // A secret marker around a primitive is the secret itself; around an object, keep the structure visible.
    if (inner === null || typeof inner !== "object") return MASK;
    return toPlain(inner, secrets, o, true, underSecretField, at);
  }
  if (Array.isArray(v)) return v.map((x, i) => toPlain(x, secrets, o, inSecret, underSecretField, `${at}[${i}]`));
  if (typeof v === "object" && v !== null) {
    const rec = v as Record<string, unknown>;
    if (isMarker(rec, ASSET_SIG) || isMarker(rec, ARCHIVE_SIG)) {
      const kind = isMarker(rec, ASSET_SIG) ? "asset" : "archive";
      if (typeof rec.path === "string") {
        const rel = path.isAbsolute(rec.path) ? path.relative(o.projectDir, rec.path) : rec.path;
        return { [kind]: "file", path: rel.split(path.sep).join("/") };
      }
      if (typeof rec.uri === "string") return { [kind]: "remote", uri: leaf(rec.uri, secrets, o, inSecret, underSecretField, `${at}.uri`) };
      if (typeof rec.text === "string") return { [kind]: "string", text: inSecret || underSecretField ? MASK : leaf(rec.text, secrets, o, false, false, `${at}.text`) };
      return { [kind]: "assets" };
    }
    if (isMarker(rec, RESOURCE_SIG)) return String(rec.urn ?? "");
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(rec).sort()) {
      const value = toPlain(rec[k], secrets, o, inSecret, underSecretField || isSecretField(k, o.type), at === "" ? k : `${at}.${k}`);
      // defineProperty: a key named `__proto__` stays a key instead of becoming the object's prototype.
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (v === undefined) return null;
  if (v === UNKNOWN) return "(known after apply)";
  return leaf(v, secrets, o, inSecret, underSecretField, at);
}

/** One scalar: masked under a secret-bearing field, or where it is (or carries) a known secret inside a secret value. */
function leaf(v: unknown, secrets: SecretSet, o: PlainOptions, inSecret: boolean, underSecretField: boolean, at: string): unknown {
  if (underSecretField && v !== null && v !== "") return MASK;
  if (typeof v !== "string") return v;
  // Inside a secret-marked value: a leaf that carries a known secret is secret material (spec/cli.md).
  if (inSecret) return secrets.leaks(v) ? MASK : v;
  // Outside: only a long secret counts (a short one would match unrelated words), and the program is at fault.
  if (secrets.carriesLong(v)) {
    o.strays?.push(at);
    return MASK;
  }
  return v;
}

/**
 * A wire value as the policies get it on the plan path: real values (nothing masked), asset and resource markers
 * resolved as in the plan file, secret markers kept in the SDK's `{sig, value}` form, which the policy runner reads
 * the way it reads a stack export (policy/runner.ts markSecrets): a secret stays recognisable as one.
 */
export function toPolicyValue(v: unknown, projectDir: string): unknown {
  if (isSecretMarker(v)) return { [SIG_KEY]: SECRET_SIG, value: toPolicyValue(v.value, projectDir) };
  if (Array.isArray(v)) return v.map((x) => toPolicyValue(x, projectDir));
  if (typeof v === "object" && v !== null) {
    const rec = v as Record<string, unknown>;
    if (isMarker(rec, ASSET_SIG) || isMarker(rec, ARCHIVE_SIG) || isMarker(rec, RESOURCE_SIG)) return toPlain(rec, new SecretSet([]), { projectDir });
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(rec)) Object.defineProperty(out, k, { value: toPolicyValue(rec[k], projectDir), enumerable: true, writable: true, configurable: true });
    return out;
  }
  if (v === undefined) return null;
  if (v === UNKNOWN) return "(known after apply)";
  return v;
}

