/**
 * The one client of Pexip Infinity's management API (https://docs.pexip.com/api_manage/api_configuration.htm), used by
 * the Pulumi dynamic provider (infinity/provider.ts) and by `npm run infinity`: HTTPS only, HTTP Basic auth, a timeout
 * per request, bounded retries with backoff on 5xx and connection errors, errors that name the object and carry the
 * API's field messages, and no secret in any error or log line. Below it, the reconcile logic: what to create, patch
 * (one PATCH per changed object) and delete (only objects this stack's marker says it made).
 *
 * This module is serialized into the Pulumi dynamic provider (closure serialization): keep it to plain functions and
 * classes over Node built-ins, with no module-level state and no imports of zod or the config loader.
 */
import type * as Crypto from "crypto";
import type * as Fs from "fs";
import type * as Https from "https";
import type * as Tls from "tls";
import type { DesiredObject, FieldValue } from "./desired";
import { isLookup, isRef, OBJECTS, typePath } from "./model";
import type { ManagedType, ObjectType } from "./model";

// ---------------------------------------------------------------------------------------------------------------
// HTTP

/* eslint-disable @typescript-eslint/no-require-imports */
// Node built-ins are required where used: the closure serializer then ships `require("https")`, not a copy of a
// module namespace object (which `import * as` makes under esModuleInterop, and which it cannot serialize).
const https = (): typeof Https => require("https");
const tls = (): typeof Tls => require("tls");
const fs = (): typeof Fs => require("fs");
const crypto = (): typeof Crypto => require("crypto");
/* eslint-enable @typescript-eslint/no-require-imports */

export interface Connection {
  /** `https://<host>[:<port>]`. */
  managementNode: string;
  username: string;
  password: string;
  /** PEM of a private CA to trust besides Node's store (which already holds NODE_EXTRA_CA_CERTS). */
  caCertificate?: string;
}

export interface ClientOptions {
  /** Per request, connect to last byte (default 15 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff (default 500 ms), doubled each retry up to maxBackoffMs (default 5 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** One line per retry (no secrets: methods, paths and reasons only). */
  log?: (line: string) => void;
  /** Further secret values to scrub from every message (the password and write-only values sent are always scrubbed). */
  secrets?: string[];
}

export type ErrorKind = "refused" | "auth" | "unreachable" | "timeout" | "invalid";

/** A failed call: `kind` says whether the API refused, refused the credentials, or could not be reached. */
export interface InfinityError extends Error {
  name: "InfinityError";
  kind: ErrorKind;
  status?: number;
  /** The API's messages per field (tastypie's 400 body), secrets masked. */
  fieldErrors: Record<string, string[]>;
}

// A plain Error with fields, not a subclass: the closure serializer loses the message of a serialized Error subclass.
export function infinityError(message: string, kind: ErrorKind, status?: number, fieldErrors: Record<string, string[]> = {}): InfinityError {
  const e = new Error(message) as InfinityError;
  e.name = "InfinityError";
  e.kind = kind;
  e.status = status;
  e.fieldErrors = fieldErrors;
  return e;
}

export function isInfinityError(e: unknown): e is InfinityError {
  return e instanceof Error && e.name === "InfinityError" && typeof (e as InfinityError).kind === "string";
}

export interface ApiObject {
  resource_uri: string;
  id?: number;
  [field: string]: unknown;
}

interface RawResponse {
  status: number;
  location?: string;
  body: unknown;
  text: string;
}

const RETRY_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED"]);

/** Node's CA store plus the extra CA; undefined keeps Node's default (bundled roots and NODE_EXTRA_CA_CERTS). */
export function trustStore(caCertificate?: string): string[] | undefined {
  if (caCertificate === undefined || caCertificate.trim() === "") return undefined;
  // Passing `ca` replaces Node's store, so start from it: "default" includes NODE_EXTRA_CA_CERTS.
  const get = (tls() as unknown as { getCACertificates?: (t: string) => string[] }).getCACertificates;
  const base = typeof get === "function" ? get("default") : [...tls().rootCertificates];
  return [...base, caCertificate];
}

function scrubber(secrets: string[]): (s: string) => string {
  const list = secrets.filter((x) => typeof x === "string" && x.length >= 4).sort((a, b) => b.length - a.length);
  return (s) => list.reduce((acc, x) => acc.split(x).join("[secret]"), s);
}

/** The API's field messages from a tastypie error body: `{ <type>: { field: [msg] } }`, `{ field: [msg] }` or `{ error }`. */
export function fieldMessages(body: unknown): { fields: Record<string, string[]>; message?: string } {
  const fields: Record<string, string[]> = {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { fields };
  const b = body as Record<string, unknown>;
  for (const k of ["error_message", "error", "detail", "message"]) {
    if (typeof b[k] === "string" && b[k] !== "") return { fields, message: b[k] as string };
  }
  const collect = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (Array.isArray(v)) fields[prefix + k] = v.map((m) => (typeof m === "string" ? m : JSON.stringify(m)));
      else if (typeof v === "string") fields[prefix + k] = [v];
      else if (typeof v === "object" && v !== null) collect(v as Record<string, unknown>, prefix === "" && k in OBJECTS ? "" : `${prefix}${k}.`);
    }
  };
  collect(b, "");
  return { fields };
}

export class InfinityClient {
  private readonly base: URL;
  private readonly ca?: string[];
  private readonly scrub: (s: string) => string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: (line: string) => void;
  private readonly auth: string;
  /** Every request made, method and path only: what tests count ("a second apply writes nothing"). */
  readonly calls: { method: string; path: string; status?: number }[];

  constructor(conn: Connection, options: ClientOptions = {}) {
    let u: URL;
    try {
      u = new URL(conn.managementNode);
    } catch {
      throw infinityError(`infinity.managementNode "${conn.managementNode}" is not a URL (expected https://<host>[:<port>])`, "invalid");
    }
    // The password travels with every request: never over plain HTTP.
    if (u.protocol !== "https:") throw infinityError(`infinity.managementNode must use https:// (got ${u.protocol}//): the API password is sent with every request`, "invalid");
    // Fields are set here, not initialized in the class body: the closure serializer drops class field initializers.
    this.calls = [];
    this.base = u;
    this.ca = trustStore(conn.caCertificate);
    this.scrub = scrubber([conn.password, ...(options.secrets ?? [])]);
    this.auth = `Basic ${Buffer.from(`${conn.username}:${conn.password}`).toString("base64")}`;
    this.timeoutMs = options.timeoutMs ?? 15000;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.log = options.log ?? (() => undefined);
  }

  /** The Management Node, for messages. */
  get host(): string {
    return this.base.host;
  }

  private once(method: string, path: string, body: unknown): Promise<RawResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<RawResponse>((resolve, reject) => {
      // Declared before use: the closure serializer cannot capture a binding used before its declaration.
      let timer: NodeJS.Timeout | undefined;
      const req = https().request({
        protocol: "https:",
        hostname: this.base.hostname.replace(/^\[|\]$/g, ""),
        port: this.base.port === "" ? 443 : Number(this.base.port),
        path,
        method,
        agent: false,
        ca: this.ca,
        headers: {
          Authorization: this.auth,
          Accept: "application/json",
          ...(payload ? { "Content-Type": "application/json", "Content-Length": String(payload.length) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown;
          try {
            parsed = text === "" ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          const loc = res.headers.location;
          resolve({ status: res.statusCode ?? 0, location: typeof loc === "string" ? loc : undefined, body: parsed, text });
        });
      });
      timer = setTimeout(() => {
        const e = new Error(`no answer within ${this.timeoutMs} ms`) as NodeJS.ErrnoException;
        e.code = "INFINITY_TIMEOUT";
        req.destroy(e);
      }, this.timeoutMs);
      req.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  /**
   * One call with retries. `what` names the object for messages (`create teams_proxy "pexip-eu"`). A POST is retried
   * only when it surely created nothing (connection refused, 502, 503); GET, PATCH and DELETE are idempotent.
   */
  async request(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, what: string, body?: unknown, extraSecrets: string[] = []): Promise<RawResponse> {
    const scrub = (s: string) => scrubber(extraSecrets)(this.scrub(s));
    const idempotent = method !== "POST";
    for (let attempt = 0; ; attempt++) {
      let res: RawResponse | undefined;
      let failure: InfinityError | undefined;
      let retriable = false;
      try {
        res = await this.once(method, path, body);
        this.calls.push({ method, path, status: res.status });
      } catch (e) {
        this.calls.push({ method, path });
        const err = e as NodeJS.ErrnoException;
        const code = err.code ?? "";
        if (code === "INFINITY_TIMEOUT") {
          failure = infinityError(`Infinity management API at ${this.host}: ${what} timed out (${err.message})`, "timeout");
          retriable = idempotent;
        } else if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
          failure = infinityError(`Infinity management API at ${this.host}: its TLS certificate is not trusted (${code}): set infinity.caCertificateFile to the CA's PEM file, or NODE_EXTRA_CA_CERTS`, "unreachable");
        } else {
          failure = infinityError(`Infinity management API at ${this.host} cannot be reached: ${what} failed (${code || err.message})`, "unreachable");
          retriable = RETRY_CODES.has(code) && (idempotent || code === "ECONNREFUSED");
        }
      }
      if (res) {
        if (res.status >= 200 && res.status < 300) return res;
        if (method === "DELETE" && res.status === 404) return res;
        if (method === "GET" && res.status === 404) return res;
        const { fields, message } = fieldMessages(res.body);
        const detail = Object.keys(fields).length > 0
          ? Object.entries(fields).map(([f, ms]) => `${f}: ${ms.join(" ")}`).join("; ")
          : message ?? (res.text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200) || "no details");
        if (res.status === 401 || res.status === 403) {
          failure = infinityError(`Infinity management API at ${this.host} refused the credentials (HTTP ${res.status}) for ${what}: check infinity.username and the password (INFINITY_PASSWORD for npm run infinity)`, "auth", res.status);
        } else {
          failure = infinityError(scrub(`Infinity management API at ${this.host} refused to ${what} (HTTP ${res.status}): ${detail}`), res.status >= 500 ? "unreachable" : "refused", res.status,
            Object.fromEntries(Object.entries(fields).map(([f, ms]) => [f, ms.map(scrub)])));
          retriable = res.status >= 500 && (idempotent || res.status === 502 || res.status === 503);
        }
      }
      if (!retriable || attempt >= this.retries) throw failure!;
      const wait = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt);
      this.log(`infinity: ${method} ${path}: ${res ? `HTTP ${res.status}` : failure!.kind}; retry ${attempt + 1} of ${this.retries} in ${wait} ms`);
      await this.sleep(wait);
    }
  }

  /** Every object of a type (following `meta.next`), optionally filtered (`{ name: "x" }`). */
  async list(type: ObjectType, filter: Record<string, string> = {}): Promise<ApiObject[]> {
    const out: ApiObject[] = [];
    const q = new URLSearchParams({ ...filter, limit: "500" });
    let path: string | null = `${typePath(type)}?${q.toString()}`;
    for (let page = 0; path && page < 200; page++) {
      const res = await this.request("GET", path, `list ${type}`);
      const body = res.body as { meta?: { next?: string | null }; objects?: ApiObject[] } | undefined;
      if (res.status === 404 || !body || !Array.isArray(body.objects)) {
        throw infinityError(`Infinity management API at ${this.host}: list ${type} did not return {meta, objects} (HTTP ${res.status}): is this a Pexip Infinity Management Node of a version with ${type}?`, "refused", res.status);
      }
      out.push(...body.objects);
      const next = body.meta?.next;
      path = typeof next === "string" && next !== "" ? pathOf(next) : null;
    }
    return out;
  }

  /** The object of that type with that name (its `name`, or `policy_name` for scheduled scaling). */
  async findByName(type: ObjectType, name: string): Promise<ApiObject | undefined> {
    const objs = await this.list(type, { [OBJECTS[type].nameField]: name });
    return objs.find((o) => o[OBJECTS[type].nameField] === name);
  }

  async get(uri: string, what: string): Promise<ApiObject | undefined> {
    const res = await this.request("GET", uri, what);
    return res.status === 404 ? undefined : (res.body as ApiObject);
  }

  /** POST; the new object's URI from `Location`. `secrets` are values in `body` to keep out of messages. */
  async create(type: ObjectType, body: Record<string, unknown>, what: string, secrets: string[] = []): Promise<string> {
    const res = await this.request("POST", typePath(type), what, body, secrets);
    const loc = res.location ?? (res.body as ApiObject | undefined)?.resource_uri;
    if (!loc) throw infinityError(`Infinity management API at ${this.host}: ${what} answered HTTP ${res.status} without a Location header`, "refused", res.status);
    return pathOf(loc);
  }

  async patch(uri: string, body: Record<string, unknown>, what: string, secrets: string[] = []): Promise<void> {
    await this.request("PATCH", uri, what, body, secrets);
  }

  /** DELETE; an object already gone is fine. */
  async remove(uri: string, what: string): Promise<void> {
    await this.request("DELETE", uri, what);
  }
}

/** `https://host/api/.../3/` or `/api/.../3/` → `/api/.../3/`. */
export function pathOf(uriOrUrl: string): string {
  if (uriOrUrl.startsWith("/")) return uriOrUrl;
  const u = new URL(uriOrUrl);
  return `${u.pathname}${u.search}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Ownership marker and comparison

/** Marks an object this stack created or adopted (in its description), so a later run may delete it. */
export function markerText(stack: string): string {
  return `Managed by pexip-teams-connector (stack ${stack})`;
}

/** A short SHA-256 fingerprint of the write-only Event Hub connection string: lets a run see it changed, reveals nothing. */
export function fingerprint(secret: string): string {
  return crypto().createHash("sha256").update(secret).digest("hex").slice(0, 12);
}

/** The description written on a managed object (with the queue fingerprint on a Teams Connector). */
export function descriptionFor(type: ManagedType, stack: string, queue?: string): string | undefined {
  if (!OBJECTS[type].hasDescription) return undefined;
  return queue === undefined ? markerText(stack) : `${markerText(stack)}; event hub ${fingerprint(queue)}`;
}

/** A value the deployment will know but this run does not (offline evaluation): never written, never compared. */
export class Pending {
  constructor(readonly what: string) {}
}
export const isPending = (v: unknown): v is Pending => v instanceof Pending;

export type Resolved = string | number | boolean | null | string[] | Pending;

/** Whether the current object is one this stack made (its marker), by type. */
export function isManaged(type: ManagedType, obj: ApiObject, stack: string, managedConnectors: Set<string>): boolean {
  if (OBJECTS[type].hasDescription) {
    const d = obj.description;
    return typeof d === "string" && (d === markerText(stack) || d.startsWith(`${markerText(stack)};`));
  }
  // Scheduled scaling has no description: its policy name is scoped by a connector this stack manages.
  const policy = String(obj.policy_name ?? "");
  const target = String(obj.resource_identifier ?? "");
  return managedConnectors.has(target) && policy.startsWith(`${target}/`);
}

function aliasList(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((a) => (typeof a === "string" ? a : String((a as { alias?: unknown }).alias ?? ""))).sort();
}

/** Whether one field already has the desired value (write-only and pending values are not comparable: equal). */
export function sameValue(type: ManagedType, field: string, desired: Resolved, current: unknown): boolean {
  if (isPending(desired)) return true;
  const spec = OBJECTS[type].fields[field];
  if (spec?.writeOnly) return true;
  if (spec?.kind === "aliases") return JSON.stringify(aliasList(desired)) === JSON.stringify(aliasList(current));
  if (spec?.kind === "uri") return (desired === null || desired === "" ? null : pathOfOrSelf(desired)) === (current === null || current === undefined || current === "" ? null : pathOfOrSelf(current));
  if (spec?.kind === "time" && typeof desired === "string" && typeof current === "string") return desired.slice(0, 5) === current.slice(0, 5) && (desired.slice(6) || "00") === (current.slice(6) || "00");
  if (spec?.kind === "string" && desired === "" && (current === null || current === undefined)) return true;
  return desired === current;
}

function pathOfOrSelf(v: unknown): unknown {
  return typeof v === "string" && /^https?:\/\//.test(v) ? pathOf(v) : v;
}

/** The value to send for a field (aliases as the API's nested objects). */
export function wireValue(type: ManagedType, field: string, v: Resolved): unknown {
  if (OBJECTS[type].fields[field]?.kind === "aliases" && Array.isArray(v)) return v.map((alias) => ({ alias }));
  return v;
}

/** A desired object with references resolved to URIs: what is written and compared. */
export interface ResolvedObject {
  key: string;
  type: ManagedType;
  name: string;
  fields: Record<string, Resolved>;
  /** Fields that refer to an object not created yet (always written). */
  unresolved: string[];
}

/**
 * Resolves `$ref` (URI of a desired object, from `uris`) and `$lookup` (URI of a system location, from `locations`),
 * and adds the ownership description. Throws when a location does not exist.
 */
export function resolveObject(o: DesiredObject<string | Pending>, stack: string, uris: Map<string, string>, locations: Map<string, string>): ResolvedObject {
  const fields: Record<string, Resolved> = {};
  const unresolved: string[] = [];
  for (const [k, v] of Object.entries(o.fields) as [string, FieldValue<string | Pending>][]) {
    if (isRef(v)) {
      const u = uris.get(v.$ref);
      if (u === undefined) unresolved.push(k);
      fields[k] = u ?? new Pending(v.$ref);
    } else if (isLookup(v)) {
      const u = locations.get(v.name);
      if (u === undefined) throw infinityError(`${o.type} "${o.name}": ${k} names the system location "${v.name}", which does not exist in Infinity (Platform > Locations)`, "refused");
      fields[k] = u;
    } else {
      fields[k] = v as Resolved;
    }
  }
  if (OBJECTS[o.type].hasDescription) {
    const q = fields.notifications_queue;
    fields.description = isPending(q) ? new Pending("the Event Hub connection string") : descriptionFor(o.type, stack, typeof q === "string" ? q : undefined) ?? "";
  }
  return { key: o.key, type: o.type, name: o.name, fields, unresolved };
}

/** The fields whose current value differs from the desired one (a pending description compares by marker only). */
export function changedFields(r: ResolvedObject, current: ApiObject, stack: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(r.fields)) {
    if (r.unresolved.includes(k)) {
      out.push(k);
      continue;
    }
    if (k === "description" && isPending(v)) {
      if (!isManaged(r.type, current, stack, new Set())) out.push(k);
      continue;
    }
    if (!sameValue(r.type, k, v, current[k])) out.push(k);
  }
  // The write-only queue is compared through the fingerprint in the description: a new one is sent with it.
  if (out.includes("description") && typeof r.fields.notifications_queue === "string") out.push("notifications_queue");
  return out;
}

/** The object's date today in its time zone, `YYYY-MM-DD` (a scaling policy's default start date). */
export function dateIn(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** The body of a POST: every desired field, plus the defaults the API requires. */
export function createBody(r: ResolvedObject, now: Date | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.fields)) {
    if (isPending(v)) throw infinityError(`cannot create ${r.type} "${r.name}": ${k} is only known after pulumi up (${v.what}); pass --outputs`, "invalid");
    body[k] = wireValue(r.type, k, v);
  }
  if (r.type === "scheduled_scaling" && body.start_date === undefined) {
    // The caller's clock (the program's, or the offline commands'): this module reads none of its own.
    if (now === undefined || Number.isNaN(now.getTime())) throw infinityError(`cannot create ${r.type} "${r.name}": no start date and no clock to take today's from`, "invalid");
    body.start_date = dateIn(now, String(body.local_timezone ?? "UTC"));
  }
  return body;
}

/** The body of a PATCH: the changed fields only. */
export function patchBody(r: ResolvedObject, changed: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of changed) {
    const v = r.fields[k];
    if (isPending(v)) throw infinityError(`cannot update ${r.type} "${r.name}": ${k} is only known after pulumi up (${v.what}); pass --outputs`, "invalid");
    body[k] = wireValue(r.type, k, v);
  }
  return body;
}

/** The values in a body that must stay out of messages (write-only fields). */
export function secretValues(type: ManagedType, body: Record<string, unknown>): string[] {
  return Object.entries(body).filter(([k, v]) => OBJECTS[type].fields[k]?.writeOnly && typeof v === "string").map(([, v]) => v as string);
}

// ---------------------------------------------------------------------------------------------------------------
// Reconcile (npm run infinity): the whole desired set against what the Management Node holds

export type Change =
  | { op: "create"; key: string; type: ManagedType; name: string; object: ResolvedObject }
  | { op: "update"; key: string; type: ManagedType; name: string; uri: string; adopt: boolean; changed: string[]; object: ResolvedObject; current: ApiObject }
  | { op: "delete"; type: ManagedType; name: string; uri: string }
  | { op: "unchanged"; key: string; type: ManagedType; name: string; uri: string };

export interface ReconcilePlan {
  changes: Change[];
  /** Writes that need a value only the deployment knows: `apply` refuses while any is listed. */
  pending: string[];
}

const nameOf = (type: ObjectType, o: ApiObject) => String(o[OBJECTS[type].nameField] ?? "");
/** Referring objects first: the order deletions run in (creations run in the desired order, the reverse). */
const DELETE_ORDER: ManagedType[] = ["scheduled_scaling", "gateway_routing_rule", "conference", "teams_proxy", "azure_tenant"];

/** Reads what the Management Node holds and lists the changes that make it the desired set. Writes nothing. */
export async function planReconcile(client: InfinityClient, desired: DesiredObject<string | Pending>[], stack: string): Promise<ReconcilePlan> {
  const current = new Map<ManagedType, ApiObject[]>();
  for (const t of DELETE_ORDER) current.set(t, await client.list(t));
  const needsLocations = desired.some((o) => Object.values(o.fields).some(isLookup));
  const locations = new Map<string, string>();
  if (needsLocations) for (const l of await client.list("system_location")) locations.set(nameOf("system_location", l), l.resource_uri);

  const byName = (t: ManagedType, n: string) => current.get(t)!.find((o) => nameOf(t, o) === n);
  const uris = new Map<string, string>();
  for (const o of desired) {
    const c = byName(o.type, o.name);
    if (c) uris.set(o.key, pathOf(c.resource_uri));
  }
  const changes: Change[] = [];
  const pending: string[] = [];
  const wanted = new Set(desired.map((o) => o.key));
  for (const o of desired) {
    const r = resolveObject(o, stack, uris, locations);
    const c = byName(o.type, o.name);
    const realPending = (keys: string[]) => keys.filter((k) => isPending(r.fields[k]) && !r.unresolved.includes(k));
    if (!c) {
      changes.push({ op: "create", key: o.key, type: o.type, name: o.name, object: r });
      for (const k of realPending(Object.keys(r.fields))) pending.push(`create ${o.type} "${o.name}": ${k}`);
      continue;
    }
    const changed = changedFields(r, c, stack);
    const adopt = !isManaged(o.type, c, stack, new Set([...desired.filter((d) => d.type === "teams_proxy").map((d) => d.name)]));
    if (changed.length === 0) changes.push({ op: "unchanged", key: o.key, type: o.type, name: o.name, uri: pathOf(c.resource_uri) });
    else {
      changes.push({ op: "update", key: o.key, type: o.type, name: o.name, uri: pathOf(c.resource_uri), adopt, changed, object: r, current: c });
      for (const k of realPending(changed)) pending.push(`update ${o.type} "${o.name}": ${k}`);
    }
  }
  // Connectors this stack manages now or made before: their scaling policies are this stack's.
  const managedConnectors = new Set<string>(desired.filter((o) => o.type === "teams_proxy").map((o) => o.name));
  for (const p of current.get("teams_proxy")!) if (isManaged("teams_proxy", p, stack, managedConnectors)) managedConnectors.add(nameOf("teams_proxy", p));
  for (const t of DELETE_ORDER) {
    for (const c of current.get(t)!) {
      const n = nameOf(t, c);
      if (!wanted.has(`${t}/${n}`) && isManaged(t, c, stack, managedConnectors)) changes.push({ op: "delete", type: t, name: n, uri: pathOf(c.resource_uri) });
    }
  }
  return { changes, pending };
}

/** Carries a plan out: creates and updates in the desired order (references resolved as objects appear), then deletes. */
export async function applyReconcile(client: InfinityClient, plan: ReconcilePlan, desired: DesiredObject<string | Pending>[], now: Date): Promise<{ written: number }> {
  if (plan.pending.length > 0) throw infinityError(`apply needs values only the deployment knows (pass --outputs with \`pulumi stack output --json --show-secrets\`): ${plan.pending.join("; ")}`, "invalid");
  const uris = new Map<string, string>();
  for (const c of plan.changes) if (c.op === "unchanged" || c.op === "update") uris.set(c.key, c.uri);
  const byKey = new Map(desired.map((o) => [o.key, o]));
  let written = 0;
  for (const c of plan.changes) {
    if (c.op !== "create" && c.op !== "update") continue;
    // Re-resolve: a reference to an object created earlier in this run now has its URI.
    const r = c.object.unresolved.length > 0 ? reResolve(c.object, byKey.get(c.key)!, uris) : c.object;
    if (c.op === "create") {
      const body = createBody(r, now);
      uris.set(c.key, await client.create(c.type, body, `create ${c.type} "${c.name}"`, secretValues(c.type, body)));
    } else {
      const body = patchBody(r, c.changed);
      await client.patch(c.uri, body, `update ${c.type} "${c.name}"`, secretValues(c.type, body));
    }
    written++;
  }
  for (const c of plan.changes) {
    if (c.op !== "delete") continue;
    await client.remove(c.uri, `delete ${c.type} "${c.name}"`);
    written++;
  }
  return { written };
}

function reResolve(r: ResolvedObject, o: DesiredObject<string | Pending>, uris: Map<string, string>): ResolvedObject {
  const fields = { ...r.fields };
  for (const k of r.unresolved) {
    const v = o.fields[k];
    if (isRef(v)) {
      const u = uris.get(v.$ref);
      if (u === undefined) throw infinityError(`${r.type} "${r.name}": ${k} refers to ${v.$ref}, which was not created`, "refused");
      fields[k] = u;
    }
  }
  return { ...r, fields, unresolved: [] };
}

/** Lines for people: what a plan would do, secrets masked, values shown old -> new. */
export function renderPlan(plan: ReconcilePlan, host: string): string[] {
  const show = (type: ManagedType, field: string, v: unknown): string => {
    if (OBJECTS[type].fields[field]?.writeOnly) return "[secret]";
    if (isPending(v)) return `(known after pulumi up: ${v.what})`;
    if (OBJECTS[type].fields[field]?.kind === "aliases") return JSON.stringify(aliasList(v));
    return JSON.stringify(v);
  };
  const lines: string[] = [];
  let unchanged = 0;
  for (const c of plan.changes) {
    if (c.op === "unchanged") unchanged++;
    else if (c.op === "create") {
      lines.push(`+ create ${c.type} "${c.name}"`);
      for (const [k, v] of Object.entries(c.object.fields)) lines.push(`    ${k}: ${c.object.unresolved.includes(k) ? "(the object created above)" : show(c.type, k, v)}`);
    } else if (c.op === "update") {
      lines.push(`~ ${c.adopt ? "adopt" : "update"} ${c.type} "${c.name}" (${c.uri})`);
      for (const k of c.changed) lines.push(`    ${k}: ${show(c.type, k, c.current[k])} -> ${c.object.unresolved.includes(k) ? "(the object created above)" : show(c.type, k, c.object.fields[k])}`);
    } else lines.push(`- delete ${c.type} "${c.name}" (${c.uri})`);
  }
  const writes = plan.changes.filter((c) => c.op !== "unchanged").length;
  lines.push(writes === 0 ? `No changes: ${unchanged} object${unchanged === 1 ? "" : "s"} on ${host} already as configured.` : `${writes} change${writes === 1 ? "" : "s"}, ${unchanged} unchanged, on ${host}.`);
  for (const p of plan.pending) lines.push(`! needs a deployment value: ${p}`);
  return lines;
}
