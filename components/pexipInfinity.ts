/**
 * PexipInfinity: the Pexip Infinity side of a stack (Teams tenant, Teams Connector, Virtual Reception, Call Routing
 * Rules, scheduled scaling) as Pulumi resources, one dynamic resource per Infinity object (infinity/provider.ts), keyed
 * by the object's type and name so that reordering a list replaces nothing. The same desired objects as
 * `npm run infinity` (infinity/desired.ts); secrets (the API password, the Event Hub connection string) stay secret.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { desiredObjects, DialInstructionsShape } from "./infinity/desired";
import { isRef } from "./infinity/model";
import { infinityObjectProvider, InfinityObject, ObjectInputs } from "./infinity/provider";
import type { InfinitySettings } from "./infinity/settings";

export interface PexipInfinityArgs {
  /** The validated `infinity` setting (components/infinity/settings.ts); required. Its `password` is ignored: see `password`. */
  settings: InfinitySettings;
  /** The management API password; required (made secret here if it is not). */
  password: pulumi.Input<string>;
  /** PEM of the private CA in `infinity.caCertificateFile`, read by the caller; unset: Node's store (with NODE_EXTRA_CA_CERTS). */
  caCertificate?: pulumi.Input<string>;
  /** Stack name: the ownership marker written into each object's description; required. */
  stack: string;
  /** Connector object name when `infinity.connectorName` is unset (`<baseName>-<regionCode>`); required. */
  defaultConnectorName: string;
  /** The Teams Connector FQDN (`connectorFqdn`): the connector object's address; required. */
  connectorFqdn: string;
  /** The app's home tenant ID: the tenant when `infinity.tenants` is unset; required. */
  tenantId: pulumi.Input<string>;
  /** The Event Hub connection string (secret); unset when enhancedStatus is off (notifications disabled). */
  eventHubConnectionString?: pulumi.Input<string>;
  /** The stack's dialInstructions: the Virtual Reception's aliases and the routing rule's pattern; unset: no Virtual Reception. */
  dialInstructions?: DialInstructionsShape;
  /** The program's clock: a new scaling policy without a `startDate` starts on its day (in the policy's time zone); required. */
  now: Date;
}

/** A Pulumi-safe, stable child name for an object key (its readable part plus a hash of the exact key). */
export function childName(component: string, key: string): string {
  const readable = key.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/-+/g, "-").slice(0, 60);
  return `${component}-${readable}-${crypto.createHash("sha256").update(key).digest("hex").slice(0, 6)}`;
}

/** The stateless provider every PexipInfinity shares (its options are the defaults). */
let sharedProvider: pulumi.dynamic.ResourceProvider | undefined;

export class PexipInfinity extends pulumi.ComponentResource {
  /** Object key (`<type>/<name>`) -> its URI on the Management Node. */
  readonly objects: pulumi.Output<Record<string, string>>;
  /** The Teams Connector object's name (what scheduled scaling targets). */
  readonly connectorName: string;

  constructor(name: string, args: PexipInfinityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pexip:teams:PexipInfinity", name, {}, opts);
    const s = args.settings;
    this.connectorName = s.connectorName ?? args.defaultConnectorName;
    const desired = desiredObjects<pulumi.Input<string>>(s, {
      stack: args.stack,
      defaultConnectorName: args.defaultConnectorName,
      connectorFqdn: args.connectorFqdn,
      tenantId: args.tenantId,
      eventHubConnectionString: args.eventHubConnectionString,
      dialInstructions: args.dialInstructions,
    });
    // One provider object per process: the SDK serializes a dynamic provider once per object (about a second here).
    sharedProvider ??= infinityObjectProvider();
    const provider = sharedProvider;
    const password = pulumi.secret(args.password);
    const made = new Map<string, InfinityObject>();
    for (const o of desired) {
      const fields: Record<string, pulumi.Input<unknown>> = {};
      const dependsOn: InfinityObject[] = [];
      let notificationsQueue: pulumi.Output<string> | undefined;
      for (const [k, v] of Object.entries(o.fields)) {
        if (k === "notifications_queue") {
          notificationsQueue = pulumi.secret(v as pulumi.Input<string>);
        } else if (isRef(v)) {
          const target = made.get(v.$ref)!;
          fields[k] = target.uri;
          dependsOn.push(target);
        } else {
          fields[k] = v;
        }
      }
      // A scaling policy names its connector (resource_identifier), not its URI: order it explicitly.
      if (o.type === "scheduled_scaling") dependsOn.push(made.get(`teams_proxy/${String(o.fields.resource_identifier)}`)!);
      const props: { [K in keyof ObjectInputs]: pulumi.Input<ObjectInputs[K]> } = {
        managementNode: s.managementNode,
        username: s.username,
        password,
        caCertificate: args.caCertificate,
        stack: args.stack,
        objectType: o.type,
        objectName: o.name,
        fields: pulumi.output(fields) as unknown as pulumi.Output<ObjectInputs["fields"]>,
        notificationsQueue,
        // Only a scaling policy dates itself; kept from its creation on (ignoreChanges), so no run after shows a diff.
        ...(o.type === "scheduled_scaling" ? { evaluatedAt: args.now.toISOString() } : {}),
      };
      const ignoreChanges = o.type === "scheduled_scaling" ? ["evaluatedAt"] : [];
      made.set(o.key, new InfinityObject(childName(name, o.key), provider, props, { parent: this, dependsOn, ignoreChanges }));
    }
    this.objects = pulumi.output(Object.fromEntries([...made].map(([k, r]) => [k, r.uri])));
    this.registerOutputs({ objects: this.objects, connectorName: this.connectorName });
  }
}
