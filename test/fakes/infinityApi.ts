/**
 * A local fake of Pexip Infinity's management API (configuration objects only), over HTTPS on 127.0.0.1 with a
 * self-signed certificate made in-process. It enforces the fields and types of components/infinity/model.ts the way
 * Infinity's tastypie API answers: an unknown or mistyped field is a 400 `{ "<object>": { "<field>": ["message"] } }`.
 * Lists carry `meta` and `objects` and filter by `?<field>=`; POST answers 201 with `Location`; PATCH and DELETE;
 * HTTP Basic auth (401); faults to inject: HTTP errors for the next N requests, and a delay.
 */
import * as crypto from "crypto";
import * as https from "https";
import type { AddressInfo } from "net";
import { makeCert, rsaKey } from "../fixtures/certificates";
import { CONFIG_PATH, isObjectUri, OBJECTS, ObjectType } from "../../components/infinity/model";

export interface FakeRequest {
  method: string;
  path: string;
  body?: Record<string, unknown>;
  status: number;
}

interface Stored {
  type: ObjectType;
  id: number;
  data: Record<string, unknown>;
}

export interface FakeOptions {
  username?: string;
  password?: string;
}

let cached: { key: string; cert: string } | undefined;

/**
 * A self-signed certificate for 127.0.0.1 (also its own CA), from the suite's certificate fixture. TLS judges it by
 * the machine's clock, which the suite does not read: its validity spans 2000 to 2099 instead.
 */
export function selfSignedCertificate(): { key: string; cert: string } {
  if (cached) return cached;
  const key = rsaKey("fake-infinity");
  const cert = makeCert({
    cn: "fake-infinity-management-node", ips: ["127.0.0.1"], dns: ["localhost"], key, ca: true, serverAuth: true,
    notBefore: new Date(Date.UTC(2000, 0, 1)), notAfter: new Date(Date.UTC(2099, 11, 31)),
  });
  cached = { key: key.export({ type: "pkcs8", format: "pem" }).toString(), cert };
  return cached;
}

// Defaults the API fills in for fields a POST leaves out (terraform-provider-infinity schema defaults).
const DEFAULTS: Partial<Record<ObjectType, Record<string, unknown>>> = {
  teams_proxy: { port: 443, min_number_of_instances: 1, notifications_enabled: false },
  conference: { service_type: "conference", two_stage_dial_type: "regular", live_captions_enabled: "default" },
  gateway_routing_rule: {
    enable: true, called_device_type: "external", outgoing_protocol: "sip", call_type: "video", match_incoming_calls: true, match_incoming_sip: true,
    match_incoming_h323: true, match_incoming_mssip: true, match_incoming_webrtc: true, denoise_audio: true, live_captions_enabled: "default",
  },
  scheduled_scaling: { enabled: true, instances_to_add: 0, minutes_in_advance: 20, local_timezone: "UTC" },
};

const label = (type: ObjectType) => type.split("_").map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");

export class FakeInfinity {
  readonly requests: FakeRequest[] = [];
  private readonly store = new Map<string, Stored>();
  private nextId = 1;
  private server?: https.Server;
  private faults: { status: number; remaining: number }[] = [];
  private delayMs = 0;
  private delayCount = 0;
  private readonly waits = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  readonly username: string;
  readonly password: string;
  readonly certificate: { key: string; cert: string };
  port = 0;

  constructor(options: FakeOptions = {}) {
    this.username = options.username ?? "admin";
    this.password = options.password ?? "fake-admin-password-1234";
    this.certificate = selfSignedCertificate();
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Only the writes (POST, PATCH, DELETE) that reached a handler, in order. */
  get writes(): FakeRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  async start(): Promise<this> {
    this.server = https.createServer({ key: this.certificate.key, cert: this.certificate.cert }, (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const w of this.waits) {
      clearTimeout(w.timer);
      w.done();
    }
    this.waits.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** The next `count` requests answer `status` (then normal service resumes). */
  failNext(count: number, status = 503): void {
    this.faults.push({ status, remaining: count });
  }

  /** The next `count` requests wait `ms` before being answered. */
  delayNext(count: number, ms: number): void {
    this.delayCount = count;
    this.delayMs = ms;
  }

  /** Puts an object in place as if an administrator had made it; returns its URI. */
  seed(type: ObjectType, data: Record<string, unknown>): string {
    const id = this.nextId++;
    const uri = `${CONFIG_PATH}${type}/${id}/`;
    this.store.set(uri, { type, id, data: this.normalize(type, { ...(DEFAULTS[type] ?? {}), ...data }, uri) });
    return uri;
  }

  /** Every stored object of a type, as GET returns it. */
  objects(type: ObjectType): Record<string, unknown>[] {
    return [...this.store.entries()].filter(([, s]) => s.type === type).map(([uri, s]) => this.view(uri, s));
  }

  /** An object's stored data, write-only fields included (what tests check the secret against). */
  raw(uri: string): Record<string, unknown> | undefined {
    return this.store.get(uri)?.data;
  }

  private view(uri: string, s: Stored): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, spec] of Object.entries(OBJECTS[s.type].fields)) {
      if (spec.writeOnly) out[k] = null;
      else if (k in s.data) out[k] = s.data[k];
      else out[k] = spec.kind === "boolean" ? false : spec.kind === "aliases" || spec.kind === "list" ? [] : spec.nullable || spec.kind === "uri" ? null : spec.kind === "integer" ? 0 : "";
    }
    out.id = s.id;
    out.resource_uri = uri;
    if (s.type === "conference") out.aliases = ((s.data.aliases as { alias: string }[] | undefined) ?? []).map((a, i) => ({ alias: a.alias, conference: uri, description: "", id: s.id * 100 + i }));
    return out;
  }

  private normalize(type: ObjectType, data: Record<string, unknown>, uri: string): Record<string, unknown> {
    const out = { ...data };
    if (type === "conference" && Array.isArray(out.aliases)) out.aliases = (out.aliases as unknown[]).map((a) => (typeof a === "string" ? { alias: a } : { alias: (a as { alias: string }).alias }));
    if (type === "teams_proxy") {
      const q = out.notifications_queue;
      const m = typeof q === "string" ? /Endpoint=sb:\/\/([^./;]+)/.exec(q) : null;
      out.eventhub_id = m ? m[1] : null;
    }
    if (type === "scheduled_scaling") {
      for (const k of ["time_from", "time_to"]) if (typeof out[k] === "string" && /^\d\d:\d\d$/.test(out[k] as string)) out[k] = `${out[k]}:00`;
    }
    void uri;
    return out;
  }

  /** Field errors of a write, tastypie-style; `partial` for PATCH (required fields may be absent). */
  private validate(type: ObjectType, body: Record<string, unknown>, partial: boolean, self?: string): Record<string, string[]> {
    const errors: Record<string, string[]> = {};
    const add = (f: string, m: string) => (errors[f] ??= []).push(m);
    const spec = OBJECTS[type];
    for (const [k, v] of Object.entries(body)) {
      const f = spec.fields[k];
      if (!f) {
        add(k, `Unknown field: ${type} has no field "${k}".`);
        continue;
      }
      if (f.readOnly) {
        add(k, "This field is read-only.");
        continue;
      }
      if (v === null) {
        if (!f.nullable) add(k, "This field cannot be null.");
        continue;
      }
      switch (f.kind) {
        case "string":
          if (typeof v !== "string") add(k, "Enter a valid string.");
          else if (f.maxLength !== undefined && v.length > f.maxLength) add(k, `Ensure this value has at most ${f.maxLength} characters (it has ${v.length}).`);
          else if (f.choices && !f.choices.includes(v)) add(k, `Select a valid choice. ${v} is not one of the available choices.`);
          break;
        case "integer":
          if (typeof v !== "number" || !Number.isInteger(v)) add(k, "Enter a whole number.");
          else if (f.min !== undefined && v < f.min) add(k, `Ensure this value is greater than or equal to ${f.min}.`);
          else if (f.max !== undefined && v > f.max) add(k, `Ensure this value is less than or equal to ${f.max}.`);
          break;
        case "boolean":
          if (typeof v !== "boolean") add(k, `'${String(v)}' value must be either True or False.`);
          break;
        case "date":
          if (typeof v !== "string" || !/^\d{4}-\d\d-\d\d$/.test(v)) add(k, "Enter a valid date.");
          break;
        case "time":
          if (typeof v !== "string" || !/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(v)) add(k, "Enter a valid time.");
          break;
        case "uri":
          if (!isObjectUri(v, f.ref) || !this.store.has(v)) add(k, `Could not find the provided object via resource URI '${String(v)}'.`);
          break;
        case "aliases":
          if (!Array.isArray(v) || v.some((a) => typeof a !== "object" || a === null || typeof (a as { alias?: unknown }).alias !== "string")) add(k, "Enter a list of {\"alias\": ...} objects.");
          else {
            for (const a of v as { alias: string }[]) {
              const taken = [...this.store.entries()].some(([u, s]) => u !== self && s.type === "conference" && ((s.data.aliases as { alias: string }[] | undefined) ?? []).some((x) => x.alias === a.alias));
              if (taken) add(k, `Conference alias with this Alias ${a.alias} already exists.`);
            }
          }
          break;
        case "list":
          if (!Array.isArray(v)) add(k, "Enter a list.");
          break;
        default:
          add(k, "This field cannot be written.");
      }
    }
    if (!partial) for (const r of spec.required) if (body[r] === undefined || body[r] === "") add(r, "This field is required.");
    const nameField = spec.nameField;
    if (typeof body[nameField] === "string") {
      const clash = [...this.store.entries()].some(([u, s]) => u !== self && s.type === type && s.data[nameField] === body[nameField]);
      if (clash) add(nameField, `${label(type)} with this ${nameField === "name" ? "Name" : "Policy name"} already exists.`);
    }
    return errors;
  }

  private async handle(req: import("http").IncomingMessage, res: import("http").ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", this.url);
    let body: Record<string, unknown> | undefined;
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path: `${url.pathname}${url.search}`, body, status });
      const data = payload === undefined ? "" : JSON.stringify(payload);
      res.writeHead(status, { ...(payload === undefined ? {} : { "Content-Type": "application/json" }), ...headers });
      res.end(data);
    };
    if (this.delayCount > 0) {
      this.delayCount--;
      await new Promise<void>((done) => {
        const w = { timer: setTimeout(() => (this.waits.delete(w), done()), this.delayMs), done };
        this.waits.add(w);
      });
      if (res.destroyed || req.destroyed) return;
    }
    const fault = this.faults.find((f) => f.remaining > 0);
    if (fault) {
      fault.remaining--;
      return send(fault.status, { error: `fault injected: HTTP ${fault.status}` });
    }
    const expected = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString("base64")}`;
    if (req.headers.authorization !== expected) return send(401, undefined, { "WWW-Authenticate": 'Basic realm="Pexip Infinity"' });
    if (text !== "") {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return send(400, { error: "Invalid JSON" });
      }
    }
    const m = /^\/api\/admin\/configuration\/v1\/([a-z_]+)\/(?:(\d+)\/)?$/.exec(url.pathname);
    const type = m?.[1] as ObjectType | undefined;
    if (!m || !type || !(type in OBJECTS)) return send(404, { error: `no such resource ${url.pathname}` });
    const uri = m[2] ? `${CONFIG_PATH}${type}/${m[2]}/` : undefined;

    if (!uri) {
      if (method === "GET") {
        const limit = Number(url.searchParams.get("limit") ?? "20");
        const offset = Number(url.searchParams.get("offset") ?? "0");
        let all = [...this.store.entries()].filter(([, s]) => s.type === type);
        for (const [k, v] of url.searchParams) {
          if (k === "limit" || k === "offset") continue;
          if (!(k in OBJECTS[type].fields)) return send(400, { error: `Invalid filter: ${k}` });
          all = all.filter(([, s]) => String(s.data[k] ?? "") === v);
        }
        const page = all.slice(offset, offset + limit);
        const q = new URLSearchParams(url.searchParams);
        q.set("offset", String(offset + limit));
        const next = offset + limit < all.length ? `${url.pathname}?${q.toString()}` : null;
        return send(200, { meta: { limit, next, offset, previous: null, total_count: all.length }, objects: page.map(([u, s]) => this.view(u, s)) });
      }
      if (method === "POST") {
        if (!body || typeof body !== "object" || Array.isArray(body)) return send(400, { error: "Expected a JSON object" });
        const errors = this.validate(type, body, false);
        if (Object.keys(errors).length > 0) return send(400, { [type]: errors });
        const id = this.nextId++;
        const newUri = `${CONFIG_PATH}${type}/${id}/`;
        this.store.set(newUri, { type, id, data: this.normalize(type, { ...(DEFAULTS[type] ?? {}), ...body }, newUri) });
        return send(201, undefined, { Location: `${this.url}${newUri}` });
      }
      return send(405, { error: `${method} not allowed on a list` });
    }
    const stored = this.store.get(uri);
    if (!stored) return send(404, undefined);
    if (method === "GET") return send(200, this.view(uri, stored));
    if (method === "PATCH") {
      if (!body || typeof body !== "object" || Array.isArray(body)) return send(400, { error: "Expected a JSON object" });
      const errors = this.validate(type, body, true, uri);
      if (Object.keys(errors).length > 0) return send(400, { [type]: errors });
      stored.data = this.normalize(type, { ...stored.data, ...body }, uri);
      return send(202, undefined);
    }
    if (method === "DELETE") {
      this.store.delete(uri);
      return send(204, undefined);
    }
    return send(405, { error: `${method} not allowed` });
  }
}
