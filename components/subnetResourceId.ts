/** ARM ID of the instances' subnet, known before the subnet exists: Key Vault's firewall (StaticResources) admits it by ID. Pure. */
import type { InstanceSubnetRef } from "./staticResources";

/** ARM ID of a subnet from its names (the form a Key Vault virtual network rule takes). */
// VirtualNetworkRule.id: full resource ID of a subnet https://learn.microsoft.com/en-us/rest/api/keyvault/keyvault/vaults/create-or-update#virtualnetworkrule
export function subnetResourceId(subscriptionId: string, s: InstanceSubnetRef): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${s.resourceGroupName}/providers/Microsoft.Network/virtualNetworks/${s.virtualNetworkName}/subnets/${s.subnetName}`;
}
