/** The VM size table and the size/image rules, as plain functions (no mocks). */
import {
  acceleratedNetworking, canonicalVmSize, checkVmSizeAndImage, DEFAULT_VM_IMAGE, DEFAULT_VM_SIZE, imageGeneration, osDiskStorageType,
  sizeCapabilityProblems, vcpusFromName, vcpusOf, VM_SIZES, vmSizeInfo,
} from "../components/vmSizes";

const ws = (sku: string) => ({ publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku, version: "latest" });

describe("the size table", () => {
  test("holds the sizes the project supports, each with 4+ vCPUs and encryption at host", () => {
    expect(Object.keys(VM_SIZES)).toEqual([
      "Standard_F4s", "Standard_F8s", "Standard_F16s", "Standard_F4s_v2", "Standard_F8s_v2", "Standard_F16s_v2",
      "Standard_D4s_v5", "Standard_D8s_v5", "Standard_D4ds_v5",
    ]);
    expect(Object.entries(VM_SIZES).map(([k, v]) => [k, v.vcpus])).toEqual([
      ["Standard_F4s", 4], ["Standard_F8s", 8], ["Standard_F16s", 16], ["Standard_F4s_v2", 4], ["Standard_F8s_v2", 8], ["Standard_F16s_v2", 16],
      ["Standard_D4s_v5", 4], ["Standard_D8s_v5", 8], ["Standard_D4ds_v5", 4],
    ]);
    for (const [k, v] of Object.entries(VM_SIZES)) expect([k, v.encryptionAtHost, v.premiumStorage]).toEqual([k, true, true]);
  });

  test("Fs runs Gen1 only; Fsv2, Dsv5 and Ddsv5 run both; the quota families", () => {
    expect(vmSizeInfo("Standard_F4s")!.generations).toEqual(["V1"]);
    expect(vmSizeInfo("Standard_F8s_v2")!.generations).toEqual(["V1", "V2"]);
    expect(vmSizeInfo("standard_d4ds_v5")!.generations).toEqual(["V1", "V2"]);
    expect(["Standard_F16s", "Standard_F4s_v2", "Standard_D8s_v5", "Standard_D4ds_v5"].map((s) => vmSizeInfo(s)!.quotaFamily))
      .toEqual(["standardFSFamily", "standardFSv2Family", "standardDSv5Family", "standardDDSv5Family"]);
    expect(vmSizeInfo("Standard_B2s")).toBeUndefined();
    expect(canonicalVmSize("standard_f8s_v2")).toBe("Standard_F8s_v2");
    expect(canonicalVmSize("Standard_B2s")).toBe("Standard_B2s");
  });

  test("accelerated networking: 2+ vCPUs, or 4+ where a vCPU is a hyper-thread; off outside the table", () => {
    expect(["Standard_F4s", "Standard_F4s_v2", "Standard_D4s_v5", "Standard_D4ds_v5", "Standard_B2s", "Standard_F2s_v2"].map(acceleratedNetworking))
      .toEqual([true, true, true, true, false, false]);
  });

  test("Premium SSD where the size takes it, Standard SSD outside the table; vCPUs default to 4", () => {
    expect([osDiskStorageType("Standard_F4s"), osDiskStorageType("Standard_D4ds_v5"), osDiskStorageType("Standard_F4")]).toEqual(["Premium_LRS", "Premium_LRS", "StandardSSD_LRS"]);
    expect([vcpusOf("Standard_F16s_v2"), vcpusOf("Standard_E8s_v5"), vcpusOf("Premium_Unknown")]).toEqual([16, 8, 4]);
  });
});

describe("image generation from the SKU", () => {
  test.each([
    ["2022-datacenter-g2", "V2"],
    ["2022-Datacenter-G2", "V2"],
    ["2019-datacenter-gensecond", "V2"],
    ["2016-datacenter-gensecond", "V2"],
    ["win11-23h2-pro-gen2", "V2"],
    ["2022-datacenter", "V1"],
    ["2019-Datacenter", "V1"],
    ["2025-datacenter", "V1"],
    ["2022-datacenter-azure-edition", undefined],
  ])("%s is %s", (sku, gen) => {
    expect(imageGeneration(ws(sku))).toBe(gen);
  });

  test("another publisher's plain SKU and a gallery image are unknown", () => {
    expect(imageGeneration({ publisher: "Contoso", offer: "x", sku: "2022-datacenter", version: "1" })).toBeUndefined();
    expect(imageGeneration({ id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/galleries/x/images/y" })).toBeUndefined();
  });
});

describe("checkVmSizeAndImage (config: errors under vmImage/vmSize, warnings)", () => {
  test("the default size and image boot: no error (the series' retirement date is a warning)", () => {
    expect(DEFAULT_VM_SIZE).toBe("Standard_F4s");
    expect(DEFAULT_VM_IMAGE.sku).toBe("2022-datacenter");
    expect(checkVmSizeAndImage(DEFAULT_VM_SIZE, DEFAULT_VM_IMAGE)).toEqual({
      errors: [],
      warnings: ["vmSize Standard_F4s: Azure retires its series on 2028-11-15 (https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/retirement/retired-sizes-list); plan a move to a current size before then."],
    });
  });

  test("a Gen2 image on Standard_F4s is an error under vmImage naming the size", () => {
    expect(checkVmSizeAndImage("Standard_F4s", ws("2022-datacenter-g2")).errors).toEqual([
      { key: "vmImage", rule: "is a Hyper-V generation 2 image and Standard_F4s runs only generation 1 (pick a Gen1 image such as sku 2022-datacenter or another size)" },
    ]);
  });

  test("the Gen1/Gen2 pair on Standard_F8s_v2 and Standard_D4s_v5 both pass", () => {
    for (const size of ["Standard_F8s_v2", "Standard_D4s_v5"]) {
      for (const sku of ["2022-datacenter", "2022-datacenter-g2"]) expect([size, sku, checkVmSizeAndImage(size, ws(sku)).errors]).toEqual([size, sku, []]);
    }
    expect(checkVmSizeAndImage("Standard_D4s_v5", ws("2022-datacenter-g2")).warnings).toEqual([]);
  });

  test("a size outside the table is a warning, not an error; so is an image whose generation is unknown", () => {
    const r = checkVmSizeAndImage("Standard_E4s_v5", { id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/galleries/x/images/y" });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/^vmSize Standard_E4s_v5 is not one of the sizes this project supports/);
    expect(r.warnings[1]).toMatch(/its Hyper-V generation cannot be told from the config/);
  });
});

describe("vCPUs from a size's name (sizes outside the table)", () => {
  test.each([
    ["Standard_B2ms", 2], ["Standard_D2s_v5", 2], ["Standard_F2s", 2], ["Standard_E8-4s_v5", 4], ["Standard_E4s_v5", 4],
    ["Standard_D16ads_v5", 16], ["Standard_M416ms_v2", 416], ["standard_a1_v2", 1], ["Standard_DC2s_v3", 2],
  ] as const)("%s: %i", (size, n) => {
    expect(vcpusFromName(size)).toBe(n);
  });

  test("names outside the convention give no count", () => {
    expect(["Premium_Unknown", "Standard_", "F4s", "Standard_D4s_v5; rm -rf /"].map(vcpusFromName)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test("a size outside the table whose name says fewer than 4 vCPUs is an error under vmSize; one with 4 or more only a warning", () => {
    const small = checkVmSizeAndImage("Standard_D2s_v5", ws("2022-datacenter"));
    expect(small.errors).toEqual([{ key: "vmSize", rule: "has 2 vCPUs by its name (Azure's size naming: Standard_<family><vCPUs>...); each Teams Connector instance needs 4" }]);
    expect(checkVmSizeAndImage("Standard_E8-2s_v5", ws("2022-datacenter")).errors.map((e) => e.rule)).toEqual(["has 2 vCPUs by its name (Azure's size naming: Standard_<family><vCPUs>...); each Teams Connector instance needs 4"]);
    expect(checkVmSizeAndImage("Standard_E4s_v5", ws("2022-datacenter")).errors).toEqual([]);
  });
});

describe("sizeCapabilityProblems (the policy's view of a planned scale set)", () => {
  test("what each size cannot do", () => {
    expect(sizeCapabilityProblems("Standard_F4s", { acceleratedNetworking: true, premiumOsDisk: true, encryptionAtHost: true, image: ws("2022-datacenter") })).toEqual([]);
    expect(sizeCapabilityProblems("Standard_F4s", { image: ws("2022-datacenter-g2") })).toEqual(["Standard_F4s does not run Hyper-V generation 2 images (sku 2022-datacenter-g2)"]);
    expect(sizeCapabilityProblems("Standard_D4s_v5", { acceleratedNetworking: false })).toEqual(["Standard_D4s_v5 requires accelerated networking"]);
    expect(sizeCapabilityProblems("Standard_B4ms", { acceleratedNetworking: true })).toEqual(["accelerated networking is on for Standard_B4ms, a size outside the table of supported sizes"]);
    expect(sizeCapabilityProblems("Standard_B4ms", { acceleratedNetworking: false, premiumOsDisk: true })).toEqual([]);
  });
});
