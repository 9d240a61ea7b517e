/**
 * Network policies: the two required NSG policies of `spec/policy.md`, and Standard SKUs for the load balancer and
 * the public IPs. NSG rules are checked wherever they live: inline in an NSG's `securityRules` and as standalone
 * SecurityRule resources (the seed tells admins to edit rule 1000 "RDP" in the portal; an export shows those edits).
 */
import { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import * as azure from "./types";
import { connectorFlowBreach, inboundFlows, rdpSshExposure, rdpSshExposureTogether, RuleView, rulesOf } from "./nsg";
import { at, isRecord, list, same, show } from "./values";

/**
 * Runs `check` on every rule of an NSG (inline) and on standalone SecurityRules; `acrossRules`, when given, also on
 * an NSG's inline rules together.
 */
function onEveryRule(
  check: (rule: RuleView, config: Record<string, unknown>) => string | undefined,
  acrossRules?: (rules: RuleView[], config: Record<string, unknown>) => string[],
): ResourceValidation[] {
  return [
    azure.validateResourceOfType(azure.NetworkSecurityGroup, (props, args, report) => {
      const rules = rulesOf(args.type, props as Record<string, unknown>, args.name);
      for (const rule of rules) {
        const message = check(rule, args.getConfig<Record<string, unknown>>());
        if (message) report(message);
      }
      for (const message of acrossRules?.(rules, args.getConfig<Record<string, unknown>>()) ?? []) report(message);
    }),
    azure.validateResourceOfType(azure.SecurityRule, (props, args, report) => {
      for (const rule of rulesOf(args.type, props as Record<string, unknown>, args.name)) {
        const message = check(rule, args.getConfig<Record<string, unknown>>());
        if (message) report(message);
      }
    }),
  ];
}

/** The ports `nsg-no-rdp-ssh-from-internet` watches unless configured otherwise. */
export const RDP_SSH_PORTS = [22, 3389];

function watchedPorts(config: Record<string, unknown>): number[] {
  return Array.isArray(config.ports) ? config.ports.filter((p): p is number => typeof p === "number") : RDP_SSH_PORTS;
}

// Anchors: Checkov CKV_AZURE_9 (RDP) and CKV_AZURE_10 (SSH), KICS "RDP/SSH is exposed to the internet", trivy
// AZU-0048/AZU-0050. Each misses a form (Checkov 0.0.0.0/0 and `Any`, trivy the Internet tag, KICS `*` ports):
// this is their union, case-insensitive.
export const nsgNoRdpSshFromInternet: ResourceValidationPolicy = {
  name: "nsg-no-rdp-ssh-from-internet",
  description:
    "No NSG rule may allow RDP (3389) or SSH (22) inbound over Tcp from the internet (*, Any, Internet, AzureCloud, 0.0.0.0, any /0, or prefixes that together cover a /8's worth of public IPv4 or a /19's of IPv6).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      ports: {
        type: "array",
        items: { type: "integer", minimum: 0, maximum: 65535 },
        default: RDP_SSH_PORTS,
        description: "Tcp ports that must never be reachable from the internet (default: SSH 22 and RDP 3389).",
      },
    },
  },
  validateResource: onEveryRule(
    (rule, config) => rdpSshExposure(rule, watchedPorts(config)),
    (rules, config) => rdpSshExposureTogether(rules, watchedPorts(config)),
  ),
};

// Anchors: the rest of the NSG checks, Checkov CKV_AZURE_160 (HTTP 80 from the internet), CKV_AZURE_77 (UDP from
// the internet), trivy AZU-0047 (unrestricted ingress), generalised: nothing is open inbound but the connector's
// flows, read from the network table (components/network.ts) so that a port is written in exactly one place.
export const nsgOnlyConnectorFlows: ResourceValidationPolicy = {
  name: "nsg-only-connector-flows",
  description:
    "Every inbound Allow rule must match a Teams Connector flow of the network table (protocol and ports), and only the flows the table allows from any source may come from the internet.",
  enforcementLevel: "mandatory",
  validateResource: onEveryRule((rule) => connectorFlowBreach(rule, inboundFlows())),
};

const STANDARD = "Standard";

// Anchor: none of the scanners check it; Azure retired Basic load balancers on 30 September 2025, and only Standard
// ones take inbound NAT rules v2 (spec/network.md) and are closed to inbound traffic unless an NSG allows it.
// On September 30, 2025, Basic Load Balancer was retired https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-basic-upgrade-guidance
export const loadBalancerStandardSku: ResourceValidationPolicy = {
  name: "load-balancer-standard-sku",
  description: "Load balancers must use the Standard SKU.",
  validateResource: azure.validateResourceOfType(azure.LoadBalancer, (props, _args, report) => {
    const sku = at(props, "sku.name");
    if (!same(sku, STANDARD)) report(`sku.name is ${show(sku)}; set it to "Standard" (Basic load balancers are retired).`);
  }),
};

// Anchor: none of the scanners check it; Basic public IPs were retired on 30 September 2025 and are open to inbound
// traffic by default, Standard ones are closed until an NSG allows it. Covers the scale set's instance-level IPs too.
// On September 30, 2025, Basic SKU public IPs were retired https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-basic-upgrade-guidance
export const publicIpStandardSku: ResourceValidationPolicy = {
  name: "public-ip-standard-sku",
  description: "Public IP addresses (the static one and the scale set's per-instance ones) must use the Standard SKU.",
  validateResource: [
    azure.validateResourceOfType(azure.PublicIPAddress, (props, _args, report) => {
      const sku = at(props, "sku.name");
      if (!same(sku, STANDARD)) report(`sku.name is ${show(sku)}; set it to "Standard" (Basic public IPs are retired).`);
    }),
    // Instance IPs take a sku only in Flexible orchestration; in Uniform mode Azure gives them the load balancer's
    // SKU, which load-balancer-standard-sku checks.
    // publicIPAddressConfiguration.sku can only be set with orchestrationMode Flexible https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-scale-sets/create-or-update#virtualmachinescalesetpublicipaddressconfiguration
    azure.validateResourceOfType(azure.VirtualMachineScaleSet, (props, _args, report) => {
      const flexible = same(at(props, "orchestrationMode"), "Flexible");
      for (const nic of list(at(props, "virtualMachineProfile.networkProfile.networkInterfaceConfigurations")).filter(isRecord)) {
        for (const ip of list(nic.ipConfigurations).filter(isRecord)) {
          if (!isRecord(ip.publicIPAddressConfiguration)) continue;
          const sku = at(ip.publicIPAddressConfiguration, "sku.name");
          if (sku === undefined && !flexible) continue;
          if (!same(sku, STANDARD)) {
            report(`The instance public IP of NIC "${String(nic.name)}", IP configuration "${String(ip.name)}" has sku.name ${show(sku)}; set it to "Standard".`);
          }
        }
      }
    }),
  ],
};
