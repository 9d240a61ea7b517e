/** Azure's tag limits per taggable type the program creates, as plain functions (no mocks). */
import { strictestLimits, TAG_LIMITS, tagProblems } from "../components/tagLimits";
import { UNTAGGABLE } from "./harness";
import { runProgram, stackSource } from "./harness";

const SHIPPED = { ResourceOwner: "user@domain", CostCenter: "Video Services" };

describe("tagProblems (config: tags.<name>, or tags)", () => {
  test("the shipped stacks' tags pass", () => {
    expect(tagProblems(SHIPPED)).toEqual([]);
  });

  test("a 129-character name is refused because of storage accounts (128); 128 passes", () => {
    expect(tagProblems({ ["a".repeat(128)]: "x" })).toEqual([]);
    expect(tagProblems({ ["a".repeat(129)]: "x" })).toEqual([
      { tag: "a".repeat(129), rule: "tag names must be at most 128 characters (StorageAccount); this one has 129" },
    ]);
    // On a resource group alone, Azure's general 512 applies.
    expect(tagProblems({ ["a".repeat(129)]: "x" }, ["azure-native:resources:ResourceGroup"])).toEqual([]);
    expect(tagProblems({ ["a".repeat(513)]: "x" }, ["azure-native:resources:ResourceGroup"])[0].rule).toBe("tag names must be at most 512 characters (ResourceGroup); this one has 513");
  });

  test("values at most 256, no < > % & \\ ? / in names, 50 tags, names case-insensitive", () => {
    expect(tagProblems({ a: "v".repeat(257) })).toEqual([{ tag: "a", aboutValue: true, rule: "tag values must be at most 256 characters; this one has 257" }]);
    expect(tagProblems({ "a/b": "x" })).toEqual([{ tag: "a/b", rule: "tag names must not contain < > % & \\ ? /" }]);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"]));
    expect(tagProblems(many)).toEqual([{ rule: "at most 50 tags per resource (has 51)" }]);
    expect(tagProblems({ Owner: "a", owner: "b" })).toEqual([{ tag: "owner", rule: 'tag names are case-insensitive in Azure: "owner" and "Owner" are the same tag' }]);
    expect(tagProblems({ a: { nested: true } })).toEqual([{ tag: "a", aboutValue: true, rule: "tag values must be strings" }]);
  });

  test("scale sets take 2048 characters of tags in all", () => {
    const tags = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`name${i}`, "v".repeat(250)]));
    expect(tagProblems(tags)).toEqual([{ rule: "tag names and values together must be at most 2048 characters on VirtualMachineScaleSet (these have 2295)" }]);
    expect(tagProblems(tags, ["azure-native:keyvault:Vault"])).toEqual([]);
  });

  test("the strictest limits over every type the program creates", () => {
    expect(strictestLimits()).toEqual({ maxTags: 50, maxNameLength: 128, maxValueLength: 256, maxTotalLength: 2048, nameLimitFrom: ["StorageAccount"], totalFrom: ["VirtualMachineScaleSet"] });
  });
});

test("the table covers exactly the taggable Azure types the program creates (eu stack)", async () => {
  const run = await runProgram("eu", stackSource("eu").source);
  const taggable = [...new Set(run.resources.filter((r) => r.type.startsWith("azure-native:") && r.custom && !UNTAGGABLE.has(r.type)).map((r) => r.type))].sort();
  expect(taggable).toEqual(Object.keys(TAG_LIMITS).sort());
});
