/**
 * Reads a `Pulumi.<stack>.yaml` the way `pulumi` would hand it to the program, for offline evaluation:
 * `secure:` values cannot be decrypted here, so they become EncryptedValue (set, but unreadable), and
 * `--secret key=value` overrides supply them, marked secret, as `pulumi config set --secret [--path]` would.
 */
import * as fs from "fs";
import { parse } from "yaml";
import { ConfigEntry, ConfigSource, EncryptedValue, PROJECT } from "../components/config";

export interface StackFile {
  /** Fully qualified key -> entry. */
  entries: Map<string, ConfigEntry>;
}

function isSecure(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;
}

/** Replaces `{ secure: ... }` leaves with EncryptedValue and returns the dotted paths where they were. */
function convert(v: unknown, at: string, paths: string[]): unknown {
  if (isSecure(v)) {
    paths.push(at);
    return new EncryptedValue();
  }
  if (Array.isArray(v)) return v.map((x, i) => convert(x, at === "" ? String(i) : `${at}.${i}`, paths));
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = convert(x, at === "" ? k : `${at}.${k}`, paths);
    return out;
  }
  return v;
}

/** Parses stack-file text. Throws with the file name on YAML errors. */
export function parseStackFile(text: string, fileName = "stack file"): StackFile {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new Error(`${fileName}: not valid YAML: ${(e as Error).message}`);
  }
  const config = (doc && typeof doc === "object" ? (doc as Record<string, unknown>).config : undefined) ?? {};
  if (typeof config !== "object" || Array.isArray(config)) throw new Error(`${fileName}: "config" must be a map`);
  const entries = new Map<string, ConfigEntry>();
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const full = key.includes(":") ? key : `${PROJECT}:${key}`;
    const paths: string[] = [];
    const converted = convert(value, "", paths);
    entries.set(full, { value: converted, secret: paths.length > 0, secretPaths: paths.filter((p) => p !== "") });
  }
  return { entries };
}

export function readStackFile(file: string): StackFile {
  return parseStackFile(fs.readFileSync(file, "utf8"), file);
}

/** Applies `--secret key=value` (key fully qualified or short; a nested value by its dotted path). */
export function applySecret(sf: StackFile, assignment: string): void {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw new Error(`--secret expects <key>=<value>, got "${assignment.replace(/=.*/, "=...")}"`);
  let key = assignment.slice(0, eq);
  const value = assignment.slice(eq + 1);
  if (!key.includes(":")) key = `${PROJECT}:${key}`;
  const colon = key.indexOf(":");
  const [top, ...rest] = key.slice(colon + 1).split(".");
  const full = `${key.slice(0, colon)}:${top}`;
  const e = sf.entries.get(full) ?? { value: undefined, secret: false, secretPaths: [] };
  const paths = e.secretPaths ?? [];
  if (rest.length === 0) {
    sf.entries.set(full, { value, secret: true, secretPaths: [] });
    return;
  }
  const root: Record<string, unknown> = typeof e.value === "object" && e.value !== null && !(e.value instanceof EncryptedValue) ? (e.value as Record<string, unknown>) : {};
  let node = root;
  for (const part of rest.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[rest[rest.length - 1]] = value;
  const p = rest.join(".");
  sf.entries.set(full, { value: root, secret: true, secretPaths: paths.includes(p) ? paths : [...paths, p] });
}

/** Every value supplied in plaintext that is secret: what the plan must mask wherever it shows up. */
export function plaintextSecrets(sf: StackFile): string[] {
  const out: string[] = [];
  for (const e of sf.entries.values()) {
    if (!e.secret) continue;
    if (e.secretPaths && e.secretPaths.length > 0) {
      for (const p of e.secretPaths) {
        let v: unknown = e.value;
        for (const part of p.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
        if (typeof v === "string" && v !== "") out.push(v);
      }
    } else if (typeof e.value === "string" && e.value !== "") out.push(e.value);
  }
  return out;
}

export function stackFileSource(sf: StackFile): ConfigSource {
  return {
    get: (key) => sf.entries.get(key),
    projectKeys: () => [...sf.entries.keys()].filter((k) => k.startsWith(`${PROJECT}:`)),
  };
}

/** The config as `pulumi.runtime.setAllConfig` takes it (JSON for structured values), and its secret keys. */
export function toRuntimeConfig(sf: StackFile): { config: Record<string, string>; secretKeys: string[] } {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const plain = (v: unknown): unknown =>
    v instanceof EncryptedValue ? "" : Array.isArray(v) ? v.map(plain) : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;
  for (const [k, e] of sf.entries) {
    const v = plain(e.value);
    config[k] = typeof v === "string" ? v : JSON.stringify(v);
    if (e.secret) secretKeys.push(k);
  }
  return { config, secretKeys };
}
