/**
 * Reads a `Pulumi.<stack>.yaml` the way `pulumi` would hand it to the program, for offline evaluation:
 * `secure:` values cannot be decrypted here, so they become EncryptedValue (set, but unreadable), and
 * `--secret key=value` overrides supply them, marked secret, as `pulumi config set --secret [--path]` would.
 * Hostile files are refused with messages that quote no text of the file (it may hold a plaintext secret): YAML
 * problems by line, column and kind; keys that would rewrite an object's prototype; files past a size bound.
 */
import { Document, parseDocument, YAMLError } from "yaml";
import { ConfigEntry, ConfigSource, EncryptedValue, PROJECT } from "../../components/config";
import { readBoundedText, textPosition as position } from "../cli";

export interface StackFile {
  /** Fully qualified key -> entry. */
  entries: Map<string, ConfigEntry>;
  /** YAML warnings (by line and kind, no file text), for the caller to print. */
  warnings?: string[];
}

/** A stack file is a few kilobytes (an inline pfxBase64 some tens); this bounds the read (and `/dev/zero`). */
export const MAX_STACK_FILE_BYTES = 1024 * 1024;

/**
 * Keys that, used as an object key or a `--path` segment, would reach an object's prototype (`__proto__` sets it,
 * `constructor.prototype` walks to it): the program and `pulumi up` would then read different configs.
 */
export const RESERVED_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/** The YAML library's problems in our words: its own messages quote the file's text, which may be a secret. */
const YAML_PROBLEM: Record<string, string> = {
  ALIAS_PROPS: "an alias cannot have an anchor or a tag",
  BAD_ALIAS: "an alias that refers to no anchor",
  BAD_COLLECTION_TYPE: "a collection of the wrong kind for its tag",
  BAD_DIRECTIVE: "an unknown % directive",
  BAD_DQ_ESCAPE: 'a bad escape in a "..." string',
  BAD_INDENT: "bad indentation",
  BAD_PROP_ORDER: "anchor and tag in the wrong order",
  BAD_SCALAR_START: "a value that cannot start with this character (quote it)",
  BLOCK_AS_IMPLICIT_KEY: "a block value used as a key",
  BLOCK_IN_FLOW: "a block value inside [ ] or { }",
  DUPLICATE_KEY: "a key that appears twice in the same map",
  IMPOSSIBLE: "a structure YAML cannot represent",
  KEY_OVER_1024_CHARS: "a key longer than 1024 characters",
  MISSING_CHAR: "a closing quote or bracket is missing",
  MULTILINE_IMPLICIT_KEY: "a key that spans lines",
  MULTIPLE_ANCHORS: "a value with two anchors",
  MULTIPLE_DOCS: "more than one YAML document (---)",
  MULTIPLE_TAGS: "a value with two tags",
  NON_STRING_KEY: "a key that is not a string",
  RESOURCE_EXHAUSTION: "aliases that expand too far",
  TAB_AS_INDENT: "a tab used for indentation",
  TAG_RESOLVE_FAILED: "an unknown !tag",
  UNEXPECTED_TOKEN: "unexpected text",
};


/** One YAML problem as `file: line 3, column 7: bad indentation`; never the library's text. */
export function yamlProblem(e: YAMLError, text: string, fileName: string): string {
  const where = Array.isArray(e.pos) ? `${position(text, e.pos[0])}: ` : "";
  return `${fileName}: ${where}${YAML_PROBLEM[e.code] ?? "not valid YAML"}`;
}

/** Parses YAML text for a tool: the document, or an Error naming the first problem by place and kind. */
export function parseYaml(text: string, fileName: string): Document {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : "";
    throw new Error(`${yamlProblem(doc.errors[0], text, fileName)}${more}: not valid YAML`);
  }
  return doc;
}

function isSecure(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;
}

/** Sets a key as a plain data property: a `__proto__` key stays a key (they are refused anyway; this is the belt). */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Replaces `{ secure: ... }` leaves with EncryptedValue, returns the dotted paths where they were, collects reserved keys. */
function convert(v: unknown, at: string, paths: string[], reserved: string[]): unknown {
  if (isSecure(v)) {
    paths.push(at);
    return new EncryptedValue();
  }
  if (Array.isArray(v)) return v.map((x, i) => convert(x, at === "" ? String(i) : `${at}.${i}`, paths, reserved));
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const here = at === "" ? k : `${at}.${k}`;
      if (RESERVED_KEYS.includes(k)) reserved.push(here);
      put(out, k, convert(x, here, paths, reserved));
    }
    return out;
  }
  return v;
}

/** Parses stack-file text. Throws with the file name on YAML errors and reserved keys; the message quotes no value. */
export function parseStackFile(text: string, fileName = "stack file"): StackFile {
  const doc = parseYaml(text, fileName);
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch {
    // An alias without its anchor, or a billion laughs; the library's message names the alias (file text).
    throw new Error(`${fileName}: an alias (*name) refers to no anchor before it, or aliases expand too far: not valid here`);
  }
  const warnings = doc.warnings.map((w) => yamlProblem(w, text, fileName));
  const config = (js && typeof js === "object" ? (js as Record<string, unknown>).config : undefined) ?? {};
  if (typeof config !== "object" || Array.isArray(config)) throw new Error(`${fileName}: "config" must be a map`);
  const entries = new Map<string, ConfigEntry>();
  const reserved: string[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const full = key.includes(":") ? key : `${PROJECT}:${key}`;
    if (full.split(":").some((part) => RESERVED_KEYS.includes(part))) reserved.push(full);
    const paths: string[] = [];
    const nested: string[] = [];
    const converted = convert(value, "", paths, nested);
    reserved.push(...nested.map((p) => `${full}.${p}`));
    entries.set(full, { value: converted, secret: paths.length > 0, secretPaths: paths.filter((p) => p !== "") });
  }
  if (reserved.length > 0) throw new Error(`${fileName}: ${reservedProblem(reserved)}`);
  return { entries, warnings };
}

function reservedProblem(keys: string[]): string {
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(k.length > 100 ? `${k.slice(0, 100)}…` : k)).join(", ");
  const more = keys.length > 5 ? ` and ${keys.length - 5} more` : "";
  return `config key${keys.length === 1 ? "" : "s"} ${shown}${more}: ${RESERVED_KEYS.join(", ")} are not allowed as keys (they would rewrite how objects are read, so the plan and pulumi up would disagree)`;
}

/** Reads and parses a stack file, at most MAX_STACK_FILE_BYTES of it. Errors name the file, never its content. */
export function readStackFile(file: string): StackFile {
  let text: string;
  try {
    text = readBoundedText(file, MAX_STACK_FILE_BYTES, "a stack file is a few kilobytes");
  } catch (e) {
    throw new Error(`cannot read the stack file ${file} (${(e as Error).message})`);
  }
  return parseStackFile(text, file);
}

/** `--secret` problems; the message never holds the value (nor the argument, which may be only a value). */
export class SecretArgError extends Error {}

/** Applies `--secret key=value` (key fully qualified or short; a nested value by its dotted path). */
export function applySecret(sf: StackFile, assignment: string): void {
  const eq = assignment.indexOf("=");
  // The argument is not echoed: without a `=`, it may be the secret itself (a key forgotten).
  if (eq < 0) throw new SecretArgError("--secret expects <key>=<value> (the argument has no =; it is not shown, it may be a secret)");
  let key = assignment.slice(0, eq);
  const value = assignment.slice(eq + 1);
  if (key.trim() === "") throw new SecretArgError("--secret expects <key>=<value>: the key before = is empty");
  if (key.length > 200) throw new SecretArgError(`--secret: the key is ${key.length} characters long; config keys are short (e.g. ${PROJECT}:adminPassword)`);
  if (!key.includes(":")) key = `${PROJECT}:${key}`;
  const colon = key.indexOf(":");
  const namespace = key.slice(0, colon);
  const [top, ...rest] = key.slice(colon + 1).split(".");
  const segments = [namespace, top, ...rest];
  if (segments.some((s) => s === "")) throw new SecretArgError(`--secret ${JSON.stringify(key)}: a key or path segment is empty (write ${PROJECT}:certificate.password)`);
  if (segments.some((s) => RESERVED_KEYS.includes(s))) {
    throw new SecretArgError(`--secret ${JSON.stringify(key)}: ${RESERVED_KEYS.join(", ")} are not allowed as keys or path segments (they would rewrite how objects are read)`);
  }
  const full = `${namespace}:${top}`;
  const e = sf.entries.get(full) ?? { value: undefined, secret: false, secretPaths: [] };
  const paths = e.secretPaths ?? [];
  if (rest.length === 0) {
    sf.entries.set(full, { value, secret: true, secretPaths: [] });
    return;
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof EncryptedValue);
  const root: Record<string, unknown> = isObject(e.value) ? e.value : {};
  let node = root;
  for (const part of rest.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, part) ? node[part] : undefined;
    if (!isObject(next)) put(node, part, {});
    node = node[part] as Record<string, unknown>;
  }
  put(node, rest[rest.length - 1], value);
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
        for (const part of p.split(".")) v = v && typeof v === "object" && Object.prototype.hasOwnProperty.call(v, part) ? (v as Record<string, unknown>)[part] : undefined;
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
    keys: () => [...sf.entries.keys()],
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
