/**
 * The offline round trip of adopting a PowerShell deployment's static resource group: `az resource list` output (the
 * fixture, plus the event hub listings the tool asks for) -> planStaticImport -> import file + existingStatic keys
 * merged into the shipped Pulumi.eu.yaml -> the real program under the mocks. The program must address exactly the
 * resources the import file adopts: same names, same logical names and types under the `static` component (URNs
 * in the engine's form, compared with `staticUrn`), same ARM paths. Otherwise the first `pulumi up` after
 * `pulumi import` would replace what was just adopted.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { one, ProgramRun, ROOT, runProgram, unwrap } from "./harness";
import { PROJECT } from "../components/config";
import { Registration } from "../tools/engine/mocks";
import { parseStackFile, stackFileSource } from "../tools/engine/stackFile";
import {
  AzResource,
  importFileText,
  mergeExistingStatic,
  planStaticImport,
  readAzResources,
  STATIC_COMPONENT,
  StaticImportPlan,
  staticUrn,
} from "../tools/migration/staticImport";

const FIXTURE = path.join(__dirname, "fixtures", "az-static-rg.json");
/** The fixture's subscription and static group (the PowerShell scripts' names). */
const SUB = "0f2a6c1e-3b7d-4e59-9a80-5c4d3e2f1a0b";
const RG = "pexip-TeamsConn-eu-static-RG";
const NS_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.EventHub/namespaces/pexipeu-tzfk6222uoehn`;

/** What `az eventhubs eventhub list` and `... authorization-rule list` print for the seed's hub and policy. */
const EVENT_HUB_LISTINGS: AzResource[] = [
  { id: `${NS_ID}/eventhubs/events_hub`, name: "events_hub", type: "Microsoft.EventHub/Namespaces/EventHubs", location: "westeurope", resourceGroup: RG },
  {
    id: `${NS_ID}/eventhubs/events_hub/authorizationRules/standard_access_policy`,
    name: "standard_access_policy",
    type: "Microsoft.EventHub/Namespaces/EventHubs/AuthorizationRules",
    location: "westeurope",
    resourceGroup: RG,
  },
];

/**
 * The URN the Pulumi engine gives a registration (parent type chain, root stack type left out; the SDK's createUrn).
 * The SDK's mock monitor prefixes top-level types with the stack's type, so URNs are compared in this form.
 */
async function engineUrn(r: Registration, all: Registration[]): Promise<string> {
  const [stackPart, project] = r.urn.split("::");
  const stack = stackPart.slice("urn:pulumi:".length);
  const parent = r.parent ? all.find((x) => x.urn === r.parent) : undefined;
  const parentUrn = parent && parent.type !== "pulumi:pulumi:Stack" ? await engineUrn(parent, all) : undefined;
  return unwrap(pulumi.createUrn(r.name, r.type, parentUrn, project, stack));
}

let plan: StaticImportPlan;
let stackFileText: string;
let run: ProgramRun;
beforeAll(async () => {
  const read = readAzResources([JSON.parse(fs.readFileSync(FIXTURE, "utf8")), EVENT_HUB_LISTINGS]);
  expect(read.errors).toEqual([]);
  plan = planStaticImport(read.resources, { stack: "eu", baseName: "pexip", regionCode: "eu", subscriptionId: SUB, location: "westeurope" });
  // The keys as the tool writes them into the shipped stack file; the stack runs in the adopted group's subscription.
  stackFileText = mergeExistingStatic(fs.readFileSync(path.join(ROOT, "Pulumi.eu.yaml"), "utf8"), plan.existingStatic);
  const sf = parseStackFile(stackFileText, "Pulumi.eu.yaml");
  sf.entries.set("azure-native:subscriptionId", { value: SUB, secret: false });
  run = await runProgram("eu", stackFileSource(sf));
});

/** The import file as `pulumi import --file` reads it (the text the tool writes). */
const importFile = () => JSON.parse(importFileText(plan)) as { resources: { type: string; name: string; id?: string; parent?: string; component?: boolean }[] };

test("the import plan of the fixture: no errors, every static resource adopted, four existingStatic keys", () => {
  expect(plan.errors).toEqual([]);
  expect(importFile().resources.map((r) => r.name)).toEqual(["static", "static-rg", "static-pip", "static-kv", "static-logs", "static-evhns", "static-evh", "static-evh-rule"]);
  expect(plan.existingStatic).toEqual({
    publicIpName: "pexipeu-pip-static",
    keyVaultName: "pexipeu-kv-qz4r7t2b",
    storageAccountName: "pexipeulogsqz4r7t2b",
    eventHubNamespace: "pexipeu-tzfk6222uoehn",
  });
  expect(parseStackFile(stackFileText).entries.get(`${PROJECT}:existingStatic`)?.value).toEqual(plan.existingStatic);
});

test("the program's static resources carry exactly the imported names", () => {
  const name = (type: string, logical: string, key: string) => (one(run.resources, type, logical).inputs as Record<string, unknown>)[key];
  expect(name("azure-native:resources:ResourceGroup", "static-rg", "resourceGroupName")).toBe(RG);
  expect(name("azure-native:network:PublicIPAddress", "static-pip", "publicIpAddressName")).toBe(plan.existingStatic.publicIpName);
  expect(name("azure-native:keyvault:Vault", "static-kv", "vaultName")).toBe(plan.existingStatic.keyVaultName);
  expect(name("azure-native:storage:StorageAccount", "static-logs", "accountName")).toBe(plan.existingStatic.storageAccountName);
  expect(name("azure-native:eventhub:Namespace", "static-evhns", "namespaceName")).toBe(plan.existingStatic.eventHubNamespace);
  expect(name("azure-native:eventhub:EventHub", "static-evh", "eventHubName")).toBe("events_hub");
  expect(name("azure-native:eventhub:EventHubAuthorizationRule", "static-evh-rule", "authorizationRuleName")).toBe("standard_access_policy");
  // The provider deploys into the adopted group's subscription.
  expect((one(run.resources, "pulumi:providers:azure-native").inputs as Record<string, unknown>).subscriptionId).toBe(SUB);
});

test("every import-file entry is a registration of the same type and logical name under the static component", async () => {
  const component = one(run.resources, STATIC_COMPONENT.type, STATIC_COMPONENT.name);
  expect(await engineUrn(component, run.resources)).toBe(staticUrn("eu"));
  const entries = importFile().resources.filter((e) => !e.component);
  expect(entries).toHaveLength(7);
  for (const e of entries) {
    expect([e.name, e.parent]).toEqual([e.name, STATIC_COMPONENT.name]);
    const reg = one(run.resources, e.type, e.name);
    expect([e.name, reg.parent]).toEqual([e.name, component.urn]);
    expect([e.name, await engineUrn(reg, run.resources)]).toEqual([e.name, staticUrn("eu", { pulumiType: e.type, logicalName: e.name })]);
  }
});

test("the program addresses the imported Azure IDs (the mocks answer in their own subscription; ARM IDs ignore case)", () => {
  const mockSub = (one(run.resources, "azure-native:resources:ResourceGroup", "static-rg").id ?? "").split("/")[2];
  for (const e of importFile().resources.filter((x) => !x.component)) {
    const reg = one(run.resources, e.type, e.name);
    expect([e.name, (reg.id ?? "").replace(`/subscriptions/${mockSub}/`, `/subscriptions/${SUB}/`).toLowerCase()]).toEqual([e.name, e.id!.toLowerCase()]);
  }
});

test("the import file binds every resource to the program's own explicit provider, by the URN the engine gives it", async () => {
  const provider = one(run.resources, "pulumi:providers:azure-native");
  const file = JSON.parse(importFileText(plan)) as { nameTable: Record<string, string>; resources: { provider?: string; component?: boolean }[] };
  expect(file.nameTable.azure).toBe(await engineUrn(provider, run.resources));
  for (const e of file.resources.filter((x) => !x.component)) expect(e.provider).toBe(provider.name);
});

test("the adopted group, public IP and Key Vault are protected: a change that would replace them stops pulumi up", () => {
  for (const [type, logical] of [
    ["azure-native:resources:ResourceGroup", "static-rg"],
    ["azure-native:network:PublicIPAddress", "static-pip"],
    ["azure-native:keyvault:Vault", "static-kv"],
  ]) expect([logical, one(run.resources, type, logical).protect]).toEqual([logical, true]);
});
