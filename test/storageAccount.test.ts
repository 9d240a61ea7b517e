/**
 * The shared storage-account hardening, as a plain function (no mocks), and what the policy pack says of it: the keyless
 * account passes every storage policy; a key-on account is reported by the advisory shared-key policy only.
 */
import { hardenedStorageAccountArgs, HardenedStorageAccountOptions } from "../components/storageAccount";
import { runPolicies } from "../policy/runner";

const TAGS = { ResourceOwner: "user@domain", CostCenter: "Video Services" };
const base = (allowSharedKeyAccess: boolean): HardenedStorageAccountOptions => ({
  resourceGroupName: "pexip-TeamsConn-eu-static-RG",
  accountName: "pexipeulogsx1y2z",
  location: "westeurope",
  tags: TAGS,
  allowSharedKeyAccess,
});

test("returns the program's hardened arguments, with the caller's names, location and tags", () => {
  expect(hardenedStorageAccountArgs(base(false))).toEqual({
    resourceGroupName: "pexip-TeamsConn-eu-static-RG",
    accountName: "pexipeulogsx1y2z",
    location: "westeurope",
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    accessTier: "Hot",
    minimumTlsVersion: "TLS1_2",
    enableHttpsTrafficOnly: true,
    allowBlobPublicAccess: false,
    allowSharedKeyAccess: false,
    defaultToOAuthAuthentication: true,
    allowCrossTenantReplication: false,
    tags: TAGS,
  });
});

test("allowSharedKeyAccess is the caller's choice and the only difference", () => {
  const off = hardenedStorageAccountArgs(base(false));
  const on = hardenedStorageAccountArgs(base(true));
  expect(on.allowSharedKeyAccess).toBe(true);
  expect(on).toEqual({ ...off, allowSharedKeyAccess: true });
});

test("the policy pack: keys off passes every policy; keys on fails storage-shared-key-disabled (advisory) only", async () => {
  const verdict = async (keys: boolean) =>
    (await runPolicies(
      [{ type: "azure-native:storage:StorageAccount", name: "sa", urn: "urn:sa", inputs: { ...hardenedStorageAccountArgs(base(keys)) } }],
      { requiredTags: Object.keys(TAGS) },
    )).map((v) => [v.policy, v.enforcementLevel]);
  expect(await verdict(false)).toEqual([]);
  expect(await verdict(true)).toEqual([["storage-shared-key-disabled", "advisory"]]);
});
