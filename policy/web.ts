/**
 * Web app policies, for the admin-consent site: a page that sends tenant admins to Microsoft's consent prompt for
 * the connector's app, so what it serves must not be alterable in transit or by a deployment channel nobody uses.
 * Site settings live in the WebApp's inline `siteConfig` (azure-native v3 has no standalone site-config resource).
 */
import { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import * as azure from "./types";
import { isInternetSource } from "./nsg";
import { at, isRecord, list, same, show, tlsVersion } from "./values";

/** Runs `check` on a WebApp's `siteConfig` (an empty one when unset: Azure's defaults then apply). */
function onSiteConfig(check: (siteConfig: Record<string, unknown>, policyConfig: Record<string, unknown>) => string[]): ResourceValidation {
  return azure.validateResourceOfType(azure.WebApp, (props, args, report) => {
    const sc = at(props, "siteConfig");
    for (const m of check(isRecord(sc) ? sc : {}, args.getConfig<Record<string, unknown>>())) report(m);
  });
}

// Anchor: Checkov CKV_AZURE_14. Mandatory: over plain HTTP the consent link could be swapped for another app's.
export const webAppHttpsOnly: ResourceValidationPolicy = {
  name: "webapp-https-only",
  description: "Web apps must accept HTTPS only (httpsOnly: true).",
  enforcementLevel: "mandatory",
  validateResource: azure.validateResourceOfType(azure.WebApp, (props, _args, report) => {
    const v = at(props, "httpsOnly");
    if (v !== true) report(`httpsOnly is ${show(v)} (Azure's default is false); set it to true.`);
  }),
};

// Anchor: Checkov CKV_AZURE_15.
export const webAppMinTls12: ResourceValidationPolicy = {
  name: "webapp-min-tls-1-2",
  description: "Web apps must require TLS 1.2 or newer (siteConfig.minTlsVersion: 1.2).",
  validateResource: onSiteConfig((sc) => {
    const v = sc.minTlsVersion;
    const n = tlsVersion(v);
    return n === undefined || n < 1.2 ? [`siteConfig.minTlsVersion is ${show(v)}; set it to "1.2".`] : [];
  }),
};

// Anchor: Checkov CKV_AZURE_78. The site is deployed by `pulumi up`; FTP and FTPS are channels nobody uses.
export const webAppFtpsDisabled: ResourceValidationPolicy = {
  name: "webapp-ftps-disabled",
  description: "Web apps must disable FTP and FTPS (siteConfig.ftpsState: Disabled).",
  validateResource: onSiteConfig((sc) => {
    const v = sc.ftpsState;
    return same(v, "Disabled") ? [] : [`siteConfig.ftpsState is ${show(v)} (Azure's default allows FTP); set it to "Disabled".`];
  }),
};

/** `a.b.c.d/n` (a bare address gets its host prefix length), lower-cased. */
function cidr(v: string): string {
  const s = v.trim().toLowerCase();
  if (s.includes("/")) return s;
  return s.includes(":") ? `${s}/128` : `${s}/32`;
}

// Anchor: none of the scanners (Azure Policy "App Service apps should restrict access" covers it): when the stack
// sets consentSourcePrefixes, the page must be reachable from those prefixes only. Empty means a public page.
export const webAppAccessRestrictions: ResourceValidationPolicy = {
  name: "webapp-access-restrictions",
  description: "When source prefixes are configured (consentSourcePrefixes), web apps must allow exactly those and deny the rest.",
  configSchema: {
    properties: {
      sourcePrefixes: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "The stack's consentSourcePrefixes; empty means the site is public by design and nothing is checked.",
      },
    },
  },
  validateResource: onSiteConfig((sc, policyConfig) => {
    const wanted = list(policyConfig.sourcePrefixes).filter((p): p is string => typeof p === "string").map(cidr);
    if (wanted.length === 0) return [];
    const out: string[] = [];
    const allows = list(sc.ipSecurityRestrictions)
      .filter(isRecord)
      .filter((r) => r.action === undefined || same(r.action, "Allow"))
      .map((r) => r.ipAddress)
      .filter((ip): ip is string => typeof ip === "string");
    const allowed = new Set(allows.map(cidr));
    const missing = [...new Set(wanted)].filter((p) => !allowed.has(p));
    if (missing.length > 0) out.push(`siteConfig.ipSecurityRestrictions does not allow ${missing.map((p) => JSON.stringify(p)).join(", ")}; add an Allow rule for each consentSourcePrefixes entry.`);
    const open = allows.filter((ip) => isInternetSource(ip));
    if (open.length > 0) out.push(`siteConfig.ipSecurityRestrictions allows ${open.map((p) => JSON.stringify(p)).join(", ")}, which is the whole internet.`);
    if (same(sc.ipSecurityRestrictionsDefaultAction, "Allow")) out.push(`siteConfig.ipSecurityRestrictionsDefaultAction is "Allow"; set it to "Deny".`);
    return out;
  }),
};
