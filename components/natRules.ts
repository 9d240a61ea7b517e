/**
 * The load balancer's inbound NAT rules v2 a stack gets, from the network contract's table (components/network.ts):
 * what TeamsConnectorVmss creates, and what the plan and the docs show. Pure: no Pulumi.
 */
import { LOAD_BALANCER } from "./network";

/** A NAT rule as the plan and the docs show it. */
export interface NatRuleSummary {
  name: string;
  protocol: string;
  frontendPortRangeStart: number;
  frontendPortRangeEnd: number;
  backendPort: number;
}

/** The NAT rules v2 of a stack: RDP only when management prefixes are set. */
export function natRules(managementSourcePrefixes: string[]): NatRuleSummary[] {
  return LOAD_BALANCER.natRules
    .filter((r) => !("onlyWhenRdpAllowed" in r && r.onlyWhenRdpAllowed) || managementSourcePrefixes.length > 0)
    .map((r) => ({ name: r.name, protocol: r.protocol, frontendPortRangeStart: r.frontendPortRangeStart, frontendPortRangeEnd: r.frontendPortRangeEnd, backendPort: r.backendPort }));
}
