import { inputs, one, parentName, runResources, UNTAGGABLE } from "./harness";
import { NetworkSecurity, NetworkSecurityArgs } from "../components/networkSecurity";
import { NSG_RULES } from "../components/network";

const base: NetworkSecurityArgs = {
  resourceGroupName: "pexip-TeamsConn-eu-RG",
  location: "westeurope",
  networkSecurityGroupName: "pexipeu-nsg",
  nodeSourcePrefixes: [],
  managementSourcePrefixes: [],
  nodePorts: { signalling: "33000-39999", media: "40000-49999" },
  enhancedStatus: true,
  tags: { CostCenter: "Video Services" },
};

async function nsgOf(args: NetworkSecurityArgs) {
  let component: NetworkSecurity | undefined;
  const monitor = await runResources("eu", () => {
    component = new NetworkSecurity("vmss-nsg", args);
  });
  const nsg = one(monitor.registrations, "azure-native:network:NetworkSecurityGroup");
  const rules = inputs(nsg).securityRules as Record<string, any>[];
  return { monitor, nsg, rules, byName: new Map(rules.map((r) => [r.name, r])), component: component! };
}

describe("NetworkSecurity", () => {
  test("the Conferencing Nodes' configurable port ranges are the source ports of their two rules, nothing else", async () => {
    const { byName } = await nsgOf({ ...base, nodePorts: { signalling: "34000-34999", media: "41000-41999" } });
    expect(byName.get("MCU-signalling-endpoint")!.sourcePortRange).toBe("34000-34999");
    expect(byName.get("MCU-media")!.sourcePortRange).toBe("41000-41999");
    expect([...byName.values()].filter((r) => r.sourcePortRange !== "*").map((r) => r.name)).toEqual(["MCU-signalling-endpoint", "MCU-media"]);
  });

  test("empty prefix lists: 443 and media open to any source, RDP denied from * (the seed's defaults)", async () => {
    const { nsg, rules, byName, component } = await nsgOf(base);
    expect(inputs(nsg).networkSecurityGroupName).toBe("pexipeu-nsg");
    expect(rules.map((r) => [r.name, r.priority, r.direction, r.access])).toEqual([
      ["MCU-signalling-endpoint", 120, "Inbound", "Allow"],
      ["MCU-media", 130, "Inbound", "Allow"],
      ["Teams-signalling", 140, "Inbound", "Allow"],
      ["Teams-media", 150, "Inbound", "Allow"],
      ["RDP", 1000, "Inbound", "Deny"],
      ["EventHub-AMQP-outbound", 200, "Outbound", "Allow"],
    ]);
    const mcu = byName.get("MCU-signalling-endpoint")!;
    expect([mcu.sourceAddressPrefix, mcu.sourcePortRange, mcu.destinationPortRange, mcu.protocol]).toEqual(["*", "33000-39999", "443", "Tcp"]);
    const media = byName.get("MCU-media")!;
    expect([media.sourcePortRange, media.destinationPortRange, media.protocol]).toEqual(["40000-49999", "50000-54999", "Udp"]);
    expect(byName.get("Teams-media")!.sourcePortRange).toBe("*");
    const rdp = byName.get("RDP")!;
    expect([rdp.sourceAddressPrefix, rdp.destinationPortRange, rdp.protocol]).toEqual(["*", "3389", "Tcp"]);
    expect(byName.get("Teams-signalling")!.destinationPortRanges).toEqual(["10100", "20100"]);
    expect(byName.get("Teams-signalling")!.sourceAddressPrefix).toBe("Internet");
    expect(byName.get("EventHub-AMQP-outbound")!.destinationAddressPrefix).toBe("EventHub");
    // The component's plain-data rules are exactly what went to Azure.
    expect(component.rules.map((r) => r.name)).toEqual(rules.map((r) => r.name));
  });

  test("prefix lists: Conferencing Node rules take nodeSourcePrefixes, RDP allows managementSourcePrefixes", async () => {
    const { byName } = await nsgOf({ ...base, nodeSourcePrefixes: ["203.0.113.10", "198.51.100.0/28"], managementSourcePrefixes: ["192.0.2.0/27"] });
    expect(byName.get("MCU-signalling-endpoint")!.sourceAddressPrefixes).toEqual(["203.0.113.10", "198.51.100.0/28"]);
    expect(byName.get("MCU-media")!.sourceAddressPrefixes).toEqual(["203.0.113.10", "198.51.100.0/28"]);
    expect(byName.get("MCU-media")!.destinationPortRange).toBe("50000-54999");
    const rdp = byName.get("RDP")!;
    expect([rdp.access, rdp.sourceAddressPrefix, rdp.priority]).toEqual(["Allow", "192.0.2.0/27", 1000]);
    // Teams rules never depend on the operator's prefixes.
    expect(byName.get("Teams-media")!.sourceAddressPrefix).toBe("Internet");
  });

  test("without enhancedStatus there is no Event Hub rule", async () => {
    const { byName } = await nsgOf({ ...base, enhancedStatus: false });
    expect(byName.has("EventHub-AMQP-outbound")).toBe(false);
    expect(byName.size).toBe(NSG_RULES.length - 1);
  });

  test("one resource, inline rules, tagged, parented to the component", async () => {
    const { monitor, nsg } = await nsgOf(base);
    const custom = monitor.registrations.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
    expect(custom.map((r) => r.type)).toEqual(["azure-native:network:NetworkSecurityGroup"]);
    expect(monitor.registrations.some((r) => r.type === "azure-native:network:SecurityRule")).toBe(false);
    expect(UNTAGGABLE.has(nsg.type)).toBe(false);
    expect(inputs(nsg).tags).toEqual({ CostCenter: "Video Services" });
    expect(parentName(nsg)).toBe("vmss-nsg");
    expect(one(monitor.registrations, "pexip:teams:NetworkSecurity").name).toBe("vmss-nsg");
  });

  test("a prefix change changes the NSG's rules only: same resource name, same NSG name", async () => {
    const a = await nsgOf(base);
    const b = await nsgOf({ ...base, managementSourcePrefixes: ["192.0.2.0/27"] });
    expect(b.nsg.urn).toBe(a.nsg.urn);
    const { securityRules: ra, ...restA } = inputs(a.nsg);
    const { securityRules: rb, ...restB } = inputs(b.nsg);
    expect(restB).toEqual(restA);
    expect(rb).not.toEqual(ra);
  });
});
