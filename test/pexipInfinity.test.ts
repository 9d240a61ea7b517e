/**
 * PexipInfinity under the shared mocks: one dynamic resource per Infinity object, named by its key, parented to the
 * component, ordered by references, with the password and the Event Hub connection string secret.
 */
import { inputs, ofType, one, runResources, secretInputs } from "./harness";
import type { RecordingMonitor } from "../tools/engine/mocks";
import { NOW } from "./fixtures/clock";

const TYPE = "pulumi-nodejs:dynamic/pexip:InfinityObject";
const QUEUE = "Endpoint=sb://pexip-eu-ehn.servicebus.windows.net/;SharedAccessKeyName=standard_access_policy;SharedAccessKey=Y29tcG9uZW50LXRlc3Q=;EntityPath=events_hub";

let monitor: RecordingMonitor;
const ORDER = ["azure_tenant", "teams_proxy", "conference", "gateway_routing_rule", "scheduled_scaling"];
/** The object resources in creation order (registrations arrive in whatever order their inputs resolve). */
const objectsInOrder = () => ofType(monitor.registrations, TYPE).sort((a, b) => ORDER.indexOf(inputs(a).objectType) - ORDER.indexOf(inputs(b).objectType));
beforeAll(async () => {
  const pulumi = await import("@pulumi/pulumi");
  const { PexipInfinity } = await import("../components/pexipInfinity");
  const { parseInfinitySettings } = await import("../components/infinity/settings");
  const settings = parseInfinitySettings({
    managementNode: "https://mgr.vc.example.com",
    username: "admin",
    minimumInstances: 2,
    scheduledScaling: [{ name: "business-hours", days: ["mon", "fri"], from: "07:30", to: "17:00", instancesToAdd: 3 }],
  }).settings!;
  monitor = await runResources("eu", () => new PexipInfinity("infinity", {
    settings,
    password: "api-Password-4411",
    stack: "eu",
    defaultConnectorName: "pexip-eu",
    connectorFqdn: "pexip-teamsconn-eu.teams.example.com",
    tenantId: "0b8c5b2e-4f7a-4d59-9a3e-6b1f2c3d4e5f",
    eventHubConnectionString: pulumi.secret(QUEUE),
    dialInstructions: { nodeAddress: "px.vc.example.com", ivr: "teams", domain: "example.com", browser: true },
    now: NOW,
  }));
});

test("one dynamic resource per object, keyed by type and name, each a child of the component", () => {
  const component = one(monitor.registrations, "pexip:teams:PexipInfinity", "infinity");
  const objects = objectsInOrder();
  expect(objects.map((r) => [r.name, inputs(r).objectType, inputs(r).objectName])).toEqual([
    [expect.stringMatching(/^infinity-azure_tenant-pexip-eu-tenant-[0-9a-f]{6}$/), "azure_tenant", "pexip-eu tenant"],
    [expect.stringMatching(/^infinity-teams_proxy-pexip-eu-[0-9a-f]{6}$/), "teams_proxy", "pexip-eu"],
    [expect.stringMatching(/^infinity-conference-pexip-eu-Teams-IVR-[0-9a-f]{6}$/), "conference", "pexip-eu Teams IVR"],
    [expect.stringMatching(/^infinity-gateway_routing_rule-pexip-eu-Teams-meetings-[0-9a-f]{6}$/), "gateway_routing_rule", "pexip-eu Teams meetings"],
    [expect.stringMatching(/^infinity-scheduled_scaling-pexip-eu-business-hours-[0-9a-f]{6}$/), "scheduled_scaling", "pexip-eu/business-hours"],
  ]);
  for (const r of objects) expect(r.parent).toBe(component.urn);
});

test("references become the referenced resource's URI output, and order the resources", () => {
  const [tenant, proxy, vr, rule, scaling] = objectsInOrder();
  expect(proxy.dependencies).toContain(tenant.urn);
  expect(vr.dependencies).toContain(proxy.urn);
  expect(rule.dependencies).toContain(proxy.urn);
  expect(scaling.dependencies).toContain(proxy.urn);
  expect(inputs(proxy).fields).toMatchObject({ name: "pexip-eu", address: "pexip-teamsconn-eu.teams.example.com", port: 443, notifications_enabled: true, min_number_of_instances: 2 });
  expect(inputs(proxy).fields).not.toHaveProperty("notifications_queue");
  expect(inputs(scaling).fields).toMatchObject({ policy_name: "pexip-eu/business-hours", resource_identifier: "pexip-eu", time_from: "07:30:00", mon: true, fri: true, tue: false });
  expect(inputs(vr).fields.aliases).toEqual(["teams@example.com"]);
});

test("the password and the Event Hub connection string are secret inputs; nothing else is", () => {
  const proxy = objectsInOrder()[1];
  expect(inputs(proxy).password).toBe("api-Password-4411");
  expect(inputs(proxy).notificationsQueue).toBe(QUEUE);
  expect(secretInputs(proxy).filter((k) => k !== "__provider").sort()).toEqual(["notificationsQueue", "password"]);
  const tenant = objectsInOrder()[0];
  expect(secretInputs(tenant).filter((k) => k !== "__provider")).toEqual(["password"]);
  expect(inputs(tenant).notificationsQueue).toBeUndefined();
});

test("only the scaling policy carries the program's clock, as evaluatedAt, and ignores its later changes", () => {
  const dated = objectsInOrder().map((r) => [inputs(r).objectType, inputs(r).evaluatedAt ?? null, r.ignoreChanges]);
  expect(dated).toEqual([
    ["azure_tenant", null, []], ["teams_proxy", null, []], ["conference", null, []], ["gateway_routing_rule", null, []],
    ["scheduled_scaling", NOW.toISOString(), ["evaluatedAt"]],
  ]);
});
