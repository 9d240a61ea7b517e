/** The shared mock layer's own promises: ARM IDs, determinism, the secrets it generates, what the monitor records. */
import * as pulumi from "@pulumi/pulumi";
import { armId, azureMocks, isSecretMarker, MOCK_CERT_VALID_FROM, nameInputOf } from "../tools/engine/mocks";
import * as crypto from "crypto";
import { runResources, SUBSCRIPTION_ID } from "./harness";

const o = { subscriptionId: SUBSCRIPTION_ID };

/** Any resource type, without its SDK. */
class Raw extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

test("a blob's ARM ID and final name come from blobName under its container", () => {
  expect(nameInputOf("azure-native:storage:Blob")).toBe("blobName");
  expect(armId("azure-native:storage:Blob", { resourceGroupName: "rg", accountName: "acct", containerName: "c" }, "pkg-26.2.zip", SUBSCRIPTION_ID)).toBe(
    `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/c/blobs/pkg-26.2.zip`);
});

test("private keys are the same in every process (fixed mock keys), and recorded as generated secrets", async () => {
  const generated = new Set<string>();
  const m = azureMocks(o, generated);
  const a = await m.newResource({ type: "tls:index/privateKey:PrivateKey", name: "cert-key", inputs: { algorithm: "RSA", rsaBits: 2048 }, custom: true });
  const b = await m.newResource({ type: "tls:index/privateKey:PrivateKey", name: "other-key", inputs: { algorithm: "RSA", rsaBits: 2048 }, custom: true });
  expect(a.state.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  expect(a.state.publicKeyPem).toBe(b.state.publicKeyPem);
  expect(generated.has(a.state.privateKeyPem as string)).toBe(true);
  expect(generated.has(a.state.publicKeyPem as string)).toBe(false);
});

test("Event Hub keys from invokes are realistic connection strings and recorded as generated secrets", async () => {
  const generated = new Set<string>();
  const m = azureMocks(o, generated);
  const keys = await m.call({ token: "azure-native:eventhub:listEventHubAuthorizationRuleKeys", inputs: { namespaceName: "ns", authorizationRuleName: "standard_access_policy", eventHubName: "events_hub" } });
  expect(keys.primaryConnectionString).toMatch(/^Endpoint=sb:\/\/ns\.servicebus\.windows\.net\/;SharedAccessKeyName=standard_access_policy;SharedAccessKey=.+;EntityPath=events_hub$/);
  expect([...generated].sort()).toEqual([keys.primaryConnectionString, keys.primaryKey, keys.secondaryConnectionString, keys.secondaryKey].sort());
});

test("the monitor records wire-form inputs (secret markers kept), protect and the generated secrets", async () => {
  const monitor = await runResources("t", () => {
    new Raw("azuread:index/applicationPassword:ApplicationPassword", "pw", { applicationId: "/applications/x", note: pulumi.secret("hush-hush-1") }, { protect: true });
  });
  const r = monitor.registrations.find((x) => x.name === "pw")!;
  expect(r.protect).toBe(true);
  expect(isSecretMarker(r.wireInputs.note)).toBe(true);
  expect((r.wireInputs.note as { value: unknown }).value).toBe("hush-hush-1");
  expect(monitor.generatedSecrets.size).toBe(1);
  expect([...monitor.generatedSecrets][0]).toMatch(/^mock~[0-9a-f]{34}$/);
});

test("the monitor records the replaceOnChanges and ignoreChanges options (the plan JSON and --diff read them)", async () => {
  const monitor = await runResources("t", () => {
    new Raw("azure-native:compute:VirtualMachineScaleSet", "vmss", { zones: ["1"] }, { replaceOnChanges: ["zones"], ignoreChanges: ["sku.capacity"] });
    new Raw("azure-native:network:PublicIPAddress", "pip", {});
  });
  const [vmss, pip] = ["vmss", "pip"].map((n) => monitor.registrations.find((x) => x.name === n)!);
  expect([vmss.replaceOnChanges, vmss.ignoreChanges]).toEqual([["zones"], ["sku.capacity"]]);
  expect([pip.replaceOnChanges, pip.ignoreChanges]).toEqual([[], []]);
});

test("self-signed certificates are valid from the Unix epoch for the program's hours: the same bytes for the same inputs", async () => {
  const m = azureMocks(o);
  const key = await m.newResource({ type: "tls:index/privateKey:PrivateKey", name: "k", inputs: { algorithm: "RSA", rsaBits: 2048 }, custom: true });
  const inputs = { privateKeyPem: key.state.privateKeyPem, validityPeriodHours: 48, subject: { commonName: "a.example.com" }, allowedUses: ["server_auth"] };
  const cert = await m.newResource({ type: "tls:index/selfSignedCert:SelfSignedCert", name: "c", custom: true, inputs });
  const x = new crypto.X509Certificate(cert.state.certPem as string);
  expect(MOCK_CERT_VALID_FROM.toISOString()).toBe("1970-01-01T00:00:00.000Z");
  expect(new Date(x.validFrom).toISOString()).toBe("1970-01-01T00:00:00.000Z");
  expect(new Date(x.validTo).toISOString()).toBe("1970-01-03T00:00:00.000Z");
  expect([cert.state.validityStartTime, cert.state.validityEndTime]).toEqual(["1970-01-01T00:00:00Z", "1970-01-03T00:00:00Z"]);
  // A fresh mock layer answers the same inputs with the same certificate: the options carry no clock to differ by.
  const again = await azureMocks(o).newResource({ type: "tls:index/selfSignedCert:SelfSignedCert", name: "c", custom: true, inputs });
  expect(again.state).toEqual(cert.state);
  // A different input is a different certificate.
  const longer = await m.newResource({ type: "tls:index/selfSignedCert:SelfSignedCert", name: "c", custom: true, inputs: { ...inputs, validityPeriodHours: 72 } });
  expect(longer.state.certPem).not.toBe(cert.state.certPem);
  expect(longer.state.validityEndTime).toBe("1970-01-04T00:00:00Z");
});
