/**
 * The VM sizes this project supports for the Teams Connector instances, as data: what each one can run (Hyper-V
 * generations), what the scale set switches on for it (accelerated networking, Premium SSD, encryption at host) and
 * which regional vCPU quota it counts against. Plus the rule that tells a marketplace image's generation from its SKU,
 * and the one check the config phase and the policy pack share. Pure: no Pulumi, no config loader.
 */

/** Hyper-V generation, as Azure names it in `HyperVGenerations` (`az vm list-skus`). */
export type HyperVGeneration = "V1" | "V2";

/** A marketplace image reference or a gallery image ID (structurally the config's `vmImage`). */
export type ImageRef = { publisher: string; offer: string; sku: string; version: string } | { id: string };

export interface VmSizeInfo {
  /** vCPUs of one instance. */
  vcpus: number;
  /** Whether a vCPU is a hyper-thread (it changes the accelerated networking rule). */
  hyperThreaded: boolean;
  /** Hyper-V generations the size runs. */
  generations: readonly HyperVGeneration[];
  /** Accelerated networking: `required` means the size only deploys with it on. */
  acceleratedNetworking: "supported" | "required" | "unsupported";
  /** Premium SSD OS disks. */
  premiumStorage: boolean;
  /** Encryption at host (the program always turns it on). */
  encryptionAtHost: boolean;
  /** The regional vCPU quota the size counts against (`az vm list-usage`, `name.value`). */
  quotaFamily: string;
  /** Planned retirement of the series (YYYY-MM-DD), when announced. */
  retires?: string;
}

// Fs-series row: vCPUs and Premium Storage https://learn.microsoft.com/en-us/azure/virtual-machines/sizes-previous-gen#fs-series
const FS = { hyperThreaded: false, generations: ["V1"], acceleratedNetworking: "supported", premiumStorage: true, encryptionAtHost: true, quotaFamily: "standardFSFamily", retires: "2028-11-15" } as const;
// Fsv2-series row: Gen1 and Gen2, Premium Storage, accelerated networking https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/compute-optimized/fsv2-series
const FSV2 = { hyperThreaded: true, generations: ["V1", "V2"], acceleratedNetworking: "supported", premiumStorage: true, encryptionAtHost: true, quotaFamily: "standardFSv2Family", retires: "2028-11-15" } as const;
// Dsv5-series row: Gen1 and Gen2, Premium Storage, accelerated networking "Required" https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/general-purpose/dsv5-series
const DSV5 = { hyperThreaded: true, generations: ["V1", "V2"], acceleratedNetworking: "required", premiumStorage: true, encryptionAtHost: true, quotaFamily: "standardDSv5Family" } as const;
// Ddsv5-series row: Gen1 and Gen2, Premium Storage, accelerated networking "Required" https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/general-purpose/ddsv5-series
const DDSV5 = { hyperThreaded: true, generations: ["V1", "V2"], acceleratedNetworking: "required", premiumStorage: true, encryptionAtHost: true, quotaFamily: "standardDDSv5Family" } as const;

/**
 * The supported sizes. Generations: https://learn.microsoft.com/en-us/azure/virtual-machines/generation-2 (its
 * series list names Fsv2, not Fs: Fs is Gen1 only here, see the README's Assumptions). Encryption at host:
 * https://learn.microsoft.com/en-us/azure/virtual-machines/windows/disks-enable-host-based-encryption-powershell#supported-vm-sizes
 * (Fs and Fsv2 listed; the v5 families as "the latest generation"). Quota families: https://learn.microsoft.com/en-us/azure/virtual-machines/quotas
 */
export const VM_SIZES: Readonly<Record<string, VmSizeInfo>> = {
  // https://learn.microsoft.com/en-us/azure/virtual-machines/sizes-previous-gen#fs-series
  Standard_F4s: { vcpus: 4, ...FS },
  // https://learn.microsoft.com/en-us/azure/virtual-machines/sizes-previous-gen#fs-series
  Standard_F8s: { vcpus: 8, ...FS },
  // https://learn.microsoft.com/en-us/azure/virtual-machines/sizes-previous-gen#fs-series
  Standard_F16s: { vcpus: 16, ...FS },
  // https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/compute-optimized/fsv2-series
  Standard_F4s_v2: { vcpus: 4, ...FSV2 },
  // https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/compute-optimized/fsv2-series
  Standard_F8s_v2: { vcpus: 8, ...FSV2 },
  // https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/compute-optimized/fsv2-series
  Standard_F16s_v2: { vcpus: 16, ...FSV2 },
  // https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/general-purpose/dsv5-series
  Standard_D4s_v5: { vcpus: 4, ...DSV5 },
  // https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/general-purpose/dsv5-series
  Standard_D8s_v5: { vcpus: 8, ...DSV5 },
  // https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/general-purpose/ddsv5-series
  Standard_D4ds_v5: { vcpus: 4, ...DDSV5 },
};

/** The seed's size ("Each Teams Connector instance will use 4 vCPU of type Fs-series"). */
export const DEFAULT_VM_SIZE = "Standard_F4s";
/** Windows Server 2022 Datacenter, Gen1: the image generation Standard_F4s runs (2016, the seed's, leaves support in January 2027). */
export const DEFAULT_VM_IMAGE = { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter", version: "latest" } as const;
/** vCPUs each Teams Connector instance needs (the seed: 4 vCPU). */
export const MIN_VCPUS_PER_INSTANCE = 4;

// Retirement dates of the F, Fs and Fsv2 series https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/retirement/retired-sizes-list
export const SERIES_RETIREMENT_DOC = "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/retirement/retired-sizes-list";

/**
 * Marketplace SKUs of the Gen1/Gen2 pairs Microsoft publishes for Windows Server (the Gen2 one with a `-g2` or
 * `-gensecond` suffix). The rule below reads the suffix; these plain SKUs are the known Gen1 halves of the pairs.
 */
// SKU names 2019-datacenter-gensecond (Gen2) vs 2019-datacenter (Gen1) https://learn.microsoft.com/en-us/azure/virtual-machines/generation-2#marketplace-image
export const KNOWN_GEN1_SKUS: readonly string[] = ["2016-datacenter", "2019-datacenter", "2022-datacenter", "2025-datacenter", "2012-r2-datacenter", "2012-datacenter"];

/**
 * The Hyper-V generation of an image, as far as the config alone can tell: a marketplace SKU ending in `-g2`, `-gen2`
 * or `-gensecond` (any case) is Gen2; one of the known Gen1 SKUs is Gen1; anything else (another publisher's naming,
 * a gallery image, whose generation is a property of its image definition) is undefined.
 */
// Gen2 images are separate SKUs named -gensecond or -G2 https://learn.microsoft.com/en-us/azure/virtual-machines/generation-2#marketplace-image
export function imageGeneration(image: ImageRef): HyperVGeneration | undefined {
  if ("id" in image) return undefined;
  const sku = image.sku.trim().toLowerCase();
  if (/-(g2|gen2|gensecond)$/.test(sku)) return "V2";
  if (image.publisher.trim().toLowerCase() === "microsoftwindowsserver" && KNOWN_GEN1_SKUS.includes(sku)) return "V1";
  return undefined;
}

/** The table row of a size (Azure compares size names case-insensitively), undefined outside the table. */
export function vmSizeInfo(vmSize: string): VmSizeInfo | undefined {
  const key = Object.keys(VM_SIZES).find((k) => k.toLowerCase() === vmSize.trim().toLowerCase());
  return key ? VM_SIZES[key] : undefined;
}

/** The table's spelling of a size (so the scale set asks Azure for exactly what the table describes). */
export function canonicalVmSize(vmSize: string): string {
  return Object.keys(VM_SIZES).find((k) => k.toLowerCase() === vmSize.trim().toLowerCase()) ?? vmSize;
}

/**
 * The vCPUs a size's name states, for sizes outside the table: Standard_<family><vCPUs>[-<active vCPUs>]<features>
 * (Standard_B2ms: 2, Standard_E8-4s_v5: 4 active). Undefined when the name does not follow the convention.
 */
// The number after the family is the vCPU count, a constrained size's second number the active ones https://learn.microsoft.com/en-us/azure/virtual-machines/vm-naming-conventions
export function vcpusFromName(vmSize: string): number | undefined {
  const m = /^(?:Standard|Basic)_[A-Za-z]+(\d+)(?:-(\d+))?[A-Za-z]*(?:_v\d+)?$/i.exec(vmSize.trim());
  if (!m) return undefined;
  return Number(m[2] ?? m[1]);
}

/** One config error: the key it belongs to (`vmSize` or `vmImage`, in the project namespace) and the rule broken. */
export interface SizeImageProblem {
  key: "vmSize" | "vmImage";
  rule: string;
}

export interface SizeImageCheck {
  /** Problems that make the deployment fail in Azure: config errors under `key`. */
  errors: SizeImageProblem[];
  /** What cannot be checked offline, or will stop working later: config warnings. */
  warnings: string[];
}

/**
 * The config-time rules of the size and the image: the image's generation must be one the size runs, the size must
 * give each instance 4 vCPUs and take encryption at host; a size outside the table is a warning (its capabilities
 * are unknown here), as is an image whose generation the SKU does not tell.
 */
export function checkVmSizeAndImage(vmSize: string, image: ImageRef): SizeImageCheck {
  const errors: SizeImageProblem[] = [];
  const warnings: string[] = [];
  const info = vmSizeInfo(vmSize);
  const gen = imageGeneration(image);
  const imageName = "id" in image ? image.id : `${image.publisher}/${image.offer}/${image.sku}`;
  const genNumber = (g: HyperVGeneration) => (g === "V2" ? 2 : 1);
  if (!info) {
    const named = vcpusFromName(vmSize);
    if (named !== undefined && named < MIN_VCPUS_PER_INSTANCE) {
      errors.push({ key: "vmSize", rule: `has ${named} vCPUs by its name (Azure's size naming: Standard_<family><vCPUs>...); each Teams Connector instance needs ${MIN_VCPUS_PER_INSTANCE}` });
    }
    warnings.push(`vmSize ${vmSize} is not one of the sizes this project supports (${Object.keys(VM_SIZES).join(", ")}): its Hyper-V generations, accelerated networking, Premium SSD and encryption at host support are not checked offline, and accelerated networking stays off.`);
  } else {
    if (info.vcpus < MIN_VCPUS_PER_INSTANCE) errors.push({ key: "vmSize", rule: `has ${info.vcpus} vCPUs; each Teams Connector instance needs ${MIN_VCPUS_PER_INSTANCE}` });
    if (!info.encryptionAtHost) errors.push({ key: "vmSize", rule: "does not support encryption at host, which the scale set always enables" });
    if (gen && !info.generations.includes(gen)) {
      errors.push({
        key: "vmImage",
        rule: `is a Hyper-V generation ${genNumber(gen)} image and ${vmSize} runs only generation ${info.generations.map(genNumber).join(" and ")} (pick ${gen === "V2" ? `a Gen1 image such as sku ${DEFAULT_VM_IMAGE.sku}` : "a Gen2 SKU (-g2)"} or another size)`,
      });
    }
    if (info.retires) warnings.push(`vmSize ${vmSize}: Azure retires its series on ${info.retires} (${SERIES_RETIREMENT_DOC}); plan a move to a current size before then.`);
  }
  if (!gen) {
    warnings.push(`vmImage ${imageName}: its Hyper-V generation cannot be told from the config (a gallery image, or a SKU without -g2/-gensecond outside the known Gen1 SKUs); make sure ${vmSize} runs it.`);
  }
  return { errors, warnings };
}

/** Accelerated networking for the size: on where the table says supported or required; off outside the table (fails safe). */
// Two or more vCPUs, or four or more where a vCPU is a hyper-thread https://learn.microsoft.com/en-us/azure/virtual-network/accelerated-networking-overview#supported-vm-instances
export function acceleratedNetworking(vmSize: string): boolean {
  const info = vmSizeInfo(vmSize);
  if (!info || info.acceleratedNetworking === "unsupported") return false;
  return info.vcpus >= (info.hyperThreaded ? 4 : 2);
}

/** Premium SSD where the size takes it; Standard SSD otherwise and outside the table. */
// Premium Storage support is a per-series property https://learn.microsoft.com/en-us/azure/virtual-machines/disks-types#premium-ssds
export function osDiskStorageType(vmSize: string): "Premium_LRS" | "StandardSSD_LRS" {
  return vmSizeInfo(vmSize)?.premiumStorage ? "Premium_LRS" : "StandardSSD_LRS";
}

/** vCPUs per instance of a size: the table's, else what its name states, else the project's minimum (4). */
export function vcpusOf(vmSize: string): number {
  return vmSizeInfo(vmSize)?.vcpus ?? vcpusFromName(vmSize) ?? MIN_VCPUS_PER_INSTANCE;
}

/**
 * What a scale set asks of its size, as the policy pack reads it from the plan: each problem is a deployment that
 * Azure refuses (or that runs without what the program promises).
 */
export function sizeCapabilityProblems(vmSize: string, want: { acceleratedNetworking?: boolean; premiumOsDisk?: boolean; encryptionAtHost?: boolean; image?: ImageRef }): string[] {
  const info = vmSizeInfo(vmSize);
  const problems: string[] = [];
  if (!info) {
    // Outside the table nothing is known; enabling accelerated networking there is the one choice that can fail.
    if (want.acceleratedNetworking === true) problems.push(`accelerated networking is on for ${vmSize}, a size outside the table of supported sizes`);
    return problems;
  }
  if (want.acceleratedNetworking === true && !acceleratedNetworking(vmSize)) problems.push(`${vmSize} does not support accelerated networking`);
  if (want.acceleratedNetworking === false && info.acceleratedNetworking === "required") problems.push(`${vmSize} requires accelerated networking`);
  if (want.premiumOsDisk === true && !info.premiumStorage) problems.push(`${vmSize} does not take Premium SSD disks`);
  if (want.encryptionAtHost === true && !info.encryptionAtHost) problems.push(`${vmSize} does not support encryption at host`);
  if (want.image) {
    const gen = imageGeneration(want.image);
    if (gen && !info.generations.includes(gen)) problems.push(`${vmSize} does not run Hyper-V generation ${gen === "V2" ? 2 : 1} images (sku ${"sku" in want.image ? want.image.sku : ""})`);
  }
  return problems;
}
