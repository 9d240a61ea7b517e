/**
 * The Pulumi dynamic provider of one Infinity object (`pulumi-nodejs:dynamic/pexip:InfinityObject`): create (adopting
 * an object of the same name), read (refresh sees drift), diff, update (one PATCH of the changed fields) and delete,
 * through the one client (client.ts). Pulumi serializes the provider object into the state (closure serialization):
 * it captures only client.ts and model.ts, plain functions over Node built-ins (test/infinity.provider.test.ts proves
 * the serialized text runs on its own). The password and the Event Hub connection string are secret inputs and outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  ApiObject, changedFields, ClientOptions, createBody, InfinityClient, infinityError, patchBody, pathOf, Pending, resolveObject, Resolved, secretValues,
} from "./client";
import type { DesiredObject } from "./desired";
import { isLookup, Lookup, ManagedType, OBJECTS } from "./model";

/** The inputs of one object (references already resolved to URIs by the component). */
export interface ObjectInputs {
  managementNode: string;
  username: string;
  /** Secret. */
  password: string;
  caCertificate?: string;
  /** Whose ownership marker to write. */
  stack: string;
  objectType: ManagedType;
  objectName: string;
  /** Fields to set; a system location by name stays a `{ $lookup }` until written. */
  fields: Record<string, Resolved | Lookup>;
  /** teams_proxy only: the Event Hub connection string (secret, write-only in the API). */
  notificationsQueue?: string;
  /** scheduled_scaling only: the program's clock (ISO 8601), a new policy's default start date; its changes are ignored. */
  evaluatedAt?: string;
}

export interface ObjectOutputs extends ObjectInputs {
  /** The object's URI (also its Pulumi ID). */
  uri: string;
  /** The managed fields as the Management Node last returned them (what refresh updates and diff checks for drift). */
  current: Record<string, unknown>;
  /** System location name -> URI used at the last write. */
  locations: Record<string, string>;
}

export interface ProviderOptions {
  /** Overrides the objects' `evaluatedAt` as a scaling policy's default start date (tests inject one). */
  now?: () => Date;
  /** Client settings (tests inject sleep and short timeouts). */
  client?: ClientOptions;
}

/** The one dynamic provider; `options` are captured into its serialized closure. */
export function infinityObjectProvider(options: ProviderOptions = {}): pulumi.dynamic.ResourceProvider {
  const clientFor = (i: ObjectInputs) =>
    new InfinityClient({ managementNode: i.managementNode, username: i.username, password: i.password, caCertificate: i.caCertificate }, { ...(options.client ?? {}), secrets: i.notificationsQueue ? [i.notificationsQueue] : [] });
  const desired = (i: ObjectInputs): DesiredObject<string | Pending> => ({
    key: `${i.objectType}/${i.objectName}`,
    type: i.objectType,
    name: i.objectName,
    fields: { ...(i.fields as DesiredObject<string | Pending>["fields"]), ...(i.notificationsQueue !== undefined ? { notifications_queue: i.notificationsQueue } : {}) },
  });
  const locationsFor = async (c: InfinityClient, i: ObjectInputs): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    if (!Object.values(i.fields).some(isLookup)) return out;
    for (const l of await c.list("system_location")) out.set(String(l.name), pathOf(l.resource_uri));
    return out;
  };
  const pick = (i: ObjectInputs, o: ApiObject): Record<string, unknown> => {
    const out: Record<string, unknown> = { resource_uri: pathOf(o.resource_uri) };
    const spec = OBJECTS[i.objectType];
    for (const k of [...Object.keys(i.fields), ...(spec.hasDescription ? ["description"] : [])]) if (!spec.fields[k]?.writeOnly) out[k] = o[k] ?? null;
    return out;
  };
  const what = (verb: string, i: ObjectInputs) => `${verb} ${i.objectType} "${i.objectName}"`;
  const outputs = (i: ObjectInputs, uri: string, cur: ApiObject, locations: Map<string, string>): ObjectOutputs => ({ ...i, uri, current: pick(i, cur), locations: Object.fromEntries(locations) });
  const mustGet = async (c: InfinityClient, uri: string, i: ObjectInputs): Promise<ApiObject> => {
    const cur = await c.get(uri, what("read", i));
    if (!cur) throw infinityError(`${i.objectType} "${i.objectName}" (${uri}) is gone from Infinity: run \`pulumi refresh\` so the next \`pulumi up\` creates it again`, "refused", 404);
    return cur;
  };
  const stable = (v: unknown) => JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

  return {
    async create(inputs: ObjectInputs) {
      const c = clientFor(inputs);
      const locations = await locationsFor(c, inputs);
      const r = resolveObject(desired(inputs), inputs.stack, new Map(), locations);
      const existing = await c.findByName(inputs.objectType, inputs.objectName);
      let uri: string;
      if (existing) {
        // Adopt the object of that name: make it as configured, then it is this stack's.
        uri = pathOf(existing.resource_uri);
        const changed = changedFields(r, existing, inputs.stack);
        if (changed.length > 0) {
          const body = patchBody(r, changed);
          await c.patch(uri, body, what("adopt", inputs), secretValues(inputs.objectType, body));
        }
      } else {
        // The program's one clock travels as an input: the provider host reads no clock of its own.
        const body = createBody(r, options.now?.() ?? (inputs.evaluatedAt !== undefined ? new Date(inputs.evaluatedAt) : undefined));
        uri = await c.create(inputs.objectType, body, what("create", inputs), secretValues(inputs.objectType, body));
      }
      return { id: uri, outs: outputs(inputs, uri, await mustGet(c, uri, inputs), locations) };
    },

    async read(id: string, props: ObjectOutputs) {
      const c = clientFor(props);
      const cur = await c.get(id, what("read", props));
      // Gone: an empty ID tells the engine the resource no longer exists.
      if (!cur) return { id: "", props: {} };
      return { id, props: { ...props, current: pick(props, cur) } };
    },

    async diff(_id: string, olds: ObjectOutputs, news: ObjectInputs) {
      const replaces = (["managementNode", "objectType"] as const).filter((k) => olds[k] !== news[k]);
      const changed = ["objectName", "fields", "notificationsQueue", "stack", "username", "password", "caCertificate"].filter((k) =>
        stable((olds as unknown as Record<string, unknown>)[k]) !== stable((news as unknown as Record<string, unknown>)[k]));
      // Drift: what refresh last read differs from what these inputs want.
      const r = resolveObject(desired(olds), olds.stack, new Map(), new Map(Object.entries(olds.locations ?? {})));
      const drift = olds.current ? changedFields(r, olds.current as ApiObject, olds.stack).filter((k) => k !== "notifications_queue") : [];
      return { changes: replaces.length + changed.length + drift.length > 0, replaces, deleteBeforeReplace: true };
    },

    async update(id: string, olds: ObjectOutputs, news: ObjectInputs) {
      const c = clientFor(news);
      const locations = await locationsFor(c, news);
      const r = resolveObject(desired(news), news.stack, new Map(), locations);
      const cur = await mustGet(c, id, news);
      const changed = changedFields(r, cur, news.stack);
      const body = changed.length > 0 ? patchBody(r, changed) : {};
      if (Object.keys(body).length > 0) await c.patch(id, body, what("update", news), secretValues(news.objectType, body));
      void olds;
      return { outs: outputs(news, id, Object.keys(body).length > 0 ? await mustGet(c, id, news) : cur, locations) };
    },

    async delete(id: string, props: ObjectOutputs) {
      await clientFor(props).remove(id, what("delete", props));
    },
  };
}

/** Outputs that carry secrets (besides the engine's rule that an output named like a secret input is secret). */
export const SECRET_OUTPUTS = ["password", "notificationsQueue"];

/** One Infinity object under Pulumi: `pulumi-nodejs:dynamic/pexip:InfinityObject`. */
export class InfinityObject extends pulumi.dynamic.Resource {
  declare readonly uri: pulumi.Output<string>;
  declare readonly current: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, provider: pulumi.dynamic.ResourceProvider, props: { [K in keyof ObjectInputs]: pulumi.Input<ObjectInputs[K]> }, opts: pulumi.CustomResourceOptions) {
    super(provider, name, { ...props, uri: undefined, current: undefined, locations: undefined }, { ...opts, additionalSecretOutputs: [...SECRET_OUTPUTS, ...(opts.additionalSecretOutputs ?? [])] }, "pexip", "InfinityObject");
  }
}
