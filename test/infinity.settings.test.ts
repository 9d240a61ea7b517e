/**
 * The `infinity` setting's schema and cross-key rules (plain functions, no mocks), and the desired objects it yields.
 */
import { desiredObjects } from "../components/infinity/desired";
import { infinityCrossKeyProblems, isTimeZone, parseInfinitySettings } from "../components/infinity/settings";

const base = { managementNode: "https://mgr.vc.example.com", username: "admin" };
const window = { name: "business-hours", days: ["mon"], from: "07:30", to: "17:00", instancesToAdd: 3 };

describe("infinitySettingsSchema", () => {
  test("the smallest setting gets its defaults", () => {
    expect(parseInfinitySettings(base)).toEqual({ settings: { ...base, scheduledScaling: [] }, issues: [] });
    expect(parseInfinitySettings({ ...base, scheduledScaling: [window] }).settings!.scheduledScaling).toEqual([
      { ...window, minutesInAdvance: 20, timezone: "UTC", enabled: true },
    ]);
    expect(parseInfinitySettings({ ...base, routingRules: [{ name: "r", priority: 20 }] }).settings!.routingRules).toEqual([
      { name: "r", priority: 20, treatAsTrusted: false, registeredDevicesOnly: false, protocols: ["sip", "h323", "mssip", "webrtc"] },
    ]);
  });

  test.each([
    [{ ...base, managementNode: "http://mgr.example.com" }, "managementNode", "managementNode must be https://<host>[:<port>] with no path (HTTPS only: the password travels with every request)"],
    [{ ...base, managementNode: "https://admin:pw@mgr.example.com" }, "managementNode", "managementNode must be https://<host>[:<port>] with no path (HTTPS only: the password travels with every request)"],
    [{ ...base, username: "" }, "username", "username must not be empty"],
    [{ ...base, minimumInstances: 101 }, "minimumInstances", "minimumInstances must be from 0 to 100"],
    [{ ...base, minimumInstances: 1.5 }, "minimumInstances", "minimumInstances must be a whole number from 0 to 100"],
    [{ ...base, scheduledScaling: [{ ...window, from: "24:00" }] }, "scheduledScaling.0.from", "from must be a time HH:MM (24-hour, e.g. 07:30)"],
    [{ ...base, scheduledScaling: [{ ...window, to: "07:00" }] }, "scheduledScaling.0.to", "to must be later than from (07:30): a window ends on the day it starts; split one that crosses midnight into two entries"],
    [{ ...base, scheduledScaling: [{ ...window, days: [] }] }, "scheduledScaling.0.days", "days must name at least one day"],
    [{ ...base, scheduledScaling: [{ ...window, days: ["mon", "mon"] }] }, "scheduledScaling.0.days", "days must not repeat a day"],
    [{ ...base, scheduledScaling: [{ ...window, instancesToAdd: 101 }] }, "scheduledScaling.0.instancesToAdd", "instancesToAdd must be from 0 to 100"],
    [{ ...base, scheduledScaling: [{ ...window, timezone: "CET+1" }] }, "scheduledScaling.0.timezone", "timezone must be an IANA time zone such as Europe/Oslo or UTC"],
    [{ ...base, scheduledScaling: [{ ...window, startDate: "2026-13-01" }] }, "scheduledScaling.0.startDate", "startDate must be a date YYYY-MM-DD"],
    [{ ...base, scheduledScaling: [window, window] }, "scheduledScaling.1.name", 'name "business-hours" is used by an earlier scheduledScaling entry: names must be unique'],
    [{ ...base, scheduledScaling: [{ ...window, colour: "red" }] }, "scheduledScaling.0.colour", "is not a key of a scheduledScaling entry (name, days, from, to, instancesToAdd, minutesInAdvance, timezone, enabled, startDate)"],
    [{ ...base, tenants: [{ name: "home", tenantId: "not-a-guid" }] }, "tenants.0.tenantId", "tenantId must be a tenant GUID (8-4-4-4-12 hex)"],
    [{ ...base, routingRules: [{ name: "r", priority: 0 }] }, "routingRules.0.priority", "priority must be from 1 to 200"],
    [{ ...base, routingRules: [{ name: "r", priority: 1, matchString: "(" }] }, "routingRules.0.matchString", "matchString must be a regular expression"],
    [{ ...base, routingRules: [{ name: "r", priority: 1, protocols: ["teams"] }] }, "routingRules.0.protocols.0", "protocols must be a list of sip, h323, mssip, webrtc"],
  ])("refuses %j at %s", (input, at, rule) => {
    const r = parseInfinitySettings(input);
    expect(r.settings).toBeUndefined();
    expect(r.issues.map((i) => [i.path, i.rule])).toEqual([[at, rule]]);
  });

  test("every problem at once; a password never shown", () => {
    const r = parseInfinitySettings({ managementNode: "ftp://x", password: 7, scheduledScaling: [{ name: "w" }] });
    expect(r.issues.map((i) => `${i.path} = ${i.value}: ${i.rule}`)).toEqual([
      "managementNode = ftp://x: managementNode must be https://<host>[:<port>] with no path (HTTPS only: the password travels with every request)",
      "username = (unset): username must be text",
      "password = [secret]: password must be a secret string",
      "scheduledScaling.0.days = (unset): days must be a list of mon, tue, wed, thu, fri, sat, sun",
      "scheduledScaling.0.from = (unset): from must be a time HH:MM",
      "scheduledScaling.0.to = (unset): to must be a time HH:MM",
      "scheduledScaling.0.instancesToAdd = (unset): instancesToAdd must be a whole number from 0 to 100",
    ]);
  });

  test("time zones: IANA names and aliases Node's ICU knows, nothing else", () => {
    expect(["UTC", "Europe/Oslo", "America/Argentina/Buenos_Aires", "Europe/Kiev", "Etc/GMT+1"].map(isTimeZone)).toEqual([true, true, true, true, true]);
    expect(["EST5EDT", "+01:00", "Mars/Olympus", "europe oslo", ""].map(isTimeZone)).toEqual([false, false, false, false, false]);
  });
});

describe("infinityCrossKeyProblems", () => {
  const settings = parseInfinitySettings({ ...base, minimumInstances: 2, scheduledScaling: [window] }).settings!;
  test("scaling and minimum instances need enhancedStatus and capacityManagedBy infinity", () => {
    expect(infinityCrossKeyProblems({ enhancedStatus: true, capacityManagedBy: "infinity", infinity: settings })).toEqual([]);
    expect(infinityCrossKeyProblems({ enhancedStatus: false, capacityManagedBy: "pulumi", infinity: settings }).map((i) => `${i.path} = ${i.value}: ${i.rule}`)).toEqual([
      "minimumInstances = 2: minimumInstances needs enhancedStatus: true (Infinity scales the Teams Connector through its Event Hub)",
      "minimumInstances = 2: minimumInstances needs capacityManagedBy: infinity (otherwise Pulumi resets the instance count Infinity sets)",
      'scheduledScaling = ["business-hours"]: scheduledScaling needs enhancedStatus: true (Infinity scales the Teams Connector through its Event Hub)',
      'scheduledScaling = ["business-hours"]: scheduledScaling needs capacityManagedBy: infinity (otherwise Pulumi resets the instance count Infinity sets)',
    ]);
    expect(infinityCrossKeyProblems({ enhancedStatus: false, capacityManagedBy: "pulumi", infinity: parseInfinitySettings(base).settings! })).toEqual([]);
  });
});

describe("desiredObjects", () => {
  const values = { stack: "eu", defaultConnectorName: "pexip-eu", connectorFqdn: "c.example.com", tenantId: "t-id", eventHubConnectionString: "q" };
  test("keys by type and name; the prefix variant's Virtual Reception transform and rule pattern", () => {
    const d = desiredObjects(parseInfinitySettings(base).settings!, { ...values, dialInstructions: { nodeAddress: "px.example.com", ivr: "teams", domain: "example.com", ip: "198.51.100.40", prefix: "teams.", browser: false } });
    expect(d.map((o) => o.key)).toEqual(["azure_tenant/pexip-eu tenant", "teams_proxy/pexip-eu", "conference/pexip-eu Teams IVR", "gateway_routing_rule/pexip-eu Teams meetings"]);
    expect(d[2].fields).toMatchObject({ aliases: ["teams@example.com", "198.51.100.40"], post_match_string: "(.*)", post_replace_string: "teams.\\1@example.com", teams_proxy: { $ref: "teams_proxy/pexip-eu" }, system_location: null });
    expect(d[3].fields.match_string).toBe("teams\\.(\\d{9,12})@example\\.com");
    expect(d[1].fields).toEqual({ name: "pexip-eu", address: "c.example.com", port: 443, azure_tenant: { $ref: "azure_tenant/pexip-eu tenant" }, notifications_enabled: true, notifications_queue: "q" });
  });

  test("no dial instructions: no Virtual Reception, the rule matches the bare Conference ID; enhanced status off: no queue", () => {
    const d = desiredObjects(parseInfinitySettings(base).settings!, { ...values, eventHubConnectionString: undefined });
    expect(d.map((o) => o.type)).toEqual(["azure_tenant", "teams_proxy", "gateway_routing_rule"]);
    expect(d[2].fields.match_string).toBe("(\\d{9,12})");
    expect(d[1].fields).toMatchObject({ notifications_enabled: false });
    expect(d[1].fields).not.toHaveProperty("notifications_queue");
  });
});
