/** The consent web app's access restrictions from consentSourcePrefixes (pure: no mocks). */
import { accessRestrictions } from "../components/accessRestrictions";

describe("accessRestrictions", () => {
  test("names come from the prefix, so reordering the list changes no rule; duplicates collapse; bad prefixes throw", () => {
    const a = accessRestrictions(["10.1.0.0/16", "192.0.2.10"]);
    const b = accessRestrictions(["192.0.2.10", "10.1.0.0/16"]);
    const byName = (x: typeof a) => Object.fromEntries(x.rules.map((r) => [r.name, r]));
    expect(byName(a)).toEqual(byName(b));
    expect(accessRestrictions(["192.0.2.10", "192.0.2.10/32"]).rules.map((r) => r.name)).toEqual(["allow-192-0-2-10-32"]);
    expect(accessRestrictions([])).toEqual({ rules: [], defaultAction: "Allow" });
    expect(() => accessRestrictions(["10.1.2.3/16"])).toThrow(/has host bits set/);
  });

  test("one Allow rule per prefix (an address is a /32), all at one priority, and Deny for everything else", () => {
    expect(accessRestrictions(["10.1.0.0/16", "192.0.2.10"])).toEqual({
      rules: [
        { name: "allow-10-1-0-0-16", ipAddress: "10.1.0.0/16", action: "Allow", priority: 100, description: "consentSourcePrefixes" },
        { name: "allow-192-0-2-10-32", ipAddress: "192.0.2.10/32", action: "Allow", priority: 100, description: "consentSourcePrefixes" },
      ],
      defaultAction: "Deny",
    });
  });
});
