/**
 * `--diff <old.json>`: compares two plan documents by URN, the way the engine would classify the change of each
 * resource. Both sides are masked plans, so secret leaves compare as "[secret]" (a changed secret is not visible).
 */
import { cutEcho } from "../../components/echo";
import { nameInputOf } from "../mocks";
import type { PlanDoc, PlanResource } from "./model";

export type ChangeKind = "create" | "update" | "replace" | "delete";

export interface Change {
  kind: ChangeKind;
  urn: string;
  type: string;
  name: string;
  /** update: the changed input paths; replace: what forces the replacement (`type`, `parent`, `inputs.location`...). */
  paths: string[];
}

export interface PlanDiff {
  counts: Record<ChangeKind, number>;
  changes: Change[];
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

/** Dotted paths (arrays as `[i]`) where two plain JSON values differ; a whole value when one side is missing. */
export function changedPaths(a: unknown, b: unknown, at = ""): string[] {
  if (same(a, b)) return [];
  const join = (k: string) => (at === "" ? k : `${at}.${k}`);
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedPaths(a[i], b[i], `${at}[${i}]`));
    return out;
  }
  const isObj = (x: unknown) => typeof x === "object" && x !== null && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const out: string[] = [];
    for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) out.push(...changedPaths(ra[k], rb[k], join(k)));
    return out;
  }
  return [at === "" ? "(value)" : at];
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

export function diffPlans(oldDoc: Pick<PlanDoc, "resources">, newDoc: Pick<PlanDoc, "resources">): PlanDiff {
  const before = new Map(oldDoc.resources.map((r) => [r.urn, r]));
  const after = new Map(newDoc.resources.map((r) => [r.urn, r]));
  const changes: Change[] = [];
  const entry = (kind: ChangeKind, r: PlanResource, paths: string[] = []): Change => ({ kind, urn: r.urn, type: r.type, name: r.name, paths });
  for (const r of newDoc.resources) {
    const o = before.get(r.urn);
    if (!o) {
      changes.push(entry("create", r));
      continue;
    }
    const forced: string[] = [];
    if (o.type !== r.type) forced.push("type");
    if ((o.parent ?? null) !== (r.parent ?? null)) forced.push("parent");
    for (const k of replaceKeys(r.type, r.inputs ?? {}, o.inputs ?? {})) {
      if (!same(o.inputs?.[k], r.inputs?.[k])) forced.push(`inputs.${k}`);
    }
    if (forced.length > 0) {
      changes.push(entry("replace", r, forced));
      continue;
    }
    // The engine leaves ignoreChanges paths as they are in Azure: a change there is no update.
    const ignored = r.ignoreChanges ?? [];
    const paths = changedPaths(o.inputs ?? {}, r.inputs ?? {}).filter((p) => !ignored.some((i) => p === i || p.startsWith(`${i}.`) || p.startsWith(`${i}[`)));
    if (paths.length > 0) changes.push(entry("update", r, paths));
  }
  for (const o of oldDoc.resources) if (!after.has(o.urn)) changes.push(entry("delete", o));
  const order: Record<ChangeKind, number> = { create: 0, replace: 1, update: 2, delete: 3 };
  changes.sort((a, b) => order[a.kind] - order[b.kind] || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const c of changes) counts[c.kind]++;
  return { counts, changes };
}

/** The diff for people: one line per resource, changed paths indented below. */
export function renderDiff(d: PlanDiff, oldFile: string): string[] {
  const sign: Record<ChangeKind, string> = { create: "+", update: "~", replace: "+-", delete: "-" };
  const lines = [`Changes against ${oldFile}: ${d.counts.create} to create, ${d.counts.update} to update, ${d.counts.replace} to replace, ${d.counts.delete} to delete`];
  if (d.changes.length === 0) lines.push("  (no changes)");
  for (const c of d.changes) {
    // Cut: names and paths may come from an earlier plan file someone else wrote.
    lines.push(`  ${sign[c.kind].padEnd(2)} ${c.kind.padEnd(7)} ${cutEcho(c.type)}  ${cutEcho(c.name)}`);
    if (c.kind === "replace") lines.push(`        because ${c.paths.map((p) => cutEcho(p)).join(", ")} changed`);
    if (c.kind === "update") for (const p of c.paths.slice(0, 12)) lines.push(`        ${cutEcho(p)}`);
    if (c.kind === "update" && c.paths.length > 12) lines.push(`        ... and ${c.paths.length - 12} more`);
  }
  return lines;
}
