/**
 * The dynamic provider of one Infinity object, called directly against the fake (create, adopt, read with drift, diff,
 * update, delete), and proof that Pulumi's closure serialization can ship it: the text `serializeFunction` makes is
 * run in a separate Node process, with nothing of this project loaded, and creates and deletes an object.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { markerText } from "../components/infinity/client";
import { infinityObjectProvider, ObjectInputs, ObjectOutputs } from "../components/infinity/provider";
import { FakeInfinity } from "./fakes/infinityApi";

const ROOT = path.resolve(__dirname, "..");
const NOW = new Date("2026-03-02T12:00:00Z");
const QUEUE = "Endpoint=sb://pexip-eu-ehn.servicebus.windows.net/;SharedAccessKeyName=standard_access_policy;SharedAccessKey=cHJvdmlkZXItdGVzdA==;EntityPath=events_hub";

let fake: FakeInfinity;
let tenantUri: string;
beforeEach(async () => {
  fake = await new FakeInfinity().start();
  tenantUri = fake.seed("azure_tenant", { name: "pexip-eu tenant", tenant_id: "0b8c5b2e-4f7a-4d59-9a3e-6b1f2c3d4e5f", description: markerText("eu") });
  fake.seed("system_location", { name: "Edge" });
});
afterEach(() => fake.stop());

const provider = () => infinityObjectProvider({ now: () => NOW, client: { sleep: async () => undefined, timeoutMs: 3000 } });

function proxyInputs(edit: Partial<ObjectInputs> = {}): ObjectInputs {
  return {
    managementNode: fake.url,
    username: "admin",
    password: fake.password,
    caCertificate: fake.certificate.cert,
    stack: "eu",
    objectType: "teams_proxy",
    objectName: "pexip-eu",
    fields: { name: "pexip-eu", address: "pexip-teamsconn-eu.teams.example.com", port: 443, azure_tenant: tenantUri, notifications_enabled: true, min_number_of_instances: 2 },
    notificationsQueue: QUEUE,
    ...edit,
  };
}

describe("the provider, directly", () => {
  test("create, diff (none), update (one PATCH), refresh sees drift, delete", async () => {
    const p = provider();
    const created = await p.create(proxyInputs());
    const outs = created.outs as ObjectOutputs;
    expect(created.id).toBe("/api/admin/configuration/v1/teams_proxy/3/");
    expect(outs.uri).toBe(created.id);
    expect(outs.current).toMatchObject({ name: "pexip-eu", port: 443, azure_tenant: tenantUri, min_number_of_instances: 2, notifications_enabled: true });
    expect(outs.current).not.toHaveProperty("notifications_queue");
    expect(fake.raw(created.id)!.notifications_queue).toBe(QUEUE);
    expect(fake.writes.map((w) => w.method)).toEqual(["POST"]);

    expect(await p.diff!(created.id, outs, proxyInputs())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    const changedInputs = proxyInputs({ fields: { ...proxyInputs().fields, min_number_of_instances: 4 } });
    expect(await p.diff!(created.id, outs, changedInputs)).toMatchObject({ changes: true, replaces: [] });
    expect(await p.diff!(created.id, outs, proxyInputs({ managementNode: "https://other.example.com" }))).toMatchObject({ changes: true, replaces: ["managementNode"] });

    const before = fake.writes.length;
    const updated = await p.update!(created.id, outs, changedInputs);
    expect(fake.writes.slice(before).map((w) => [w.method, w.body])).toEqual([["PATCH", { min_number_of_instances: 4 }]]);
    expect((updated.outs as ObjectOutputs).current.min_number_of_instances).toBe(4);

    // Someone changes the port by hand: refresh reads it, and the next diff wants it back.
    fake.raw(created.id)!.port = 8443;
    const read = await p.read!(created.id, updated.outs as ObjectOutputs);
    expect((read.props as ObjectOutputs).current.port).toBe(8443);
    expect((await p.diff!(created.id, read.props as ObjectOutputs, changedInputs)).changes).toBe(true);
    const healed = fake.writes.length;
    await p.update!(created.id, read.props as ObjectOutputs, changedInputs);
    expect(fake.writes.slice(healed).map((w) => w.body)).toEqual([{ port: 443 }]);

    await p.delete!(created.id, updated.outs as ObjectOutputs);
    expect(fake.objects("teams_proxy")).toEqual([]);
    // Gone: read says so with an empty ID (the engine drops it from state).
    expect(await p.read!(created.id, updated.outs as ObjectOutputs)).toEqual({ id: "", props: {} });
  });

  test("a rotated Event Hub connection string is one PATCH carrying it; an existing object of that name is adopted, not duplicated", async () => {
    const existing = fake.seed("teams_proxy", { name: "pexip-eu", address: "old.example.com", azure_tenant: tenantUri, description: "by hand" });
    const p = provider();
    const created = await p.create(proxyInputs());
    expect(created.id).toBe(existing);
    expect(fake.writes.map((w) => [w.method, Object.keys(w.body ?? {}).sort()])).toEqual([["PATCH", ["address", "description", "min_number_of_instances", "notifications_enabled", "notifications_queue"]]]);
    const rotated = QUEUE.replace("cHJvdmlkZXIt", "cm90YXRlZC0t");
    const before = fake.writes.length;
    expect((await p.diff!(created.id, created.outs, proxyInputs({ notificationsQueue: rotated }))).changes).toBe(true);
    await p.update!(created.id, created.outs, proxyInputs({ notificationsQueue: rotated }));
    expect(fake.writes.slice(before).map((w) => Object.keys(w.body ?? {}).sort())).toEqual([["description", "notifications_queue"]]);
    expect(fake.raw(existing)!.notifications_queue).toBe(rotated);
  });

  test("without an injected clock the start date comes from the object's evaluatedAt (the program's clock); with neither it is refused", async () => {
    const p = infinityObjectProvider({ client: { sleep: async () => undefined, timeoutMs: 3000 } });
    const policy = (edit: Partial<ObjectInputs>) => ({
      ...proxyInputs(), objectType: "scheduled_scaling" as const, objectName: "pexip-eu/nights", notificationsQueue: undefined,
      fields: { policy_name: "pexip-eu/nights", policy_type: "TeamsConnectorScaling", resource_identifier: "pexip-eu", enabled: true, instances_to_add: 1, minutes_in_advance: 20, local_timezone: "UTC", time_from: "20:00:00", time_to: "23:00:00", mon: true },
      ...edit,
    });
    await expect(p.create(policy({}))).rejects.toThrow('cannot create scheduled_scaling "pexip-eu/nights": no start date and no clock to take today\'s from');
    expect(fake.objects("scheduled_scaling")).toEqual([]);
    await p.create(policy({ evaluatedAt: "2027-05-04T10:00:00.000Z" }));
    expect(fake.objects("scheduled_scaling")[0]).toMatchObject({ start_date: "2027-05-04" });
  });

  test("a scaling policy: start date from the injected clock in its time zone, location lookups resolved by name", async () => {
    const p = provider();
    const created = await p.create({
      ...proxyInputs(), objectType: "scheduled_scaling", objectName: "pexip-eu/business-hours", notificationsQueue: undefined,
      fields: { policy_name: "pexip-eu/business-hours", policy_type: "TeamsConnectorScaling", resource_identifier: "pexip-eu", enabled: true, instances_to_add: 2, minutes_in_advance: 20, local_timezone: "Pacific/Kiritimati", time_from: "07:00:00", time_to: "09:00:00", mon: true },
    });
    // 12:00 UTC on 2 March is already 3 March at UTC+14.
    expect(fake.objects("scheduled_scaling")[0]).toMatchObject({ start_date: "2026-03-03", time_from: "07:00:00", mon: true, tue: false });
    expect((created.outs as ObjectOutputs).current).not.toHaveProperty("description");
    const rule = await p.create({
      ...proxyInputs(), objectType: "gateway_routing_rule", objectName: "r", notificationsQueue: undefined,
      fields: { name: "r", priority: 60, match_string: "(\\d{9,12})", outgoing_location: { $lookup: "system_location", name: "Edge" } },
    });
    expect((rule.outs as ObjectOutputs).current.outgoing_location).toBe("/api/admin/configuration/v1/system_location/2/");
  });

  test("a refused write names the object and the field message, and leaves no secret in the message", async () => {
    const p = provider();
    const err = await p.create(proxyInputs({ fields: { ...proxyInputs().fields, port: 70000 } })).catch((e) => e as Error);
    expect((err as Error).message).toBe(`Infinity management API at 127.0.0.1:${fake.port} refused to create teams_proxy "pexip-eu" (HTTP 400): port: Ensure this value is less than or equal to 65535.`);
    expect((err as Error).message).not.toContain(fake.password);
  });
});

describe("closure serialization", () => {
  test("serializeFunction ships the provider, and the shipped text creates and deletes an object on its own", async () => {
    // Exactly what pulumi.dynamic.Resource does with its provider (dynamic/index.js serializeFunctionMaybeSecret).
    const prov = provider();
    const t0 = Date.now();
    const sf = await pulumi.runtime.serializeFunction(() => prov, { allowSecrets: true });
    if (process.env.INFINITY_TIMING) process.stderr.write(`serializeFunction: ${Date.now() - t0} ms, ${sf.text.length} chars\n`);
    expect(sf.containsSecrets).toBe(false);
    // What it captured: Node built-ins by require, nothing of zod, the config loader or this test's fake.
    expect(sf.text).toMatch(/require\("https"\)/);
    expect(sf.text).not.toMatch(/require\("zod"\)|components\/config|infinityApi/);
    const dir = path.join(ROOT, "node_modules", ".cache", "infinity-provider-test");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `provider-${process.pid}.js`);
    fs.writeFileSync(file, sf.text);
    const inputs = proxyInputs();
    const script = `
      const p = require(${JSON.stringify(file)}).handler();
      (async () => {
        const c = await p.create(JSON.parse(process.env.INPUTS));
        await p.delete(c.id, c.outs);
        const bad = JSON.parse(process.env.INPUTS);
        bad.fields.port = 70000;
        const refused = await p.create(bad).then(() => "created", (e) => e.name + ": " + e.message);
        process.stdout.write(JSON.stringify({ id: c.id, name: c.outs.current.name, refused }));
      })().catch((e) => { process.stderr.write(String(e && (e.stack || e.message))); process.exit(3); });`;
    // Asynchronous: the fake answers from this process's event loop.
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, ["-e", script], { env: { PATH: process.env.PATH, INPUTS: JSON.stringify(inputs) }, encoding: "utf8", timeout: 20000 }, (_e, stdout, stderr) => resolve({ stdout, stderr })));
    fs.rmSync(file, { force: true });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      id: "/api/admin/configuration/v1/teams_proxy/3/",
      name: "pexip-eu",
      // The error class and its message survive serialization too.
      refused: `InfinityError: Infinity management API at 127.0.0.1:${fake.port} refused to create teams_proxy "pexip-eu" (HTTP 400): port: Ensure this value is less than or equal to 65535.`,
    });
    expect(fake.writes.map((w) => `${w.method} ${w.status}`)).toEqual(["POST 201", "DELETE 204", "POST 400"]);
  });
});
