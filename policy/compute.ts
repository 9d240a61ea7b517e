/**
 * Scale-set policies: encryption at host, no over-provisioning, rolling upgrades, the admin password only from a
 * secret, and (stack level) an NSG on every scale set's subnet or NICs.
 */
import {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { batchSize, toleratedUnhealthy, unhealthyPercentFor } from "../components/rollingUpgrade";
import { ImageRef, sizeCapabilityProblems } from "../components/vmSizes";
import * as azure from "./types";
import { at, isMasked, isRecord, list, same, show } from "./values";

/** The scale set's VM profile, or notApplicable when the file only has it as ciphertext (a stack export). */
function profileOf(props: unknown, args: ResourceValidationArgs): Record<string, unknown> {
  const profile = at(props, "virtualMachineProfile");
  if (isMasked(profile)) {
    args.notApplicable("virtualMachineProfile is encrypted in this file (export with `pulumi stack export --show-secrets` to check it)");
  }
  return isRecord(profile) ? profile : {};
}

// Anchor: Checkov CKV_AZURE_97 (VMSS encryption at host or a disk encryption set). Stricter: encryption at host,
// which also covers temp disks and caches; it succeeds Azure Disk Encryption, retired on 15 September 2028.
// Azure Disk Encryption is scheduled for retirement on September 15, 2028 https://learn.microsoft.com/en-us/azure/virtual-machines/disk-encryption-overview
export const vmssEncryptionAtHost: ResourceValidationPolicy = {
  name: "vmss-encryption-at-host",
  description: "Scale sets must enable encryption at host (virtualMachineProfile.securityProfile.encryptionAtHost).",
  validateResource: azure.validateResourceOfType(azure.VirtualMachineScaleSet, (props, args, report) => {
    const v = at(profileOf(props, args), "securityProfile.encryptionAtHost");
    if (v !== true) report(`virtualMachineProfile.securityProfile.encryptionAtHost is ${show(v)}; set it to true.`);
  }),
};

// Anchor: none of the scanners; Azure over-provisions by default, and each extra instance would run the connector's
// bootstrap and register with Teams before Azure deletes it.
// With overprovisioning turned on, the scale set spins up more VMs than asked, then deletes the extra ones https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-design-overview#overprovisioning
export const vmssNoOverprovisioning: ResourceValidationPolicy = {
  name: "vmss-no-overprovisioning",
  description: "Scale sets must not over-provision (overprovision: false).",
  validateResource: azure.validateResourceOfType(azure.VirtualMachineScaleSet, (props, _args, report) => {
    const v = at(props, "overprovision");
    if (v !== false) report(`overprovision is ${show(v)} (Azure's default is true); set it to false.`);
  }),
};

// Anchor: none of the scanners; a version or instance change must be a rolling in-place upgrade, never the seed's
// delete-and-recreate (spec/architecture.md "Upgrades are diffs"). Azure's default mode is Manual.
// Upgrade policy modes: automatic, manual, rolling https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-upgrade-policy
export const vmssRollingUpgrades: ResourceValidationPolicy = {
  name: "vmss-rolling-upgrades",
  description: "Scale sets must use rolling upgrades (upgradePolicy.mode: Rolling).",
  validateResource: azure.validateResourceOfType(azure.VirtualMachineScaleSet, (props, _args, report) => {
    const mode = at(props, "upgradePolicy.mode");
    if (!same(mode, "Rolling")) report(`upgradePolicy.mode is ${show(mode)}; set it to "Rolling".`);
  }),
};

// Anchor: the scanners' hard-coded secret checks (Checkov CKV_AZURE_45 and CKV_SECRET_*, KICS "Passwords And
// Secrets"); a plaintext password ends up in the state file and in every plan. Only the offline runner can see
// secretness: the engine unwraps secrets before policies run, so under `pulumi preview` this policy reports itself
// not applicable (config `secretsMarked` stays false).
export const vmssAdminPasswordFromSecret: ResourceValidationPolicy = {
  name: "vmss-admin-password-from-secret",
  description: "A scale set's admin password must come from a secret (config --secret, random password, Key Vault), never plaintext.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      secretsMarked: {
        type: "boolean",
        default: false,
        description:
          "Whether secret values reach this policy marked (the offline runner: plan files carry \"[secret]\", stack exports ciphertext). " +
          "The Pulumi engine hands policies plaintext, so under `pulumi preview` this stays false and the policy does not apply.",
      },
    },
  },
  validateResource: azure.validateResourceOfType(azure.VirtualMachineScaleSet, (props, args, report) => {
    if (args.getConfig<{ secretsMarked?: boolean }>().secretsMarked !== true) {
      args.notApplicable("the engine unwraps secrets before policies run; `npm run plan` and `npm run policy` check this");
    }
    const password = at(profileOf(props, args), "osProfile.adminPassword");
    if (typeof password === "string" && !isMasked(password)) {
      report("virtualMachineProfile.osProfile.adminPassword is plaintext; pass it as a secret (pulumi config set --secret adminPassword, or leave it unset to generate one).");
    } else if (password !== undefined && password !== null && !isMasked(password)) {
      report(`virtualMachineProfile.osProfile.adminPassword is ${typeof password}, not a secret string.`);
    }
  }),
};

// ---- stack level: an NSG on every scale set

/** `/virtualNetworks/<vnet>/subnets/<subnet>` of a subnet ID, lower-cased. */
function subnetKey(id: unknown): string | undefined {
  if (typeof id !== "string") return undefined;
  const m = /\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)\/?$/i.exec(id.trim());
  return m ? `${m[1]}/${m[2]}`.toLowerCase() : undefined;
}

function hasNsg(holder: unknown): boolean {
  const id = at(holder, "networkSecurityGroup.id");
  return typeof id === "string" && id.trim() !== "";
}

/** Subnets of the stack that carry an NSG, by `vnet/subnet` and by ID: inline in a VNet, or standalone. */
function subnetsWithNsg(resources: PolicyResource[]): { keys: Set<string>; known: Set<string> } {
  const keys = new Set<string>();
  const known = new Set<string>();
  const add = (vnet: unknown, subnet: unknown, id: unknown, nsg: boolean) => {
    const names = typeof vnet === "string" && typeof subnet === "string" ? `${vnet}/${subnet}`.toLowerCase() : undefined;
    const fromId = subnetKey(id);
    for (const k of [names, fromId]) {
      if (!k) continue;
      known.add(k);
      if (nsg) keys.add(k);
    }
  };
  for (const r of resources) {
    if (azure.isOfType(r.type, azure.VirtualNetwork)) {
      const vnet = r.props.virtualNetworkName ?? r.name;
      for (const s of list(r.props.subnets).filter(isRecord)) add(vnet, s.name, s.id, hasNsg(s));
    } else if (azure.isOfType(r.type, azure.Subnet)) {
      add(r.props.virtualNetworkName, r.props.subnetName ?? r.props.name ?? r.name, r.props.id, hasNsg(r.props));
    }
  }
  return { keys, known };
}

// Anchor: none of the scanners checks the pairing; their NSG checks (trivy AZU-0047, Checkov CKV_AZURE_9/10) assume
// an NSG filters the instances. The program attaches the NSG
// both to the subnet and to the NICs; either is enough. Advisory: Standard public IPs are closed without an NSG, so
// a missing NSG breaks the connector rather than exposing it.
export const vmssNsgAttached: StackValidationPolicy = {
  name: "vmss-nsg-attached",
  description: "Every scale set's NICs, or the subnets they use, must have a network security group.",
  validateStack: (args, report) => {
    const { keys, known } = subnetsWithNsg(args.resources);
    for (const r of args.resources.filter((x) => azure.isOfType(x.type, azure.VirtualMachineScaleSet))) {
      const profile = at(r.props, "virtualMachineProfile");
      if (isMasked(profile)) continue;
      const nics = list(at(profile, "networkProfile.networkInterfaceConfigurations")).filter(isRecord);
      if (nics.length === 0) {
        report(`Scale set "${r.name}" has no network interface configurations, so no NSG filters its traffic.`, r.urn);
        continue;
      }
      for (const nic of nics) {
        if (hasNsg(nic)) continue;
        const subnets = list(nic.ipConfigurations)
          .filter(isRecord)
          .map((ip) => at(ip, "subnet.id"));
        const bare = subnets.filter((id) => {
          const k = subnetKey(id);
          return !(k && keys.has(k));
        });
        if (subnets.length > 0 && bare.length === 0) continue;
        const where = bare
          .map((id) => {
            const k = subnetKey(id);
            return k ? `subnet "${k}"${known.has(k) ? "" : " (not in this stack)"}` : `subnet ${show(id)}`;
          })
          .join(", ");
        report(`Scale set "${r.name}", NIC "${String(nic.name)}": no NSG on the NIC nor on ${where || "its subnet (none set)"}.`, r.urn);
      }
    }
  },
};

// ---- Azure's rules for the size, the image and the rolling upgrade (components/vmSizes.ts, rollingUpgrade.ts)

/** The scale set's image reference, as the size check reads it. */
function imageOf(profile: Record<string, unknown>): ImageRef | undefined {
  const ref = at(profile, "storageProfile.imageReference");
  if (!isRecord(ref)) return undefined;
  if (typeof ref.id === "string" && ref.id !== "") return { id: ref.id };
  if (typeof ref.sku === "string") return { publisher: String(ref.publisher ?? ""), offer: String(ref.offer ?? ""), sku: ref.sku, version: String(ref.version ?? "") };
  return undefined;
}

// Anchor: none of the scanners; Azure refuses a size/image generation mismatch, accelerated networking on a size
// without it (or off where the size requires it), Premium SSD on a size without Premium Storage, and encryption at
// host where the size lacks it. Mandatory: each of these fails the deployment in Azure.
export const vmssSizeCapabilities: ResourceValidationPolicy = {
  name: "vmss-size-capabilities",
  description: "A scale set asks of its VM size only what the size supports (Hyper-V generation of the image, accelerated networking, Premium SSD, encryption at host; components/vmSizes.ts).",
  enforcementLevel: "mandatory",
  validateResource: azure.validateResourceOfType(azure.VirtualMachineScaleSet, (props, args, report) => {
    const size = at(props, "sku.name");
    if (typeof size !== "string") return;
    const profile = profileOf(props, args);
    const nics = list(at(profile, "networkProfile.networkInterfaceConfigurations")).filter(isRecord);
    const an = nics.map((n) => n.enableAcceleratedNetworking);
    const problems = sizeCapabilityProblems(size, {
      acceleratedNetworking: an.includes(true) ? true : an.length > 0 && an.every((v) => v !== true) ? false : undefined,
      premiumOsDisk: at(profile, "storageProfile.osDisk.managedDisk.storageAccountType") === "Premium_LRS",
      encryptionAtHost: at(profile, "securityProfile.encryptionAtHost") === true,
      image: imageOf(profile),
    });
    for (const p of problems) report(`sku.name ${show(size)}: ${p}.`);
  }),
};

// Anchor: none of the scanners; Azure stops a rollout when more instances are unhealthy than
// maxUnhealthyInstancePercent allows, counting the batch being upgraded. Mandatory: with one instance already
// unhealthy, a too-low threshold blocks every upgrade (floor(100 / n) did for n = 3, 6, 7, ...).
export const vmssRollingUpgradeThresholds: ResourceValidationPolicy = {
  name: "vmss-rolling-upgrade-thresholds",
  description: "A rolling upgrade of 2 or more instances tolerates one unhealthy instance on top of the batch being upgraded (maxUnhealthyInstancePercent).",
  enforcementLevel: "mandatory",
  validateResource: azure.validateResourceOfType(azure.VirtualMachineScaleSet, (props, _args, report) => {
    const n = at(props, "sku.capacity");
    const policy = at(props, "upgradePolicy.rollingUpgradePolicy");
    if (!same(at(props, "upgradePolicy.mode"), "Rolling") || typeof n !== "number" || n < 2 || !isRecord(policy)) return;
    // maxBatchInstancePercent and maxUnhealthyInstancePercent default to 20% https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-scale-sets/create-or-update#rollingupgradepolicy
    const batchPct = typeof policy.maxBatchInstancePercent === "number" ? policy.maxBatchInstancePercent : 20;
    const unhealthyPct = typeof policy.maxUnhealthyInstancePercent === "number" ? policy.maxUnhealthyInstancePercent : 20;
    const needed = batchSize(n, batchPct) + 1;
    const tolerated = toleratedUnhealthy(n, unhealthyPct);
    if (tolerated < needed) {
      report(`maxUnhealthyInstancePercent ${unhealthyPct} tolerates ${tolerated} of ${n} instances, but a batch of ${batchSize(n, batchPct)} plus one already unhealthy instance is ${needed}: one unhealthy instance blocks every upgrade. Use at least ${unhealthyPercentFor(n, needed)}.`);
    }
  }),
};
