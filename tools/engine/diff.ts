/**
 * `--diff <old.json>`: compares two plan documents by URN, the way the engine and Azure would treat the change of each
 * resource: create, update in place, replace (the engine's rules, and the provider's from components/updateRules.ts),
 * refused (Azure rejects the change in place, so `pulumi up` would fail) or delete. Both sides are masked plans, so
 * secret leaves compare as "[secret]" (a changed secret is not visible) and are shown as "[secret]". The install
 * extension's command is compared by the settings it carries (decoded with components/installer.ts), so a changed
 * setting shows as that setting. A lower instance count is a warning: the removed instances' calls are dropped.
 */
import { scaleInWarning } from "../../components/capacity";
import { MASK } from "../../components/config";
import { isBootstrapCommand, parseBootstrapCommand } from "../../components/installer";
import { isSecretField } from "../../components/secretFields";
import { sameType } from "../../components/typeTokens";
import { rulesFor, UpdateRule } from "../../components/updateRules";
import { nameInputOf } from "./mocks";
import { at } from "./model";
import type { PlanDoc, PlanResource } from "./model";

export type ChangeKind = "create" | "update" | "replace" | "refused" | "delete";

/** Why a resource is replaced or refused: one forcing input path, the rule and where the rule comes from. */
export interface Reason {
  /** `type`, `parent` or `inputs.<path>`. */
  path: string;
  kind: "replace" | "refused";
  why: string;
  /** The page the rule comes from (absent for the engine's own rules: type, parent, name, resource group, location). */
  source?: string;
}

/** One changed input leaf: its value before and after (absent when the leaf is new or gone; "[secret]" when secret). */
export interface LeafChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

export interface Change {
  kind: ChangeKind;
  urn: string;
  type: string;
  name: string;
  /** update: the changed input paths; replace and refused: what forces it (`type`, `parent`, `inputs.<path>`). */
  paths: string[];
  /** replace and refused: one entry per forcing path. */
  reasons: Reason[];
  /** update, replace and refused: every changed input leaf, old -> new. */
  leaves: LeafChange[];
}

export interface PlanDiff {
  counts: Record<ChangeKind, number>;
  changes: Change[];
  /** What a change does besides itself, for people (a lower instance count drops calls). */
  warnings: string[];
}

export interface DiffOptions {
  /** Whether a string is or carries a secret (the evaluation's known secrets): such a leaf is shown as "[secret]". */
  isSecretValue?: (s: string) => boolean;
}

/** Input keys whose change makes Azure create a new resource: the explicit name, `*Name` inputs, resource group, location. */
export function replaceKeys(type: string, inputs: Record<string, unknown>, old: Record<string, unknown>): string[] {
  const keys = new Set<string>(["resourceGroupName", "location"]);
  const n = nameInputOf(type);
  if (n) keys.add(n);
  // displayName is a label Azure and Entra ID update in place.
  for (const k of [...Object.keys(inputs), ...Object.keys(old)]) if (/^[a-zA-Z]*Name$/.test(k) && k !== "displayName") keys.add(k);
  return [...keys].sort();
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** The `name` of each element when every element of both lists is an object with a distinct name (NSG rules, app settings). */
function names(a: unknown[], b: unknown[]): [string[], string[]] | undefined {
  const of = (xs: unknown[]): string[] | undefined => {
    const ns = xs.map((x) => (isObj(x) && typeof x.name === "string" && x.name !== "" && !/[[\]]/.test(x.name) ? x.name : undefined));
    return ns.every((n) => n !== undefined) && new Set(ns).size === ns.length ? (ns as string[]) : undefined;
  };
  const na = of(a);
  const nb = of(b);
  return na && nb && na.length + nb.length > 0 ? [na, nb] : undefined;
}

/**
 * Dotted paths where two plain JSON values differ; a whole value when one side is missing. Lists of objects keyed by
 * `name` compare by name (`securityRules[RDP].priority`), so a reordered list is no change; other lists by index.
 */
export function changedPaths(a: unknown, b: unknown, at = ""): string[] {
  if (same(a, b)) return [];
  const join = (k: string) => (at === "" ? k : `${at}.${k}`);
  if (Array.isArray(a) && Array.isArray(b)) {
    const keyed = names(a, b);
    const out: string[] = [];
    if (keyed) {
      const [na, nb] = keyed;
      const byName = new Map(b.map((x, i) => [nb[i], x]));
      for (const [i, n] of na.entries()) out.push(...changedPaths(a[i], byName.get(n), `${at}[${n}]`));
      for (const [i, n] of nb.entries()) if (!na.includes(n)) out.push(...changedPaths(undefined, b[i], `${at}[${n}]`));
      return out;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedPaths(a[i], b[i], `${at}[${i}]`));
    return out;
  }
  if (isObj(a) && isObj(b)) {
    const out: string[] = [];
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) out.push(...changedPaths(a[k], b[k], join(k)));
    return out;
  }
  return [at === "" ? "(value)" : at];
}

/** Deepest nesting a decoded bootstrap command may have (the program's is 4 levels); deeper ones stay a string. */
const MAX_DECODED_DEPTH = 8;

function depthWithin(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (typeof x !== "object" || x === null) continue;
    if (d > max) return false;
    for (const y of Array.isArray(x) ? x : Object.values(x)) stack.push([y, d + 1]);
  }
  return true;
}

/**
 * Inputs with each bootstrap command (components/installer.ts) replaced by what it carries, `{ File, SettingsBase64 }`
 * with the settings decoded: a changed setting is then a changed leaf (`...commandToExecute.SettingsBase64.windowsUpdate
 * .installDay`) instead of one long string. A command that does not decode stays as it is.
 */
export function expandBootstrapCommands(v: unknown): unknown {
  if (isBootstrapCommand(v)) {
    try {
      const { scriptFile, settings } = parseBootstrapCommand(v);
      if (typeof settings === "object" && settings !== null && depthWithin(settings, MAX_DECODED_DEPTH)) return { File: scriptFile, SettingsBase64: settings };
    } catch {
      // Not base64 JSON after all: compared as the string it is.
    }
    return v;
  }
  if (Array.isArray(v)) return v.map(expandBootstrapCommands);
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: expandBootstrapCommands(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

/** Deepest nesting of inputs a plan file may have (the program's are under 15 levels); deeper ones are refused. */
export const MAX_INPUT_DEPTH = 64;
/** Most resources a plan file may list (a stack has about 100). */
export const MAX_PLAN_RESOURCES = 100_000;

/**
 * Why a parsed JSON value is not a plan file `diffPlans` can compare (spec/cli.md shape), or undefined when it is:
 * checked up front, iteratively, so that a hostile file gets a message instead of a TypeError or a stack overflow.
 */
export function planFileProblem(doc: unknown): string | undefined {
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
  if (!isObj(doc)) return "the file is not a JSON object";
  if (!Array.isArray(doc.resources)) return 'no "resources" list';
  if (doc.resources.length > MAX_PLAN_RESOURCES) return `more than ${MAX_PLAN_RESOURCES} resources`;
  for (let i = 0; i < doc.resources.length; i++) {
    const r: unknown = doc.resources[i];
    const at = `resources[${i}]`;
    if (!isObj(r)) return `${at} is not an object`;
    for (const k of ["urn", "type", "name"]) if (typeof r[k] !== "string") return `${at}.${k} is not a string`;
    if (r.parent !== undefined && r.parent !== null && typeof r.parent !== "string") return `${at}.parent is not a string or null`;
    if (r.inputs !== undefined && !isObj(r.inputs)) return `${at}.inputs is not an object`;
    // Depth, iteratively: the comparison recurses, and JSON.stringify too.
    const stack: [unknown, number][] = [[r.inputs, 1]];
    while (stack.length > 0) {
      const [v, depth] = stack.pop()!;
      if (typeof v !== "object" || v === null) continue;
      if (depth > MAX_INPUT_DEPTH) return `${at}.inputs is nested more than ${MAX_INPUT_DEPTH} levels deep`;
      for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, depth + 1]);
    }
  }
  return undefined;
}

/** The value at a changed path (`securityRules[RDP].priority`, `zones[2]`), undefined when a step is missing. */
export function valueAt(root: unknown, changed: string): unknown {
  let v: unknown = root;
  for (const step of changed.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (step.startsWith("[")) {
      if (!Array.isArray(v)) return undefined;
      const key = step.slice(1, -1);
      v = /^\d+$/.test(key) && !v.some((x) => isObj(x) && x.name === key) ? v[Number(key)] : v.find((x) => isObj(x) && x.name === key);
    } else {
      if (!isObj(v)) return undefined;
      v = v[step];
    }
  }
  return v;
}

/** Whether a changed path runs through a secret-bearing field (`protectedSettings`, a Key Vault secret's `value`...). */
function underSecretField(type: string, changed: string): boolean {
  return (changed.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []).some((s) => !s.startsWith("[") && isSecretField(s, type));
}

/** A leaf value for people and the diff JSON: secret material is the mask, whatever the plan file held. */
function shownValue(v: unknown, secret: boolean, isSecretValue: (s: string) => boolean): unknown {
  if (v === undefined) return undefined;
  if (secret && v !== null && v !== "") return MASK;
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return typeof text === "string" && isSecretValue(text) ? MASK : v;
}

const ignoredBy = (ignored: string[], p: string) => ignored.some((i) => p === i || p.startsWith(`${i}.`) || p.startsWith(`${i}[`));

/** The rule path with each `*` filled from the changed path (`encryption.services.*.keyType` -> `...blob.keyType`). */
function concretePath(rule: UpdateRule, changed: string): string {
  const got = changed.replace(/\[[^\]]*\]/g, "").split(".");
  return rule.path.split(".").map((s, i) => (s === "*" ? got[i] : s)).join(".");
}

export function diffPlans(oldDoc: Pick<PlanDoc, "resources">, newDoc: Pick<PlanDoc, "resources">, opts: DiffOptions = {}): PlanDiff {
  const isSecretValue = opts.isSecretValue ?? (() => false);
  const before = new Map(oldDoc.resources.map((r) => [r.urn, r]));
  const after = new Map(newDoc.resources.map((r) => [r.urn, r]));
  const changes: Change[] = [];
  const entry = (kind: ChangeKind, r: PlanResource, paths: string[] = [], reasons: Reason[] = [], leaves: LeafChange[] = []): Change =>
    ({ kind, urn: r.urn, type: r.type, name: r.name, paths, reasons, leaves });
  for (const r of newDoc.resources) {
    const o = before.get(r.urn);
    if (!o) {
      changes.push(entry("create", r));
      continue;
    }
    const oldInputs = expandBootstrapCommands(o.inputs ?? {}) as Record<string, unknown>;
    const newInputs = expandBootstrapCommands(r.inputs ?? {}) as Record<string, unknown>;
    // The engine leaves ignoreChanges paths as they are in Azure: a change there is no update.
    const ignored = r.ignoreChanges ?? [];
    const paths = changedPaths(oldInputs, newInputs).filter((p) => !ignoredBy(ignored, p));
    const leaves = paths.map((p): LeafChange => {
      const secret = underSecretField(r.type, p);
      return { path: p, from: shownValue(valueAt(oldInputs, p), secret, isSecretValue), to: shownValue(valueAt(newInputs, p), secret, isSecretValue) };
    });
    const reasons: Reason[] = [];
    const add = (x: Reason) => {
      if (!reasons.some((y) => y.path === x.path && y.kind === x.kind && y.why === x.why)) reasons.push(x);
    };
    if (o.type !== r.type) add({ path: "type", kind: "replace", why: "the type changed (a new resource)" });
    if ((o.parent ?? null) !== (r.parent ?? null)) add({ path: "parent", kind: "replace", why: "the parent changed (a new URN)" });
    for (const k of replaceKeys(r.type, newInputs, oldInputs)) {
      if (!same(oldInputs[k], newInputs[k])) add({ path: `inputs.${k}`, kind: "replace", why: "it is part of the resource's identity in Azure" });
    }
    const deliberate = r.replaceOnChanges ?? [];
    for (const p of paths) {
      for (const d of deliberate) {
        if (p === d || p.startsWith(`${d}.`) || p.startsWith(`${d}[`)) add({ path: `inputs.${d}`, kind: "replace", why: "replaceOnChanges: the program replaces the resource on purpose" });
      }
      const oldAt = (rp: string) => at(oldInputs, rp);
      const newAt = (rp: string) => at(newInputs, rp);
      for (const rule of rulesFor(r.type, p, oldAt, newAt)) add({ path: `inputs.${concretePath(rule, p)}`, kind: rule.kind, why: rule.why, source: rule.source });
    }
    // A replace makes a new resource, which takes any value: what Azure refuses in place no longer matters then.
    const replacing = reasons.filter((x) => x.kind === "replace");
    const refusing = reasons.filter((x) => x.kind === "refused");
    if (replacing.length > 0) {
      changes.push(entry("replace", r, replacing.map((x) => x.path), replacing, leaves));
    } else if (refusing.length > 0) {
      changes.push(entry("refused", r, refusing.map((x) => x.path), refusing, leaves));
    } else if (paths.length > 0) {
      changes.push(entry("update", r, paths, [], leaves));
    }
  }
  for (const o of oldDoc.resources) if (!after.has(o.urn)) changes.push(entry("delete", o));
  const warnings: string[] = [];
  for (const c of changes) {
    if (c.kind !== "update" || !sameType(c.type, "azure-native:compute:VirtualMachineScaleSet")) continue;
    const capacity = c.leaves.find((l) => l.path === "sku.capacity");
    const w = capacity && typeof capacity.from === "number" && typeof capacity.to === "number" ? scaleInWarning(capacity.from, capacity.to) : undefined;
    if (w) warnings.push(`${c.name}: ${w}`);
  }
  const order: Record<ChangeKind, number> = { create: 0, replace: 1, refused: 2, update: 3, delete: 4 };
  changes.sort((a, b) => order[a.kind] - order[b.kind] || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, refused: 0, delete: 0 };
  for (const c of changes) counts[c.kind]++;
  return { counts, changes, warnings };
}

/** Terminal width the diff keeps to (a source URL is never cut: a footnote line holds nothing else). */
export const DIFF_WIDTH = 120;
/** Leaf values longer than this are cut. */
const VALUE_WIDTH = 40;
/** Leaves shown per resource; the rest are counted. */
const MAX_LEAVES = 12;

const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** Both values for people, cut to VALUE_WIDTH; two long strings that start alike are shown from where they differ. */
function shownPair(from: unknown, to: unknown): [string, string] {
  const text = (v: unknown) => (v === undefined ? "(none)" : (JSON.stringify(v) ?? String(v)));
  const a = text(from);
  const b = text(to);
  let common = 0;
  while (common < Math.min(a.length, b.length) && a[common] === b[common]) common++;
  const skip = Math.max(a.length, b.length) > VALUE_WIDTH && common > 12 ? common - 8 : 0;
  const show = (s: string) => cut(skip > 0 ? `…${s.slice(skip)}` : s, VALUE_WIDTH);
  return [show(a), show(b)];
}

/** Text in lines of at most DIFF_WIDTH, broken at spaces (a word longer than a line is cut). */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(" ")) {
    if (line !== first && line !== rest && line.length + 1 + word.length > DIFF_WIDTH) {
      lines.push(line);
      line = rest;
    }
    line += (line === first || line === rest ? "" : " ") + word;
  }
  lines.push(line);
  return lines.map((l) => cut(l, DIFF_WIDTH));
}

/** `path: old -> new`, on one line when it fits, else the values on the next line; never wider than DIFF_WIDTH. */
function leafLines(l: LeafChange, indent: string): string[] {
  const [from, to] = shownPair(l.from, l.to);
  const one = `${indent}${l.path}: ${from} -> ${to}`;
  if (one.length <= DIFF_WIDTH) return [one];
  return [cut(`${indent}${l.path}:`, DIFF_WIDTH), cut(`${indent}  ${from} -> ${to}`, DIFF_WIDTH)];
}

/**
 * The diff for people: one line per resource, its changed leaves (old -> new), and for a replace or a refused change
 * the forcing path, the rule and a footnote to its source (listed once at the end).
 */
export function renderDiff(d: PlanDiff, oldFile: string): string[] {
  const sign: Record<ChangeKind, string> = { create: "+", update: "~", replace: "+-", refused: "!", delete: "-" };
  const c = d.counts;
  const counts = `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.refused} refused by Azure`;
  const header = `Changes against ${oldFile}: ${counts}`;
  const lines = header.length <= DIFF_WIDTH ? [header] : [`Changes against ${oldFile}:`, `  ${counts}`];
  if (d.changes.length === 0) lines.push("  (no changes)");
  const indent = "        ";
  const sources: string[] = [];
  const note = (url: string) => {
    if (!sources.includes(url)) sources.push(url);
    return ` [${sources.indexOf(url) + 1}]`;
  };
  for (const ch of d.changes) {
    lines.push(cut(`  ${sign[ch.kind].padEnd(2)} ${ch.kind.padEnd(7)} ${ch.type}  ${ch.name}`, DIFF_WIDTH));
    for (const l of ch.leaves.slice(0, MAX_LEAVES)) lines.push(...leafLines(l, indent));
    if (ch.leaves.length > MAX_LEAVES) lines.push(`${indent}... and ${ch.leaves.length - MAX_LEAVES} more`);
    for (const r of ch.reasons) {
      const what = r.path.replace(/^inputs\./, "");
      const ref = r.source ? note(r.source) : "";
      lines.push(cut(r.kind === "refused" ? `${indent}Azure refuses this in place: ${what}${ref}` : `${indent}replaced because ${what} changed${ref}`, DIFF_WIDTH));
      lines.push(cut(`${indent}  ${r.why}`, DIFF_WIDTH));
    }
  }
  if (d.warnings.length > 0) lines.push("", ...d.warnings.flatMap((w) => wrap(`warning: ${w}`, "  ", "    ")));
  if (c.refused > 0) {
    const them = c.refused === 1 ? "change" : "changes";
    lines.push("", `  ${c.refused} ${them} above would fail in pulumi up: Azure refuses ${c.refused === 1 ? "it" : "them"} in place.`);
    lines.push("  Undo the config change, or make it a deliberate replace (docs/upgrading.md).");
  }
  if (sources.length > 0) lines.push("", "  Sources:", ...sources.map((u, i) => `  [${i + 1}] ${u}`));
  return lines;
}
