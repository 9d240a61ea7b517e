/** The `infinity` key through the real program: the PexipInfinity component and its objects, config rules, secrets. */
import { EncryptedValue } from "../components/config";
import { containsSecret, inputs, ofType, runProgram, stackSource } from "./harness";
import { loadConfig } from "../components/config";
import { NOW } from "./fixtures/clock";

const INFINITY = {
  managementNode: "https://mgr.example.com",
  username: "admin",
  minimumInstances: 2,
  scheduledScaling: [{ name: "business-hours", days: ["mon", "tue", "wed", "thu", "fri"], from: "07:30", to: "17:00", instancesToAdd: 3, timezone: "Europe/Oslo" }],
};
const OBJECT = "pulumi-nodejs:dynamic/pexip:InfinityObject";

test("with infinity and capacityManagedBy infinity: one object per Infinity setting, after the scale set, password secret", async () => {
  const run = await runProgram("eu", stackSource("eu", { set: { capacityManagedBy: "infinity", infinity: structuredClone(INFINITY) }, secrets: { "infinity.password": "Inf1nity-API-pw" } }).source);
  const objects = ofType(run.resources, OBJECT);
  expect(objects.map((o) => `${inputs(o).objectType}/${inputs(o).objectName}`).sort()).toEqual([
    "azure_tenant/pexip-eu tenant",
    "conference/pexip-eu Teams IVR",
    "gateway_routing_rule/pexip-eu Teams meetings",
    "scheduled_scaling/pexip-eu/business-hours",
    "teams_proxy/pexip-eu",
  ]);
  const proxy = objects.find((o) => inputs(o).objectType === "teams_proxy")!;
  expect(inputs(proxy).fields).toMatchObject({ address: "pexip-teamsconn-eu.teams.example.com", port: 443, min_number_of_instances: 2, notifications_enabled: true });
  expect(containsSecret(proxy.wireInputs.password)).toBe(true);
  expect(containsSecret(proxy.wireInputs.notificationsQueue)).toBe(true);
  expect(JSON.stringify(inputs(proxy).fields)).not.toContain("Inf1nity-API-pw");
  const comp = ofType(run.resources, "pexip:teams:PexipInfinity")[0];
  // After the scale set: the connector must exist before Infinity is told to use it (the SDK expands a component dependency to its children).
  expect(comp.dependencies).toContain(ofType(run.resources, "azure-native:compute:VirtualMachineScaleSet")[0].urn);
});

test("minimumInstances and scheduledScaling need capacityManagedBy infinity; the password must be a secret; pulumi up needs it", () => {
  const load = (set: Record<string, unknown>, secrets: Record<string, string> = {}, offline = true) =>
    loadConfig(stackSource("eu", { set, secrets }).source, { stack: "eu", projectDir: process.cwd(), offline, now: NOW }).errors.map((e) => `${e.key}: ${e.rule}`);
  // Each case gets its own copy: the stack-file helper writes secrets into the value it is given.
  const inf = () => structuredClone(INFINITY);
  expect(load({ infinity: inf() })).toEqual([
    "pexip-teams-connector:infinity.minimumInstances: minimumInstances needs capacityManagedBy: infinity (otherwise Pulumi resets the instance count Infinity sets)",
    "pexip-teams-connector:infinity.scheduledScaling: scheduledScaling needs capacityManagedBy: infinity (otherwise Pulumi resets the instance count Infinity sets)",
  ]);
  expect(load({ capacityManagedBy: "infinity", infinity: { ...inf(), password: "plain-Text-pw" } })).toEqual([
    "pexip-teams-connector:infinity.password: must be stored as a secret (pulumi config set --secret --path infinity.password ...); a plaintext value in the stack file is not allowed",
  ]);
  expect(load({ capacityManagedBy: "infinity", infinity: inf() }, {}, false).filter((e) => e.includes("infinity"))).toEqual([
    "pexip-teams-connector:infinity.password: is required for pulumi up (pulumi config set --secret --path infinity.password ...); npm run infinity reads INFINITY_PASSWORD instead",
  ]);
  expect(load({ capacityManagedBy: "infinity", infinity: { ...inf(), password: new EncryptedValue() } })).toEqual([]);
});
