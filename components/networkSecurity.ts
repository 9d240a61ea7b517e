/**
 * The instances' network security group (shared/spec/network.md "NSG"), built from the one rule table in
 * `network.ts`. Rules are inline in the NSG, each keyed by its name, so a prefix-list change is one in-place update
 * of one resource (the seed's "modify the NSG rules" advice, as a diff).
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { ConcreteSecurityRule, securityRules } from "./network";

export interface NetworkSecurityArgs {
  /** Resource group of the NSG (the dynamic one); required. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure location of the NSG; required. */
  location: string;
  /** NSG name (`names.nsg`, `<base><region>-nsg`); required. */
  networkSecurityGroupName: string;
  /** Conferencing Node prefixes admitted to 443 and media; required, empty: any source (the seed's default). Not the Teams or RDP rules. */
  nodeSourcePrefixes: string[];
  /** Management prefixes allowed to RDP; required, empty: the `RDP` rule denies from `*`. */
  managementSourcePrefixes: string[];
  /** Conferencing Node source port ranges (`a-b`) of the signalling and media rules (the seed's "configurable" ranges); required. Source ports only: destination ports are fixed (components/network.ts). */
  nodePorts: { signalling: string; media: string };
  /** Add the outbound AMQP rule to the EventHub service tag; required, false: no such rule. */
  enhancedStatus: boolean;
  /** Tags on the NSG; required (`{}` tags nothing). */
  tags: Record<string, string>;
}

export class NetworkSecurity extends pulumi.ComponentResource {
  public readonly nsgId: pulumi.Output<string>;
  public readonly nsgName: pulumi.Output<string>;
  /** The concrete rules (plain data), for the plan's table and the docs. */
  public readonly rules: ConcreteSecurityRule[];

  constructor(name: string, args: NetworkSecurityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pexip:teams:NetworkSecurity", name, {}, opts);
    this.rules = securityRules({
      nodeSourcePrefixes: args.nodeSourcePrefixes,
      managementSourcePrefixes: args.managementSourcePrefixes,
      enhancedStatus: args.enhancedStatus,
      nodePorts: args.nodePorts,
    });
    const nsg = new network.NetworkSecurityGroup(name, {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      networkSecurityGroupName: args.networkSecurityGroupName,
      // Inline (not standalone SecurityRule resources): the whole table is one resource, updated in place.
      securityRules: this.rules.map((r) => ({ ...r })),
      tags: args.tags,
    }, { parent: this });
    this.nsgId = nsg.id;
    this.nsgName = nsg.name;
    this.registerOutputs({ nsgId: this.nsgId, nsgName: this.nsgName, rules: this.rules });
  }
}
