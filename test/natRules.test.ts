/** The load balancer's NAT rules v2 a stack gets (pure: no mocks). */
import { natRules } from "../components/natRules";

const SIGNALLING = [
  { name: "teams-signalling-10100", protocol: "Tcp", frontendPortRangeStart: 10000, frontendPortRangeEnd: 10399, backendPort: 10100 },
  { name: "teams-signalling-20100", protocol: "Tcp", frontendPortRangeStart: 11000, frontendPortRangeEnd: 11399, backendPort: 20100 },
];

describe("natRules", () => {
  test("without management prefixes: the two signalling rules, no RDP", () => {
    expect(natRules([])).toEqual(SIGNALLING);
  });

  test("with management prefixes: RDP too, after them; the table's flow numbers stay out of the summary", () => {
    expect(natRules(["192.0.2.0/27"])).toEqual([
      ...SIGNALLING,
      { name: "rdp-3389", protocol: "Tcp", frontendPortRangeStart: 50000, frontendPortRangeEnd: 50399, backendPort: 3389 },
    ]);
  });
});
