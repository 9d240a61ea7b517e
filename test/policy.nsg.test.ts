/**
 * The two required NSG policies (spec/policy.md), awsguard style: a happy-path rule, then one property changed per
 * case, asserting the exact violation (or none). Every rule runs twice: inline in an NSG's `securityRules` and as a
 * standalone SecurityRule resource.
 */
import { securityRules } from "../components/network";
import { nsgNoRdpSshFromInternet, nsgOnlyConnectorFlows } from "../policy/network";
import { PolicyResource, runPolicySet, Violation } from "../policy/runner";

type Rule = Record<string, unknown>;

/** Restricted RDP: what an admin should have. Passes both policies. */
function rdpRule(overrides: Rule = {}): Rule {
  return {
    name: "RDP", priority: 1000, direction: "Inbound", access: "Allow", protocol: "Tcp", sourcePortRange: "*",
    sourceAddressPrefix: "203.0.113.0/24", destinationAddressPrefix: "*", destinationPortRange: "3389", ...overrides,
  };
}

/** The connector's signalling rule open to any source (the shipped rule when nodeSourcePrefixes is empty). Passes both. */
function signallingRule(overrides: Rule = {}): Rule {
  return {
    name: "MCU-signalling-endpoint", priority: 120, direction: "Inbound", access: "Allow", protocol: "Tcp", sourcePortRange: "*",
    sourceAddressPrefix: "*", destinationAddressPrefix: "*", destinationPortRange: "443", ...overrides,
  };
}

/** Removes keys set to undefined (a case that drops a property). */
function clean(rule: Rule): Rule {
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined));
}

const inline = (rules: Rule[]): PolicyResource => ({
  type: "azure-native:network:NetworkSecurityGroup", name: "vmss-nsg", urn: "urn:pulumi:eu::pexip-teams-connector::azure-native:network:NetworkSecurityGroup::vmss-nsg",
  inputs: { networkSecurityGroupName: "pexip-TeamsConn-eu-NSG", securityRules: rules.map(clean) },
});
const standalone = (rule: Rule): PolicyResource => ({
  type: "azure-native:network:SecurityRule", name: "portal-rule", urn: null,
  inputs: { networkSecurityGroupName: "pexip-TeamsConn-eu-NSG", resourceGroupName: "rg", ...clean(rule) },
});

async function messages(policy: typeof nsgNoRdpSshFromInternet, resource: PolicyResource): Promise<string[]> {
  const { violations } = await runPolicySet([policy], [resource]);
  for (const v of violations) {
    expect(v).toMatchObject<Partial<Violation>>({ policy: policy.name, enforcementLevel: "mandatory", name: resource.name, type: resource.type, urn: resource.urn ?? null });
  }
  return violations.map((v) => v.message);
}

const FIX = "; allow it only from your management networks (managementSourcePrefixes).";
const RDP_FROM = (source: string) => `Security rule "RDP" allows RDP (port 3389) inbound from the internet (${source})${FIX}`;
const SSH_FROM = (source: string) => `Security rule "RDP" allows SSH (port 22) inbound from the internet (${source})${FIX}`;
const BOTH_FROM = (source: string) => `Security rule "RDP" allows SSH (port 22) and RDP (port 3389) inbound from the internet (${source})${FIX}`;

describe("nsg-no-rdp-ssh-from-internet", () => {
  const cases: [string, Rule, string | null][] = [
    ["happy path: RDP from a management prefix passes", {}, null],
    // sources that mean the internet, in every spelling
    ["source * fails", { sourceAddressPrefix: "*" }, RDP_FROM('source "*"')],
    ["source Any fails", { sourceAddressPrefix: "Any" }, RDP_FROM('source "Any"')],
    ["source any (lower case) fails", { sourceAddressPrefix: "any" }, RDP_FROM('source "any"')],
    ["source ANY (upper case) fails", { sourceAddressPrefix: "ANY" }, RDP_FROM('source "ANY"')],
    ["source Internet fails", { sourceAddressPrefix: "Internet" }, RDP_FROM('source "Internet"')],
    ["source internet (lower case) fails", { sourceAddressPrefix: "internet" }, RDP_FROM('source "internet"')],
    ["source INTERNET (upper case) fails", { sourceAddressPrefix: "INTERNET" }, RDP_FROM('source "INTERNET"')],
    ["source 0.0.0.0 fails", { sourceAddressPrefix: "0.0.0.0" }, RDP_FROM('source "0.0.0.0"')],
    ["source 0.0.0.0/0 fails", { sourceAddressPrefix: "0.0.0.0/0" }, RDP_FROM('source "0.0.0.0/0"')],
    ["source ::/0 (IPv6) fails", { sourceAddressPrefix: "::/0" }, RDP_FROM('source "::/0"')],
    ["source 10.0.0.0/0 (any /0) fails", { sourceAddressPrefix: "10.0.0.0/0" }, RDP_FROM('source "10.0.0.0/0"')],
    ["source with spaces around * fails", { sourceAddressPrefix: " * " }, RDP_FROM('source "*"')],
    ["sourceAddressPrefixes with 0.0.0.0/0 among prefixes fails", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.1.0.0/16", "0.0.0.0/0"] }, RDP_FROM('source "0.0.0.0/0"')],
    ["sourceAddressPrefixes [Internet] fails", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["Internet"] }, RDP_FROM('source "Internet"')],
    ["sourceAddressPrefixes with two internet forms names both", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["Internet", "::/0"] }, RDP_FROM('sources "Internet", "::/0"')],
    ["comma list in sourceAddressPrefix with * fails", { sourceAddressPrefix: "10.0.0.0/8,*" }, RDP_FROM('source "*"')],
    ["prefix and prefixes both set, the internet one in prefixes, fails", { sourceAddressPrefixes: ["Any"] }, RDP_FROM('source "Any"')],
    // port forms
    ["port * from * fails", { sourceAddressPrefix: "*", destinationPortRange: "*" }, BOTH_FROM('source "*"')],
    ["range 3000-4000 from * fails", { sourceAddressPrefix: "*", destinationPortRange: "3000-4000" }, RDP_FROM('source "*"')],
    ["range 3389-3389 from * fails", { sourceAddressPrefix: "*", destinationPortRange: "3389-3389" }, RDP_FROM('source "*"')],
    ["range 1-65535 from * fails", { sourceAddressPrefix: "*", destinationPortRange: "1-65535" }, BOTH_FROM('source "*"')],
    ["port 22 from * fails as SSH", { sourceAddressPrefix: "*", destinationPortRange: "22" }, SSH_FROM('source "*"')],
    ["range 20-25 from * fails as SSH", { sourceAddressPrefix: "*", destinationPortRange: "20-25" }, SSH_FROM('source "*"')],
    ["destinationPortRanges [443, 3389] from * fails", { sourceAddressPrefix: "*", destinationPortRange: undefined, destinationPortRanges: ["443", "3389"] }, RDP_FROM('source "*"')],
    ["destinationPortRanges [80, 3000-3500] from * fails", { sourceAddressPrefix: "*", destinationPortRange: undefined, destinationPortRanges: ["80", "3000-3500"] }, RDP_FROM('source "*"')],
    ["destinationPortRanges [22, 3389] from * names SSH and RDP", { sourceAddressPrefix: "*", destinationPortRange: undefined, destinationPortRanges: ["22", "3389"] }, BOTH_FROM('source "*"')],
    ["comma list 443,3389 from * fails", { sourceAddressPrefix: "*", destinationPortRange: "443,3389" }, RDP_FROM('source "*"')],
    ["numeric port 3389 from * fails", { sourceAddressPrefix: "*", destinationPortRange: 3389 }, RDP_FROM('source "*"')],
    ["missing destination port (read as every port) from * fails", { sourceAddressPrefix: "*", destinationPortRange: undefined }, BOTH_FROM('source "*"')],
    ["unreadable destination port (read as every port) from * fails", { sourceAddressPrefix: "*", destinationPortRange: "rdp" }, BOTH_FROM('source "*"')],
    // protocol and casing
    ["protocol tcp (lower case) from * fails", { sourceAddressPrefix: "*", protocol: "tcp" }, RDP_FROM('source "*"')],
    ["protocol TCP (upper case) from * fails", { sourceAddressPrefix: "*", protocol: "TCP" }, RDP_FROM('source "*"')],
    ["protocol * from * fails", { sourceAddressPrefix: "*", protocol: "*" }, RDP_FROM('source "*"')],
    ["missing protocol (read as *) from * fails", { sourceAddressPrefix: "*", protocol: undefined }, RDP_FROM('source "*"')],
    ["direction inbound (lower case) from * fails", { sourceAddressPrefix: "*", direction: "inbound" }, RDP_FROM('source "*"')],
    ["access allow (lower case) from * fails", { sourceAddressPrefix: "*", access: "allow" }, RDP_FROM('source "*"')],
    // must pass
    ["Deny from * passes (the shipped rule with no management prefixes)", { sourceAddressPrefix: "*", access: "Deny" }, null],
    ["deny (lower case) from * passes", { sourceAddressPrefix: "*", access: "deny" }, null],
    ["Outbound from * passes", { sourceAddressPrefix: "*", direction: "Outbound" }, null],
    ["outbound (lower case) to port * passes", { sourceAddressPrefix: "*", direction: "outbound", destinationPortRange: "*" }, null],
    ["source 10.0.0.0/8 passes", { sourceAddressPrefix: "10.0.0.0/8" }, null],
    ["source 203.0.113.10/32 passes", { sourceAddressPrefix: "203.0.113.10/32" }, null],
    ["sourceAddressPrefixes of two management networks pass", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["198.51.100.0/24", "203.0.113.0/24"] }, null],
    ["source VirtualNetwork passes", { sourceAddressPrefix: "VirtualNetwork" }, null],
    ["source AzureLoadBalancer passes", { sourceAddressPrefix: "AzureLoadBalancer" }, null],
    ["source 0.0.0.0/8 (not /0) passes", { sourceAddressPrefix: "0.0.0.0/8" }, null],
    ["Udp 3389 from * passes (RDP is Tcp)", { sourceAddressPrefix: "*", protocol: "Udp" }, null],
    ["UDP 22 from * passes", { sourceAddressPrefix: "*", protocol: "UDP", destinationPortRange: "22" }, null],
    ["Icmp from * passes", { sourceAddressPrefix: "*", protocol: "Icmp", destinationPortRange: "*" }, null],
    ["port 443 from * passes", { sourceAddressPrefix: "*", destinationPortRange: "443" }, null],
    ["range 3390-4000 from * passes", { sourceAddressPrefix: "*", destinationPortRange: "3390-4000" }, null],
    ["range 23-3388 from * passes", { sourceAddressPrefix: "*", destinationPortRange: "23-3388" }, null],
    ["destinationPortRanges [10100, 20100] from Internet passes", { sourceAddressPrefix: "Internet", destinationPortRange: undefined, destinationPortRanges: ["10100", "20100"] }, null],
  ];

  test.each(cases)("inline: %s", async (_name, change, expected) => {
    expect(await messages(nsgNoRdpSshFromInternet, inline([rdpRule(change)]))).toEqual(expected ? [expected] : []);
  });

  test.each(cases)("standalone SecurityRule: %s", async (_name, change, expected) => {
    expect(await messages(nsgNoRdpSshFromInternet, standalone(rdpRule(change)))).toEqual(expected ? [expected] : []);
  });

  test("a standalone rule without a name is reported by its logical name", async () => {
    expect(await messages(nsgNoRdpSshFromInternet, standalone(rdpRule({ name: undefined, sourceAddressPrefix: "*" })))).toEqual([
      `Security rule "portal-rule" allows RDP (port 3389) inbound from the internet (source "*")${FIX}`,
    ]);
  });

  test("one violation per offending rule, named by rule", async () => {
    const res = inline([signallingRule(), rdpRule({ sourceAddressPrefix: "*" }), rdpRule({ name: "SSH-admin", sourceAddressPrefix: "Internet", destinationPortRange: "22" })]);
    expect(await messages(nsgNoRdpSshFromInternet, res)).toEqual([
      RDP_FROM('source "*"'),
      `Security rule "SSH-admin" allows SSH (port 22) inbound from the internet (source "Internet")${FIX}`,
    ]);
  });

  test("configured ports extend the watch list (WinRM 5986)", async () => {
    const { violations } = await runPolicySet([nsgNoRdpSshFromInternet], [inline([rdpRule({ sourceAddressPrefix: "*", destinationPortRange: "5986" })])], {
      policyConfig: { "nsg-no-rdp-ssh-from-internet": { ports: [22, 3389, 5986] } },
    });
    expect(violations.map((v) => v.message)).toEqual([`Security rule "RDP" allows port 5986 inbound from the internet (source "*")${FIX}`]);
  });
});

const FLOWS = "connector flows: Tcp 443, 3389, 10100, 20100 and Udp 50000-59999";
const OPEN = "only Tcp 443, 10100, 20100 and Udp 50000-59999 may come from any source";

describe("nsg-only-connector-flows", () => {
  const cases: [string, Rule, string | null][] = [
    ["happy path: 443 from the internet (connector signalling) passes", {}, null],
    ["443 from Internet passes", { sourceAddressPrefix: "Internet" }, null],
    ["443 from restricted node prefixes passes", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["198.51.100.0/24", "192.0.2.0/24"] }, null],
    ["Udp 50000-54999 (node media) from * passes", { protocol: "Udp", destinationPortRange: "50000-54999" }, null],
    ["Udp 52000 from a node prefix passes", { protocol: "Udp", sourceAddressPrefix: "198.51.100.7", destinationPortRange: "52000" }, null],
    ["Udp 55000-59999 (Teams media) from Internet passes", { protocol: "Udp", sourceAddressPrefix: "Internet", destinationPortRange: "55000-59999" }, null],
    ["Tcp 10100 and 20100 (Teams signalling after NAT) from Internet pass", { sourceAddressPrefix: "Internet", destinationPortRange: undefined, destinationPortRanges: ["10100", "20100"] }, null],
    ["Tcp 20100 alone passes", { sourceAddressPrefix: "Internet", destinationPortRange: "20100" }, null],
    ["Tcp 3389 from a management prefix passes", { sourceAddressPrefix: "203.0.113.0/24", destinationPortRange: "3389" }, null],
    ["Tcp 3389 Deny from * passes", { access: "Deny", destinationPortRange: "3389" }, null],
    ["Deny everything from * passes", { access: "Deny", protocol: "*", destinationPortRange: "*" }, null],
    ["Outbound AMQP to EventHub passes", { direction: "Outbound", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "EventHub", destinationPortRange: "5671-5672" }, null],
    ["Outbound anything passes", { direction: "Outbound", protocol: "*", destinationPortRange: "*" }, null],
    // not a flow
    ["Tcp 80 from a private prefix fails", { sourceAddressPrefix: "10.0.0.0/8", destinationPortRange: "80" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 80, which no connector flow uses (${FLOWS}).`],
    ["Tcp 8080 from * fails", { destinationPortRange: "8080" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 8080, which no connector flow uses (${FLOWS}).`],
    ["Udp 443 fails", { protocol: "Udp" }, `Security rule "MCU-signalling-endpoint" allows inbound Udp 443, which no connector flow uses (${FLOWS}).`],
    ["Tcp 10000-10399 (before NAT: NSGs never see it) fails", { sourceAddressPrefix: "Internet", destinationPortRange: "10000-10399" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 10000-10099, 10101-10399, which no connector flow uses (${FLOWS}).`],
    ["Tcp 50000-50399 (RDP before NAT) from a management prefix fails", { sourceAddressPrefix: "203.0.113.0/24", destinationPortRange: "50000-50399" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 50000-50399, which no connector flow uses (${FLOWS}).`],
    ["inbound Tcp 5671-5672 (an outbound flow) fails", { sourceAddressPrefix: "VirtualNetwork", destinationPortRange: "5671-5672" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 5671-5672, which no connector flow uses (${FLOWS}).`],
    ["Icmp fails", { protocol: "Icmp", destinationPortRange: "*" }, `Security rule "MCU-signalling-endpoint" allows inbound Icmp, which no connector flow uses (${FLOWS}).`],
    ["Esp fails", { protocol: "Esp", sourceAddressPrefix: "10.0.0.0/8", destinationPortRange: "*" }, `Security rule "MCU-signalling-endpoint" allows inbound Esp, which no connector flow uses (${FLOWS}).`],
    ["protocol * on 443 fails (Udp 443 and other protocols)", { protocol: "*" }, `Security rule "MCU-signalling-endpoint" allows inbound Udp 443 and any other protocol, which no connector flow uses (${FLOWS}).`],
    ["comma list 443,80 fails for 80", { destinationPortRange: "443,80" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 80, which no connector flow uses (${FLOWS}).`],
    ["destinationPortRanges [443, 8443] fails for 8443", { destinationPortRange: undefined, destinationPortRanges: ["443", "8443"] }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 8443, which no connector flow uses (${FLOWS}).`],
    ["Udp 55000-60000 fails for 60000", { protocol: "Udp", sourceAddressPrefix: "Internet", destinationPortRange: "55000-60000" }, `Security rule "MCU-signalling-endpoint" allows inbound Udp 60000, which no connector flow uses (${FLOWS}).`],
    ["Udp 49999-54999 fails for 49999", { protocol: "Udp", destinationPortRange: "49999-54999" }, `Security rule "MCU-signalling-endpoint" allows inbound Udp 49999, which no connector flow uses (${FLOWS}).`],
    ["Tcp port * from a private prefix fails for every other port", { sourceAddressPrefix: "10.0.0.0/8", destinationPortRange: "*" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 0-442, 444-3388, 3390-10099, 10101-20099, 20101-65535, which no connector flow uses (${FLOWS}).`],
    ["unreadable port fails, read as every port", { sourceAddressPrefix: "10.0.0.0/8", destinationPortRange: "https" }, `Destination port "https" is not a port or a range (read as every port). Security rule "MCU-signalling-endpoint" allows inbound Tcp 0-442, 444-3388, 3390-10099, 10101-20099, 20101-65535, which no connector flow uses (${FLOWS}).`],
    // flows the table does not allow from any source
    ["Tcp 3389 from * fails", { destinationPortRange: "3389" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 3389 from the internet (source "*"); ${OPEN}.`],
    ["Tcp 3389 from Internet fails", { sourceAddressPrefix: "Internet", destinationPortRange: "3389" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 3389 from the internet (source "Internet"); ${OPEN}.`],
    ["Tcp 3389 from 0.0.0.0 fails", { sourceAddressPrefix: "0.0.0.0", destinationPortRange: "3389" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 3389 from the internet (source "0.0.0.0"); ${OPEN}.`],
    ["Tcp 443 and 3389 from ::/0 fails for 3389 only", { sourceAddressPrefix: "::/0", destinationPortRange: undefined, destinationPortRanges: ["443", "3389"] }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 3389 from the internet (source "::/0"); ${OPEN}.`],
    ["Tcp 80 and 3389 from Any fails twice", { sourceAddressPrefix: "Any", destinationPortRange: "80,3389" }, `Security rule "MCU-signalling-endpoint" allows inbound Tcp 80, which no connector flow uses (${FLOWS}). Security rule "MCU-signalling-endpoint" allows inbound Tcp 3389 from the internet (source "Any"); ${OPEN}.`],
  ];

  test.each(cases)("inline: %s", async (_name, change, expected) => {
    expect(await messages(nsgOnlyConnectorFlows, inline([signallingRule(change)]))).toEqual(expected ? [expected] : []);
  });

  test.each(cases)("standalone SecurityRule: %s", async (_name, change, expected) => {
    expect(await messages(nsgOnlyConnectorFlows, standalone(signallingRule(change)))).toEqual(expected ? [expected] : []);
  });
});

describe("the shipped rules (securityRules() from components/network.ts)", () => {
  const variants: [string, Parameters<typeof securityRules>[0]][] = [
    ["empty prefix lists, enhanced status on", { nodeSourcePrefixes: [], managementSourcePrefixes: [], enhancedStatus: true }],
    ["empty prefix lists, enhanced status off", { nodeSourcePrefixes: [], managementSourcePrefixes: [], enhancedStatus: false }],
    ["one node prefix, one management prefix", { nodeSourcePrefixes: ["198.51.100.0/24"], managementSourcePrefixes: ["203.0.113.10"], enhancedStatus: true }],
    ["several node and management prefixes", { nodeSourcePrefixes: ["198.51.100.0/24", "192.0.2.0/24"], managementSourcePrefixes: ["203.0.113.0/24", "10.20.0.0/16"], enhancedStatus: true }],
  ];

  test.each(variants)("%s: no violation of either policy, inline or standalone", async (_name, inputs) => {
    const rules = securityRules(inputs) as unknown as Rule[];
    expect(rules.length).toBeGreaterThanOrEqual(5);
    const resources = [inline(rules), ...rules.map((r) => standalone(r))];
    const { violations } = await runPolicySet([nsgNoRdpSshFromInternet, nsgOnlyConnectorFlows], resources);
    expect(violations).toEqual([]);
  });

  test('managementSourcePrefixes ["0.0.0.0/0"] fails nsg-no-rdp-ssh-from-internet (and the flow policy)', async () => {
    const rules = securityRules({ nodeSourcePrefixes: [], managementSourcePrefixes: ["0.0.0.0/0"], enhancedStatus: true }) as unknown as Rule[];
    const { violations } = await runPolicySet([nsgNoRdpSshFromInternet, nsgOnlyConnectorFlows], [inline(rules)]);
    expect(violations).toEqual([
      {
        policy: "nsg-no-rdp-ssh-from-internet", enforcementLevel: "mandatory", urn: inline([]).urn, name: "vmss-nsg", type: "azure-native:network:NetworkSecurityGroup",
        message: `Security rule "RDP" allows RDP (port 3389) inbound from the internet (source "0.0.0.0/0")${FIX}`,
      },
      {
        policy: "nsg-only-connector-flows", enforcementLevel: "mandatory", urn: inline([]).urn, name: "vmss-nsg", type: "azure-native:network:NetworkSecurityGroup",
        message: `Security rule "RDP" allows inbound Tcp 3389 from the internet (source "0.0.0.0/0"); ${OPEN}.`,
      },
    ]);
  });
});

describe("the internet assembled from pieces, broad tags and hostile spellings (issue 15)", () => {
  const NINES = Array.from({ length: 512 }, (_, i) => `${i >> 1}.${(i & 1) * 128}.0.0/9`);
  const cases: [string, Rule, string | null][] = [
    ["0.0.0.0/1 + 128.0.0.0/1 fails", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["0.0.0.0/1", "128.0.0.0/1"] }, RDP_FROM('sources "0.0.0.0/1", "128.0.0.0/1"')],
    ["0.0.0.0/1 alone fails", { sourceAddressPrefix: "0.0.0.0/1" }, RDP_FROM('source "0.0.0.0/1"')],
    ["a public /8 fails", { sourceAddressPrefix: "17.0.0.0/8" }, RDP_FROM('source "17.0.0.0/8"')],
    ["two /9s making a public /8 fail together", { sourceAddressPrefix: "17.0.0.0/9,17.128.0.0/9" },
      RDP_FROM('sources "17.0.0.0/9", "17.128.0.0/9": together they cover 2^24 public IPv4 addresses, at least a /8\'s worth')],
    ["512 /9s fail together, the message cut after 8 sources", { sourceAddressPrefix: undefined, sourceAddressPrefixes: NINES },
      RDP_FROM('sources "1.0.0.0/9", "1.128.0.0/9", "2.0.0.0/9", "2.128.0.0/9", "3.0.0.0/9", "3.128.0.0/9", "4.0.0.0/9", "4.128.0.0/9" and 434 more: together they cover 3702257664 public IPv4 addresses, at least a /8\'s worth')],
    ["AzureCloud fails", { sourceAddressPrefix: "AzureCloud" }, RDP_FROM('source "AzureCloud"')],
    ["azurecloud.westeurope (a regional tag, lower case) fails", { sourceAddressPrefix: "azurecloud.westeurope" }, RDP_FROM('source "azurecloud.westeurope"')],
    ["IPv6 2000::/3 fails", { sourceAddressPrefix: "2000::/3" }, RDP_FROM('source "2000::/3"')],
    ["IPv6 2000::/4 + 3000::/4 fails", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["2000::/4", "3000::/4"] }, RDP_FROM('sources "2000::/4", "3000::/4"')],
    ["IPv4-mapped ::ffff:0.0.0.0/96 fails", { sourceAddressPrefix: "::ffff:0.0.0.0/96" }, RDP_FROM('source "::ffff:0.0.0.0/96"')],
    ["all private space passes", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] }, null],
    ["a public /9 passes", { sourceAddressPrefix: "17.0.0.0/9" }, null],
    ["an IPv6 /48 passes", { sourceAddressPrefix: "2001:db8:1234::/48" }, null],
    ["a service tag that is not the internet (Storage.WestEurope) passes", { sourceAddressPrefix: "Storage.WestEurope" }, null],
  ];

  test.each(cases)("inline: %s", async (_name, change, expected) => {
    expect(await messages(nsgNoRdpSshFromInternet, inline([rdpRule(change)]))).toEqual(expected ? [expected] : []);
  });

  test.each(cases)("standalone SecurityRule: %s", async (_name, change, expected) => {
    expect(await messages(nsgNoRdpSshFromInternet, standalone(rdpRule(change)))).toEqual(expected ? [expected] : []);
  });

  test("nsg-only-connector-flows names the union too", async () => {
    expect(await messages(nsgOnlyConnectorFlows, inline([signallingRule({ sourceAddressPrefix: "17.0.0.0/9,17.128.0.0/9", destinationPortRange: "3389" })]))).toEqual([
      `Security rule "MCU-signalling-endpoint" allows inbound Tcp 3389 from the internet (sources "17.0.0.0/9", "17.128.0.0/9": together they cover 2^24 public IPv4 addresses, at least a /8's worth); ${OPEN}.`,
    ]);
  });

  test("rules of one NSG that each allow RDP from a /9 are the internet together", async () => {
    const rules = ["17.0.0.0/9", "17.128.0.0/9"].map((p, i) => rdpRule({ name: `RDP-${i}`, priority: 1000 + i, sourceAddressPrefix: p }));
    expect(await messages(nsgNoRdpSshFromInternet, inline([...rules, signallingRule()]))).toEqual([
      `Security rules "RDP-0", "RDP-1" together allow RDP (port 3389) inbound from the internet (sources "17.0.0.0/9", "17.128.0.0/9": together they cover 2^24 public IPv4 addresses, at least a /8's worth)${FIX}`,
    ]);
    // A Deny rule or another port does not join the union.
    const denied = [rules[0], rdpRule({ name: "RDP-1", access: "Deny", sourceAddressPrefix: "17.128.0.0/9" }), rdpRule({ name: "HTTP", sourceAddressPrefix: "17.128.0.0/9", destinationPortRange: "80" })];
    expect(await messages(nsgNoRdpSshFromInternet, inline(denied))).toEqual([]);
  });

  test("a rule with 20001 source entries is not measured and fails", async () => {
    const many = Array.from({ length: 20_001 }, (_, i) => `203.0.${i % 256}.${i >> 8}`);
    expect(await messages(nsgNoRdpSshFromInternet, inline([rdpRule({ sourceAddressPrefix: undefined, sourceAddressPrefixes: many })]))).toEqual([
      `Security rule "RDP" allows RDP (port 3389) inbound from the internet (its sources: more than 20000 entries, not measured)${FIX}`,
    ]);
  });
});
