/**
 * The Infinity management API client and the reconcile logic, against the local fake (test/fakes/infinityApi.ts):
 * an eu-like stack's objects created, a second run writing nothing, one PATCH per changed object, one DELETE per
 * removed entry, objects this stack did not make left alone, and the error paths (401, 400, 5xx, refused, slow).
 */
import * as net from "net";
import { desiredObjects, DeploymentValues } from "../components/infinity/desired";
import { applyReconcile, InfinityClient, InfinityError, isInfinityError, markerText, Pending, planReconcile, renderPlan } from "../components/infinity/client";
import { InfinitySettings, parseInfinitySettings } from "../components/infinity/settings";
import { FakeInfinity } from "./fakes/infinityApi";

const NOW = new Date("2026-06-15T08:00:00Z");
const QUEUE = "Endpoint=sb://pexip-eu-ehn.servicebus.windows.net/;SharedAccessKeyName=standard_access_policy;SharedAccessKey=c2VjcmV0LWtleS1mb3ItdGVzdHM=;EntityPath=events_hub";
const TENANT = "0b8c5b2e-4f7a-4d59-9a3e-6b1f2c3d4e5f";

/** The eu stack's infinity setting (two scaling windows, the defaults for everything else). */
function euSettings(edit: (s: Record<string, unknown>) => void = () => undefined): InfinitySettings {
  const raw: Record<string, unknown> = {
    managementNode: "https://127.0.0.1",
    username: "admin",
    minimumInstances: 2,
    scheduledScaling: [
      { name: "business-hours", days: ["mon", "tue", "wed", "thu", "fri"], from: "07:30", to: "17:00", instancesToAdd: 3, timezone: "Europe/Oslo" },
      { name: "monday-peak", days: ["mon"], from: "08:00", to: "10:00", instancesToAdd: 5, minutesInAdvance: 30, timezone: "Europe/Oslo", startDate: "2026-01-05" },
    ],
    virtualReception: { lookupLocation: "Edge" },
    routingRules: [{ name: "pexip-eu Teams meetings", priority: 60, outgoingLocation: "Edge" }],
  };
  edit(raw);
  const r = parseInfinitySettings(raw);
  if (!r.settings) throw new Error(JSON.stringify(r.issues));
  return r.settings;
}

const VALUES: DeploymentValues<string> = {
  stack: "eu",
  defaultConnectorName: "pexip-eu",
  connectorFqdn: "pexip-teamsconn-eu.teams.example.com",
  tenantId: TENANT,
  eventHubConnectionString: QUEUE,
  dialInstructions: { nodeAddress: "px.vc.example.com", ivr: "teams", domain: "example.com", test: "test_call", browser: true },
};

let fake: FakeInfinity;
let edgeUri: string;
beforeEach(async () => {
  fake = await new FakeInfinity().start();
  edgeUri = fake.seed("system_location", { name: "Edge" });
});
afterEach(() => fake.stop());

function client(opts: { password?: string; sleeps?: number[]; timeoutMs?: number; retries?: number; ca?: string | null } = {}) {
  return new InfinityClient(
    { managementNode: fake.url, username: "admin", password: opts.password ?? fake.password, caCertificate: opts.ca === null ? undefined : opts.ca ?? fake.certificate.cert },
    { sleep: async (ms) => void opts.sleeps?.push(ms), timeoutMs: opts.timeoutMs ?? 3000, retries: opts.retries ?? 3 },
  );
}

async function apply(settings: InfinitySettings, values: DeploymentValues<string> = VALUES, c = client()) {
  const desired = desiredObjects(settings, values);
  const plan = await planReconcile(c, desired, values.stack);
  await applyReconcile(c, plan, desired, NOW);
  return plan;
}

describe("apply against the fake", () => {
  test("creates the tenant, the connector, the Virtual Reception, the routing rule and both scaling policies, with exact values", async () => {
    await apply(euSettings());
    expect(fake.writes.map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([
      "POST /api/admin/configuration/v1/azure_tenant/ 201",
      "POST /api/admin/configuration/v1/teams_proxy/ 201",
      "POST /api/admin/configuration/v1/conference/ 201",
      "POST /api/admin/configuration/v1/gateway_routing_rule/ 201",
      "POST /api/admin/configuration/v1/scheduled_scaling/ 201",
      "POST /api/admin/configuration/v1/scheduled_scaling/ 201",
    ]);
    const [tenant] = fake.objects("azure_tenant");
    expect(tenant).toMatchObject({ name: "pexip-eu tenant", tenant_id: TENANT, description: markerText("eu") });
    const [proxy] = fake.objects("teams_proxy");
    expect(proxy).toMatchObject({
      name: "pexip-eu", address: "pexip-teamsconn-eu.teams.example.com", port: 443, azure_tenant: tenant.resource_uri,
      notifications_enabled: true, notifications_queue: null, min_number_of_instances: 2, eventhub_id: "pexip-eu-ehn",
    });
    expect(proxy.description).toMatch(/^Managed by pexip-teams-connector \(stack eu\); event hub [0-9a-f]{12}$/);
    expect(fake.raw(proxy.resource_uri as string)!.notifications_queue).toBe(QUEUE);
    const [vr] = fake.objects("conference");
    expect(vr).toMatchObject({ name: "pexip-eu Teams IVR", service_type: "two_stage_dialing", two_stage_dial_type: "teams", teams_proxy: proxy.resource_uri, system_location: edgeUri });
    expect((vr.aliases as { alias: string }[]).map((a) => a.alias)).toEqual(["teams@example.com"]);
    const [rule] = fake.objects("gateway_routing_rule");
    expect(rule).toMatchObject({
      name: "pexip-eu Teams meetings", priority: 60, match_string: "(\\d{9,12})(@example\\.com)?", replace_string: "\\1",
      called_device_type: "teams_conference", outgoing_protocol: "teams", teams_proxy: proxy.resource_uri, outgoing_location: edgeUri,
      match_source_location: null, treat_as_trusted: false, match_incoming_calls: true, match_incoming_sip: true, match_incoming_teams: false, live_captions_enabled: "no",
    });
    const scaling = fake.objects("scheduled_scaling");
    expect(scaling.map((s) => [s.policy_name, s.resource_identifier, s.time_from, s.time_to, s.instances_to_add, s.minutes_in_advance, s.local_timezone, s.start_date, s.mon, s.sat])).toEqual([
      // No startDate: the day of creation in the policy's time zone (the injected NOW).
      ["pexip-eu/business-hours", "pexip-eu", "07:30:00", "17:00:00", 3, 20, "Europe/Oslo", "2026-06-15", true, false],
      ["pexip-eu/monday-peak", "pexip-eu", "08:00:00", "10:00:00", 5, 30, "Europe/Oslo", "2026-01-05", true, false],
    ]);
  });

  test("a second apply writes nothing and says so", async () => {
    await apply(euSettings());
    const before = fake.writes.length;
    const plan = await apply(euSettings());
    expect(fake.writes.length).toBe(before);
    expect(plan.changes.map((c) => c.op)).toEqual(["unchanged", "unchanged", "unchanged", "unchanged", "unchanged", "unchanged"]);
    expect(renderPlan(plan, fake.url).at(-1)).toBe(`No changes: 6 objects on ${fake.url} already as configured.`);
  });

  test("a changed scaling window is exactly one PATCH of that policy, with the changed field only", async () => {
    await apply(euSettings());
    const before = fake.writes.length;
    const plan = await apply(euSettings((s) => ((s.scheduledScaling as { to: string }[])[0].to = "18:00")));
    const writes = fake.writes.slice(before);
    expect(writes.map((w) => [w.method, w.body])).toEqual([["PATCH", { time_to: "18:00:00" }]]);
    expect(writes[0].path).toBe(fake.objects("scheduled_scaling").find((s) => s.policy_name === "pexip-eu/business-hours")!.resource_uri);
    expect(renderPlan(plan, fake.url)).toContain('    time_to: "17:00:00" -> "18:00:00"');
  });

  test("an entry removed from scheduledScaling is exactly one DELETE", async () => {
    await apply(euSettings());
    const peak = fake.objects("scheduled_scaling").find((s) => s.policy_name === "pexip-eu/monday-peak")!;
    const before = fake.writes.length;
    await apply(euSettings((s) => (s.scheduledScaling = (s.scheduledScaling as unknown[]).slice(0, 1))));
    expect(fake.writes.slice(before).map((w) => `${w.method} ${w.path}`)).toEqual([`DELETE ${peak.resource_uri}`]);
    expect(fake.objects("scheduled_scaling").map((s) => s.policy_name)).toEqual(["pexip-eu/business-hours"]);
  });

  test("objects it did not make and the config does not name are never touched; one with a configured name is adopted", async () => {
    const handMade = fake.seed("gateway_routing_rule", { name: "Registered devices", priority: 40, match_string: ".*", description: "made by hand" });
    const otherPolicy = fake.seed("scheduled_scaling", { policy_name: "weekend", policy_type: "TeamsConnectorScaling", resource_identifier: "pexip-eu", start_date: "2026-01-01", time_from: "10:00:00", time_to: "12:00:00" });
    const otherStack = fake.seed("azure_tenant", { name: "pexip-us tenant", tenant_id: TENANT, description: markerText("us") });
    const existing = fake.seed("azure_tenant", { name: "pexip-eu tenant", tenant_id: TENANT, description: "typed in by an admin" });
    await apply(euSettings());
    expect(fake.writes.filter((w) => [handMade, otherPolicy, otherStack].includes(w.path))).toEqual([]);
    expect(fake.writes.filter((w) => w.path === existing)).toEqual([{ method: "PATCH", path: existing, body: { description: markerText("eu") }, status: 202 }]);
    expect(fake.objects("azure_tenant").length).toBe(2);
    // And a run with scaling removed entirely deletes only this stack's two policies.
    const before = fake.writes.length;
    await apply(euSettings((s) => (s.scheduledScaling = [])));
    expect(fake.writes.slice(before).map((w) => w.method)).toEqual(["DELETE", "DELETE"]);
    expect(fake.objects("scheduled_scaling").map((s) => s.policy_name)).toEqual(["weekend"]);
  });

  test("a new Event Hub connection string is sent with the fingerprint that shows it changed, and a removed tenant takes its connector along", async () => {
    const settings = euSettings((s) => (s.tenants = [{ name: "home", tenantId: TENANT }, { name: "customer", tenantId: "11111111-2222-3333-4444-555555555555" }]));
    await apply(settings);
    expect(fake.objects("teams_proxy").map((p) => [p.name, p.address])).toEqual([["pexip-eu", VALUES.connectorFqdn], ["pexip-eu-customer", VALUES.connectorFqdn]]);
    const before = fake.writes.length;
    const rotated = QUEUE.replace("c2VjcmV0", "bmV3LWtl");
    await apply(euSettings((s) => (s.tenants = [{ name: "home", tenantId: TENANT }])), { ...VALUES, eventHubConnectionString: rotated });
    const writes = fake.writes.slice(before);
    expect(writes.map((w) => `${w.method} ${Object.keys(w.body ?? {}).join(",")}`)).toEqual(["PATCH description,notifications_queue", "DELETE ", "DELETE "]);
    expect(fake.raw(fake.objects("teams_proxy")[0].resource_uri as string)!.notifications_queue).toBe(rotated);
    expect(fake.objects("azure_tenant").map((t) => t.name)).toEqual(["home"]);
  });

  test("offline placeholders: diff works, apply refuses to write a value only the deployment knows", async () => {
    const desired = desiredObjects(euSettings(), { ...VALUES, tenantId: new Pending("the app's tenant ID"), eventHubConnectionString: new Pending("the Event Hub connection string") });
    const c = client();
    const plan = await planReconcile(c, desired, "eu");
    expect(plan.pending).toEqual(['create azure_tenant "pexip-eu tenant": tenant_id', 'create teams_proxy "pexip-eu": notifications_queue', 'create teams_proxy "pexip-eu": description']);
    await expect(applyReconcile(c, plan, desired, NOW)).rejects.toThrow(/apply needs values only the deployment knows/);
    expect(fake.writes).toEqual([]);
    // Once the objects exist, a placeholder compares equal: only the real change is planned.
    await apply(euSettings());
    const again = await planReconcile(c, desiredObjects(euSettings((s) => (s.minimumInstances = 4)), { ...VALUES, tenantId: new Pending("t"), eventHubConnectionString: new Pending("q") }), "eu");
    expect(again.pending).toEqual([]);
    expect(again.changes.filter((x) => x.op !== "unchanged").map((x) => x.op === "update" && [x.name, x.changed])).toEqual([["pexip-eu", ["min_number_of_instances"]]]);
  });

  test("a location that does not exist is a clear error before anything is written", async () => {
    const c = client();
    await expect(planReconcile(c, desiredObjects(euSettings((s) => (s.virtualReception = { lookupLocation: "Nowhere" })), VALUES), "eu"))
      .rejects.toThrow('conference "pexip-eu Teams IVR": system_location names the system location "Nowhere", which does not exist in Infinity (Platform > Locations)');
    expect(fake.writes).toEqual([]);
  });
});

describe("client errors", () => {
  test("a wrong password: auth error naming the check, nothing written, the password nowhere in the message", async () => {
    const c = client({ password: "wrong-password-9876" });
    const err = await planReconcile(c, desiredObjects(euSettings(), VALUES), "eu").catch((e) => e as InfinityError);
    expect(isInfinityError(err)).toBe(true);
    expect((err as InfinityError).kind).toBe("auth");
    expect((err as InfinityError).message).toBe(`Infinity management API at 127.0.0.1:${fake.port} refused the credentials (HTTP 401) for list scheduled_scaling: check infinity.username and the password (INFINITY_PASSWORD for npm run infinity)`);
    expect(fake.writes).toEqual([]);
    // 401 is not retried.
    expect(fake.requests.length).toBe(1);
  });

  test("400: the API's field messages, the object named, no secret value echoed", async () => {
    const c = client();
    const err = (await c.create("teams_proxy", { name: "x", address: "a.example.com", azure_tenant: "/api/admin/configuration/v1/azure_tenant/99/", notifications_queue: QUEUE, bogus: 1 }, 'create teams_proxy "x"', [QUEUE]).catch((e) => e)) as InfinityError;
    expect(err.kind).toBe("refused");
    expect(err.status).toBe(400);
    expect(err.fieldErrors).toEqual({
      azure_tenant: ["Could not find the provided object via resource URI '/api/admin/configuration/v1/azure_tenant/99/'."],
      bogus: ['Unknown field: teams_proxy has no field "bogus".'],
    });
    expect(err.message).toBe(`Infinity management API at 127.0.0.1:${fake.port} refused to create teams_proxy "x" (HTTP 400): azure_tenant: Could not find the provided object via resource URI '/api/admin/configuration/v1/azure_tenant/99/'.; bogus: Unknown field: teams_proxy has no field "bogus".`);
    expect(fake.writes.map((w) => w.status)).toEqual([400]);
  });

  test("a field message that echoes a secret value has it masked", async () => {
    const c = client();
    const secret = "SharedAccessKey=c2VjcmV0LWtleS1mb3ItdGVzdHM=";
    const err = (await c.create("conference", { name: "vr", service_type: secret }, 'create conference "vr"', [secret]).catch((e) => e)) as InfinityError;
    expect(err.message).toBe(`Infinity management API at 127.0.0.1:${fake.port} refused to create conference "vr" (HTTP 400): service_type: Select a valid choice. [secret] is not one of the available choices.`);
    expect(err.fieldErrors).toEqual({ service_type: ["Select a valid choice. [secret] is not one of the available choices."] });
  });

  test("5xx then success: retried with doubling backoff, then the call succeeds", async () => {
    const sleeps: number[] = [];
    const c = client({ sleeps });
    fake.failNext(2, 503);
    const uri = await c.create("azure_tenant", { name: "t", tenant_id: TENANT }, 'create azure_tenant "t"');
    expect(uri).toBe("/api/admin/configuration/v1/azure_tenant/2/");
    expect(sleeps).toEqual([500, 1000]);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 503, 201]);
  });

  test("5xx that never ends: bounded retries, then an unreachable error with the status", async () => {
    const sleeps: number[] = [];
    const c = client({ sleeps, retries: 2 });
    fake.failNext(10, 500);
    const err = (await c.list("azure_tenant").catch((e) => e)) as InfinityError;
    expect(err.kind).toBe("unreachable");
    expect(err.message).toBe(`Infinity management API at 127.0.0.1:${fake.port} refused to list azure_tenant (HTTP 500): fault injected: HTTP 500`);
    expect(sleeps).toEqual([500, 1000]);
    expect(fake.requests.length).toBe(3);
  });

  test("a POST answered 500 is not retried (it may have created the object)", async () => {
    const c = client({ sleeps: [] });
    fake.failNext(1, 500);
    await expect(c.create("azure_tenant", { name: "t", tenant_id: TENANT }, "create azure_tenant")).rejects.toThrow(/HTTP 500/);
    expect(fake.requests.length).toBe(1);
  });

  test("connection refused: retried, then a clear unreachable error", async () => {
    const port = await freePort();
    const sleeps: number[] = [];
    const c = new InfinityClient({ managementNode: `https://127.0.0.1:${port}`, username: "admin", password: "pw-never-shown" }, { sleep: async (ms) => void sleeps.push(ms), retries: 2 });
    const err = (await c.list("azure_tenant").catch((e) => e)) as InfinityError;
    expect(err.kind).toBe("unreachable");
    expect(err.message).toBe(`Infinity management API at 127.0.0.1:${port} cannot be reached: list azure_tenant failed (ECONNREFUSED)`);
    expect(sleeps).toEqual([500, 1000]);
  });

  test("a slow server: the request times out, is retried within the bound, and the error says so", async () => {
    const sleeps: number[] = [];
    const c = client({ sleeps, timeoutMs: 150, retries: 1 });
    fake.delayNext(2, 1000);
    const err = (await c.list("azure_tenant").catch((e) => e)) as InfinityError;
    expect(err.kind).toBe("timeout");
    expect(err.message).toBe(`Infinity management API at 127.0.0.1:${fake.port}: list azure_tenant timed out (no answer within 150 ms)`);
    expect(sleeps).toEqual([500]);
  });

  test("an untrusted certificate is refused with the way out; http:// is refused before any request", async () => {
    const c = client({ ca: null, retries: 0 });
    await expect(c.list("azure_tenant")).rejects.toThrow(/its TLS certificate is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\): set infinity.caCertificateFile/);
    expect(() => new InfinityClient({ managementNode: `http://127.0.0.1:${fake.port}`, username: "a", password: "b" }))
      .toThrow("infinity.managementNode must use https:// (got http://): the API password is sent with every request");
    expect(fake.requests).toEqual([]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}
