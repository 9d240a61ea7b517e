/** The config phase's Azure rules in one call, as the loader uses them (no mocks): keys, values and rules. */
import { azureConfigRules } from "../components/azureConfigRules";

const ws = (sku: string) => ({ publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku, version: "latest" });
const TAGS = { ResourceOwner: "user@domain", CostCenter: "Video Services" };

test("the shipped stacks' size, image and tags: no error", () => {
  expect(azureConfigRules({ vmSize: "Standard_F4s", vmImage: ws("2022-datacenter"), tags: TAGS }).errors).toEqual([]);
});

test("a Gen2 image on Standard_F4s and a 129-character tag name: one error each, under vmImage and tags.<name>", () => {
  const long = "x".repeat(129);
  expect(azureConfigRules({ vmSize: "Standard_F4s", vmImage: ws("2022-datacenter-g2"), tags: { ...TAGS, [long]: "v" } }).errors).toEqual([
    { key: "vmImage", value: ws("2022-datacenter-g2"), rule: "is a Hyper-V generation 2 image and Standard_F4s runs only generation 1 (pick a Gen1 image such as sku 2022-datacenter or another size)" },
    { key: `tags.${long}`, value: long, rule: "tag names must be at most 128 characters (StorageAccount); this one has 129" },
  ]);
});

test("51 tags are one error under tags; a size outside the table is a warning only", () => {
  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"]));
  const r = azureConfigRules({ vmSize: "Standard_E4s_v5", vmImage: ws("2022-datacenter-g2"), tags: many });
  expect(r.errors).toEqual([{ key: "tags", value: "51 tags", rule: "at most 50 tags per resource (has 51)" }]);
  expect(r.warnings.map((w) => w.split(" ").slice(0, 2).join(" "))).toEqual(["vmSize Standard_E4s_v5"]);
});

test("a rule about a tag's value shows the value, a rule about its name the name", () => {
  const long = "v".repeat(257);
  expect(azureConfigRules({ vmSize: "Standard_F4s", vmImage: ws("2022-datacenter"), tags: { ...TAGS, k: long, "a/b": "x" } }).errors).toEqual([
    { key: "tags.k", value: long, rule: "tag values must be at most 256 characters; this one has 257" },
    { key: "tags.a/b", value: "a/b", rule: "tag names must not contain < > % & \\ ? /" },
  ]);
});
