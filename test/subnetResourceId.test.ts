/** The ARM ID Key Vault's virtual network rule takes for the instances' subnet (pure: no mocks). */
import { subnetResourceId } from "../components/subnetResourceId";

test("subnetResourceId: the full subnet ID from the subscription and the subnet's names", () => {
  expect(subnetResourceId("00000000-1111-2222-3333-444444444444", { resourceGroupName: "pexip-TeamsConn-eu-RG", virtualNetworkName: "pexipeu-vnet", subnetName: "instances" }))
    .toBe("/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/pexip-TeamsConn-eu-RG/providers/Microsoft.Network/virtualNetworks/pexipeu-vnet/subnets/instances");
});
