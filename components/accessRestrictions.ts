/** The consent web app's App Service access restrictions, from `consentSourcePrefixes`. Pure: no Pulumi. */
import { prefixProblem } from "./addresses";

/** One App Service access-restriction rule. */
export interface AccessRule {
  name: string;
  ipAddress: string;
  action: "Allow";
  priority: number;
  description: string;
}

/**
 * The web app's access restrictions: one Allow rule per source prefix (named from the prefix, so reordering the list
 * changes nothing) and Deny for everything else; no rules and Allow when the list is empty (public page).
 */
export function accessRestrictions(prefixes: string[]): { rules: AccessRule[]; defaultAction: "Allow" | "Deny" } {
  const cidrs = [...new Set(prefixes.map((p) => (p.includes("/") ? p : `${p}/32`)))];
  for (const c of cidrs) {
    const problem = prefixProblem(c);
    if (problem) throw new Error(`ConsentSite: source prefix "${c}" ${problem}`);
  }
  const rules = cidrs.map((c) => ({
    name: `allow-${c.replace(/[./]/g, "-")}`,
    ipAddress: c,
    action: "Allow" as const,
    // Allow rules only: their relative order does not matter, so one priority keeps them independent of list order.
    priority: 100,
    description: "consentSourcePrefixes",
  }));
  return { rules, defaultAction: rules.length > 0 ? "Deny" : "Allow" };
}
