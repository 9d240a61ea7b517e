/**
 * The update-rule table (components/updateRules.ts) against the force-new facts read from its sources
 * (test/fixtures/forceNew.json: pulumi-azure-native's forceNewMap, reports/forceNewTypes.json and generated schema,
 * the custom Blob, the azuread provider): every force-new input the eu or us plan sets has a row of the right kind,
 * and every `replace` row is one the facts support. A property the program never sets cannot change through config,
 * so only set ones must be covered. The plans are the real `npm run plan --json` output, on the suite's clock.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planAtNow, ROOT } from "./harness";
import { pathMatches, UPDATE_RULES, UpdateRule } from "../components/updateRules";

interface Source {
  url: string;
  commit?: string;
  version?: string;
  what: string;
}
interface TypeFacts {
  apiVersion: string | null;
  checked: string[];
  replace: Record<string, string[]>;
  nestedCreateOnly?: Record<string, string[]>;
  notReplace?: Record<string, string>;
}
interface Facts {
  azureNative: { version: string };
  azuread: { version: string };
  sources: Record<string, Source>;
  types: Record<string, TypeFacts>;
}
interface PlanDoc {
  resources: { type: string; inputs: Record<string, unknown> }[];
}

const FACTS = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/forceNew.json"), "utf8")) as Facts;
const FORCE_NEW_MAP = "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/gen/replacement.go";
const FORCE_NEW_TYPES = "https://github.com/pulumi/pulumi-azure-native/blob/master/reports/forceNewTypes.json";

/**
 * Force-new inputs the program sets that the table leaves uncovered on purpose: `type path` and why. None today; a
 * row here needs the reason the offline diff may show that change as an in-place update.
 */
const EXCEPTIONS: readonly { fact: string; why: string }[] = [];

/** Every leaf path an input value sets, list positions dropped (`securityRules.priority`); an empty list or object counts. */
function setPaths(v: unknown, at = "", out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {
    if (v.length === 0 && at) out.add(at);
    for (const x of v) setPaths(x, at, out);
  } else if (v !== null && typeof v === "object") {
    const keys = Object.keys(v);
    if (keys.length === 0 && at) out.add(at);
    for (const k of keys) setPaths((v as Record<string, unknown>)[k], at ? `${at}.${k}` : k, out);
  } else if (at) {
    out.add(at);
  }
  return out;
}

/** Set input paths per azure-native and azuread type, over the eu and the us plan. */
const setByType = new Map<string, Set<string>>();
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forcenew-"));
  try {
    for (const stack of ["eu", "us"]) {
      const file = path.join(dir, `${stack}.json`);
      const r = await planAtNow(["--stack", stack, "--json", file]);
      expect([stack, r.code]).toEqual([stack, 0]);
      const doc = JSON.parse(fs.readFileSync(file, "utf8")) as PlanDoc;
      for (const res of doc.resources) {
        if (!/^(azure-native|azuread):/.test(res.type)) continue;
        const paths = setByType.get(res.type) ?? new Set<string>();
        setPaths(res.inputs, "", paths);
        setByType.set(res.type, paths);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const isSet = (type: string, factPath: string) => [...(setByType.get(type) ?? [])].some((p) => pathMatches(factPath, p));
/** Unconditional rows of a type at or above a path. */
const covering = (rules: readonly UpdateRule[], type: string, factPath: string): UpdateRule[] =>
  rules.filter((r) => r.type === type && r.when === undefined && pathMatches(r.path, factPath));
const isException = (type: string, factPath: string) => EXCEPTIONS.some((e) => e.fact === `${type} ${factPath}`);
const short = (type: string, p: string) => `${type.split(":").pop()} ${p}`;

/** The set facts of one kind (`replace` or `nestedCreateOnly`), as `type path`. */
function setFacts(kind: "replace" | "nestedCreateOnly"): { type: string; p: string }[] {
  return Object.entries(FACTS.types).flatMap(([type, f]) => Object.keys(f[kind] ?? {}).filter((p) => isSet(type, p)).map((p) => ({ type, p })));
}

/** Set force-new inputs a table leaves without a replace or refused row. */
const uncoveredReplace = (rules: readonly UpdateRule[]) =>
  setFacts("replace").filter(({ type, p }) => !covering(rules, type, p).some((r) => r.kind === "replace" || r.kind === "refused") && !isException(type, p)).map(({ type, p }) => `${type} ${p}`);

/** Set create-only nested inputs a table does not mark replace (v3 propagates forceNew from referenced types). */
const notReplaced = (rules: readonly UpdateRule[]) =>
  setFacts("nestedCreateOnly").filter(({ type, p }) => {
    const kinds = covering(rules, type, p).map((r) => r.kind);
    return !(kinds.length > 0 && kinds.every((k) => k === "replace")) && !isException(type, p);
  }).map(({ type, p }) => `${type} ${p}`);

/** The API version an azure-native type's SDK class says it uses (`Uses Azure REST API version ...`), or null. */
function sdkApiVersion(type: string): string | null {
  const [, mod, name] = type.split(":");
  const file = path.join(ROOT, "node_modules/@pulumi/azure-native", mod, `${name[0].toLowerCase()}${name.slice(1)}.js`);
  const m = /Uses Azure REST API version ([0-9]{4}-[0-9]{2}-[0-9]{2}(?:-preview)?)/.exec(fs.readFileSync(file, "utf8"));
  return m ? m[1] : null;
}

describe("the facts file", () => {
  test("names each source by URL and the commit (or package version) read", () => {
    const keys = Object.keys(FACTS.sources).sort();
    expect(keys).toEqual(["azureadApplicationRegistration", "azureadSdk", "azureadServicePrincipal", "botSpec", "customBlob", "diffRule", "forceNewMap", "forceNewRule", "forceNewTypes", "schema"]);
    for (const k of keys) {
      const s = FACTS.sources[k];
      const pinned = s.commit !== undefined ? /^[0-9a-f]{40}$/.test(s.commit) && s.url.includes(s.commit) : s.version !== undefined && s.url.endsWith(`/v/${s.version}`);
      expect([k, /^https:\/\/\S+$/.test(s.url), pinned, s.what.length > 20]).toEqual([k, true, true, true]);
    }
    for (const [type, f] of Object.entries(FACTS.types)) {
      const cited = [...f.checked, ...Object.values(f.replace).flat(), ...Object.values(f.nestedCreateOnly ?? {}).flat()];
      expect([type, cited.filter((c) => !(c in FACTS.sources))]).toEqual([type, []]);
    }
  });

  test("is about the installed SDKs: their versions and each azure-native type's default API version", () => {
    const version = (pkg: string) => (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
    expect([FACTS.azureNative.version, FACTS.azuread.version]).toEqual([version("@pulumi/azure-native"), version("@pulumi/azuread")]);
    const native = Object.keys(FACTS.types).filter((t) => t.startsWith("azure-native:"));
    expect(native.map((t) => [t, FACTS.types[t].apiVersion])).toEqual(native.map((t) => [t, sdkApiVersion(t)]));
  });

  test("covers exactly the azure-native and azuread types the eu and us plans register", () => {
    expect(Object.keys(FACTS.types).sort()).toEqual([...setByType.keys()].sort());
    expect(setByType.size).toBe(31);
  });

  test("leaves names, resource group and location out (tools/engine/diff.ts replaces on those for every type)", () => {
    const paths = Object.values(FACTS.types).flatMap((f) => [...Object.keys(f.replace), ...Object.keys(f.nestedCreateOnly ?? {})]);
    expect(paths.filter((p) => /^([a-zA-Z]*Name|name|location)$/.test(p) && p !== "displayName")).toEqual([]);
  });
});

describe("the table against the facts", () => {
  test("every force-new input the plans set has a row: replace or the stricter refused, unconditional", () => {
    expect(uncoveredReplace(UPDATE_RULES)).toEqual([]);
    expect(setFacts("replace").map(({ type, p }) => short(type, p))).toEqual([
      "RoleAssignment principalId",
      "RoleAssignment scope",
      "PublicIPAddress publicIPAddressVersion",
      "PublicIPAddress sku",
      "Blob source",
      "Blob type",
      "AppServicePlan reserved",
      "WebApp hyperV",
      "WebApp isXenon",
      "WebApp kind",
      "ApplicationApiAccess apiClientId",
      "ApplicationApiAccess applicationId",
      "ApplicationPassword applicationId",
      "ApplicationPassword displayName",
      "ApplicationPassword endDateRelative",
      "ApplicationPassword rotateWhenChanged",
      "ApplicationRedirectUris applicationId",
      "ApplicationRedirectUris type",
      "ServicePrincipal clientId",
    ]);
  });

  test("every create-only input inside a nested type the plans set is a replace: azure-native v3 replaces on those by default", () => {
    expect(notReplaced(UPDATE_RULES)).toEqual([]);
    expect(setFacts("nestedCreateOnly").map(({ type, p }) => short(type, p))).toEqual(["Bot properties.msaAppId", "Bot properties.msaAppTenantId"]);
  });

  test("every replace row is a force-new fact; rows citing forceNewMap or forceNewTypes are in that source's facts", () => {
    const unsupported: string[] = [];
    for (const r of UPDATE_RULES) {
      const f = FACTS.types[r.type];
      const row = `${r.type} ${r.path}`;
      if (r.kind === "replace" && !(f && (r.path in f.replace || r.path in (f.nestedCreateOnly ?? {})))) unsupported.push(`${row}: no fact`);
      if (r.source === FORCE_NEW_MAP && !(r.kind === "replace" && f?.replace[r.path]?.includes("forceNewMap"))) unsupported.push(`${row}: not in forceNewMap`);
      if (r.source === FORCE_NEW_TYPES && !(r.kind === "replace" && f?.nestedCreateOnly?.[r.path]?.includes("forceNewTypes"))) unsupported.push(`${row}: not a forceNewTypes fact`);
    }
    expect(unsupported).toEqual([]);
    expect(UPDATE_RULES.filter((r) => r.source === FORCE_NEW_MAP).map((r) => short(r.type, r.path))).toEqual([
      "PublicIPAddress sku",
      "PublicIPAddress publicIPAddressVersion",
      "PublicIPAddress publicIPPrefix",
      "RoleAssignment principalId",
      "RoleAssignment scope",
      "StorageAccount isHnsEnabled",
      "WebApp kind",
    ]);
  });

  test("no row replaces on what the current default API version no longer replaces on (the bot's kind)", () => {
    const stale = Object.entries(FACTS.types).flatMap(([type, f]) => Object.keys(f.notReplace ?? {}).map((p) => ({ type, p })));
    expect(stale.map(({ type, p }) => short(type, p))).toEqual(["Bot kind", "Channel kind"]);
    expect(stale.filter(({ type, p }) => covering(UPDATE_RULES, type, p).some((r) => r.kind === "replace"))).toEqual([]);
    expect(isSet("azure-native:botservice:Bot", "kind")).toBe(true);
  });

  test("the checks bite: a missing row, and a nested create-only row marked refused, are reported", () => {
    const PIP = "azure-native:network:PublicIPAddress";
    const BOT = "azure-native:botservice:Bot";
    expect(uncoveredReplace(UPDATE_RULES.filter((r) => !(r.type === PIP && r.path === "sku")))).toEqual([`${PIP} sku`]);
    const asRefused = UPDATE_RULES.map((r) => (r.type === BOT && r.path === "properties.msaAppId" ? { ...r, kind: "refused" as const } : r));
    expect(notReplaced(asRefused)).toEqual([`${BOT} properties.msaAppId`]);
    expect(notReplaced(UPDATE_RULES.filter((r) => !(r.type === BOT && r.path === "properties.msaAppTenantId")))).toEqual([`${BOT} properties.msaAppTenantId`]);
  });
});
