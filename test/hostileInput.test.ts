/**
 * Hostile and malformed input to the offline tools (issue 15), in-process and without evaluating the program:
 * every case ends with a clear message and exit 2, no stack trace, no secret the user typed, bounded reads, and
 * Object.prototype untouched.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cutEcho } from "../components/echo";
import { parseJsonText, readBoundedText } from "../tools/cli";
import { planAtNow as plan } from "./harness";
import { planFileProblem } from "../tools/engine/diff";
import { applySecret, MAX_STACK_FILE_BYTES, parseStackFile, readStackFile, SecretArgError } from "../tools/engine/stackFile";

const ROOT = path.resolve(__dirname, "..");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));
const SECRET = "Hunter2-Pexip-Pw!";
const EU = fs.readFileSync(path.join(ROOT, "Pulumi.eu.yaml"), "utf8");

/** No stack trace frames in a message. */
const NO_TRACE = /^\s+at .+\(.*:\d+:\d+\)$/m;

function file(name: string, text: string): string {
  const f = path.join(TMP, name);
  fs.writeFileSync(f, text);
  return f;
}

afterEach(() => {
  // Nothing may have been written onto Object.prototype by any case.
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).x).toBeUndefined();
});

describe("YAML problems quote no text of the file", () => {
  test.each([
    ["an unclosed quote on the password line", `config:\n  pexip-teams-connector:adminPassword: "${SECRET}\n  b: [1\n`, /line 4, column 1: a closing quote or bracket is missing/],
    ["a bad indentation after the password", `config:\n  x: ${SECRET}\n y: 2\n`, /^Pulumi\.x\.yaml: line 3, column 1: bad indentation: not valid YAML$/],
    ["a tab as indentation", `config:\n\tx: ${SECRET}\n`, /^Pulumi\.x\.yaml: line 2, column 1: a tab used for indentation: not valid YAML$/],
    ["an alias named like the secret", `config:\n  p: *${SECRET.replace(/[^A-Za-z0-9]/g, "")}\n`, /an alias \(\*name\) refers to no anchor before it/],
    ["a duplicate key", `config:\n  a: ${SECRET}\n  a: ${SECRET}\n`, /line 3, column 3: a key that appears twice in the same map/],
    ["a billion laughs", `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nconfig: {}\n`, /aliases expand too far/],
  ])("%s", (_name, text, expected) => {
    let message = "";
    try {
      parseStackFile(text, "Pulumi.x.yaml");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(expected);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(SECRET.replace(/[^A-Za-z0-9]/g, ""));
  });

  test("warnings (an unknown tag named like the secret) are ours, by line", () => {
    const sf = parseStackFile(`config:\n  a: !${SECRET.replace(/[^A-Za-z0-9]/g, "")} x\n`, "Pulumi.x.yaml");
    expect(sf.warnings).toEqual(["Pulumi.x.yaml: line 2, column 6: an unknown !tag"]);
  });
});

describe("prototype pollution", () => {
  test.each([
    ["a nested __proto__ key", "config:\n  pexip-teams-connector:certificate:\n    __proto__:\n      pfxFile: evil.pfx\n", '"pexip-teams-connector:certificate.__proto__"'],
    ["a top-level __proto__ key", "config:\n  __proto__:\n    x: 1\n", '"pexip-teams-connector:__proto__"'],
    ["constructor.prototype", "config:\n  pexip-teams-connector:tags:\n    constructor:\n      prototype:\n        x: 1\n", '"pexip-teams-connector:tags.constructor", "pexip-teams-connector:tags.constructor.prototype"'],
    ["in a list", "config:\n  pexip-teams-connector:nodeFqdns:\n    - __proto__: {x: 1}\n", '"pexip-teams-connector:nodeFqdns.0.__proto__"'],
  ])("%s is refused by name", (_name, text, named) => {
    expect(() => parseStackFile(text, "Pulumi.x.yaml")).toThrow(`Pulumi.x.yaml: config key${named.includes(",") ? "s" : ""} ${named}: __proto__, constructor, prototype are not allowed as keys`);
  });

  test.each([
    "pexip-teams-connector:certificate.__proto__.x=1",
    "certificate.constructor.prototype.x=1",
    "__proto__:x=1",
    "pexip-teams-connector:__proto__=1",
    "tags.prototype=1",
  ])("--secret %s is refused", (arg) => {
    const sf = parseStackFile(EU, "eu");
    expect(() => applySecret(sf, arg)).toThrow(SecretArgError);
    expect(() => applySecret(sf, arg)).toThrow(/are not allowed as keys or path segments/);
  });
});

describe("--secret never echoes what was typed", () => {
  test.each([
    [SECRET, "--secret expects <key>=<value> (the argument has no =; it is not shown, it may be a secret)"],
    [`=${SECRET}`, "--secret expects <key>=<value>: the key before = is empty"],
    [`pexip-teams-connector:certificate..password=${SECRET}`, '--secret "pexip-teams-connector:certificate..password": a key or path segment is empty (write pexip-teams-connector:certificate.password)'],
    [`${"k".repeat(300)}=${SECRET}`, "--secret: the key is 300 characters long; config keys are short (e.g. pexip-teams-connector:adminPassword)"],
  ])("%#", (arg, message) => {
    expect(() => applySecret(parseStackFile(EU, "eu"), arg)).toThrow(message);
  });

  test("a nested path through an encrypted value replaces it instead of writing into it", () => {
    const sf = parseStackFile("config:\n  pexip-teams-connector:certificate:\n    password:\n      secure: v1:abc\n", "x");
    applySecret(sf, "certificate.password.inner=v");
    expect(sf.entries.get("pexip-teams-connector:certificate")?.value).toEqual({ password: { inner: "v" } });
  });
});

describe("plan: hostile arguments and files exit 2 with a message, no trace, no secret", () => {
  const eu = file("Pulumi.h.yaml", EU);
  const run = async (...argv: string[]) => {
    const r = await plan(argv);
    expect(r.stderr).not.toMatch(NO_TRACE);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    return r;
  };

  test.each([
    [["--stack", "eu", "--config", eu, "--secret", SECRET], "plan: --secret expects <key>=<value> (the argument has no =; it is not shown, it may be a secret)"],
    [["--stack", "eu", "--config", eu, "--secret", "pexip-teams-connector:adminPassword=", SECRET], "plan: unexpected argument (argument 7, not shown: it may be a secret); options take the form --flag value"],
    [["--stack", "eu", "--config", eu, "--secret", `pexip-teams-connector:certificate.__proto__.x=${SECRET}`], 'plan: --secret "pexip-teams-connector:certificate.__proto__.x": __proto__, constructor, prototype are not allowed as keys or path segments'],
    [["--stack", "eu", "--config", file("proto.yaml", "config:\n  pexip-teams-connector:certificate:\n    __proto__:\n      selfSigned: true\n")], "plan: proto.yaml".replace("proto.yaml", path.join(TMP, "proto.yaml"))],
    [["--stack", "eu", "--config", file("bad.yaml", `config:\n  pexip-teams-connector:adminPassword: "${SECRET}\n`)], "a closing quote or bracket is missing"],
    [["--stack", "eu", "--config", "/dev/zero"], `plan: cannot read the stack file /dev/zero (larger than ${MAX_STACK_FILE_BYTES} bytes (a stack file is a few kilobytes))`],
    [["--stack", "eu", "--format", "x".repeat(5000)], `plan: --format must be text or mermaid, got "${"x".repeat(80)}…(5000 chars)"`],
  ])("%#: %j", async (argv, expected) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(expected);
  });

  test("a 500 KB config value is echoed as 80 characters and its length", async () => {
    const big = "x".repeat(500_000);
    const f = file("big.yaml", EU.replace(/pexip-teams-connector:baseName: .*/, `pexip-teams-connector:baseName: ${big}`));
    const r = await run("--stack", "eu", "--config", f);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`pexip-teams-connector:baseName = "${"x".repeat(79)}…(500002 chars): must match`);
    expect(r.stderr.length).toBeLessThan(5000);
  });

  const diffs: [string, string, string][] = [
    ["not JSON", "{ nope", "not valid JSON (line 1, column 3)"],
    ["a secret in broken JSON is not quoted", `{"resources": [${JSON.stringify(SECRET)} oops]}`, "not valid JSON (line 1, column 36)"],
    ["a JSON array", "[]", "not a plan file of npm run plan --json (the file is not a JSON object)"],
    ["no resources", "{}", 'not a plan file of npm run plan --json (no "resources" list)'],
    ["resources of the wrong shape", '{"resources": [1]}', "not a plan file of npm run plan --json (resources[0] is not an object)"],
    ["a resource without a urn", '{"resources": [{"type": "t", "name": "n"}]}', "not a plan file of npm run plan --json (resources[0].urn is not a string)"],
    ["inputs that are a string", '{"resources": [{"urn": "u", "type": "t", "name": "n", "inputs": "x"}]}', "not a plan file of npm run plan --json (resources[0].inputs is not an object)"],
    ["inputs nested 100000 deep", `{"resources": [{"urn": "u", "type": "t", "name": "n", "inputs": {"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}}]}`, "not a plan file of npm run plan --json (resources[0].inputs is nested more than 64 levels deep)"],
  ];

  test.each(diffs)("--diff %s", async (_name, text, expected) => {
    const f = file("old.json", text);
    const r = await run("--stack", "eu", "--diff", f);
    expect([r.code, r.stderr]).toEqual([2, `--diff ${f}: ${expected}\n`]);
  });

  test("--diff of a huge file or /dev/zero reads at most 32 MiB", async () => {
    const huge = path.join(TMP, "huge.json");
    fs.writeFileSync(huge, "");
    fs.truncateSync(huge, 33 * 1024 * 1024);
    for (const f of [huge, "/dev/zero"]) {
      const r = await run("--stack", "eu", "--diff", f);
      expect([r.code, r.stderr]).toEqual([2, `--diff ${f}: cannot read it (larger than 33554432 bytes (a plan file is tens of kilobytes))\n`]);
    }
  });
});

describe("helpers", () => {
  test("cutEcho keeps short values and cuts long ones with their length", () => {
    expect(cutEcho("short")).toBe("short");
    expect(cutEcho("y".repeat(81))).toBe(`${"y".repeat(80)}…(81 chars)`);
  });

  test("readBoundedText gives errno codes, not content", () => {
    expect(() => readBoundedText(path.join(TMP, "missing"), 10, "why")).toThrow(/^ENOENT$/);
    expect(() => readBoundedText(TMP, 10, "why")).toThrow(/^EISDIR$/);
    expect(readBoundedText(file("ok.txt", "hello"), 5, "why")).toBe("hello");
    expect(() => readBoundedText(file("ok6.txt", "hello!"), 5, "why")).toThrow("larger than 5 bytes (why)");
  });

  test("parseJsonText names the place, never the text", () => {
    expect(() => parseJsonText(`{"a":\n  "${SECRET}" x}`)).toThrow(/^not valid JSON \(line 2, column 23\)$/);
    // V8 gives no position for an unexpected token: the message is generic, the text still not quoted.
    expect(() => parseJsonText(`{"a":\n  ${SECRET}}`)).toThrow(/^not valid JSON$/);
    expect(() => parseJsonText("")).toThrow(/^not valid JSON$/);
  });

  test("planFileProblem accepts the shape of cli.md", () => {
    expect(planFileProblem({ resources: [{ urn: "u", type: "t", name: "n", parent: null, inputs: { a: [1, { b: 2 }] } }] })).toBeUndefined();
  });

  test("readStackFile of a shipped stack still works", () => {
    expect(readStackFile(path.join(ROOT, "Pulumi.eu.yaml")).entries.get("pexip-teams-connector:baseName")?.value).toBe("pexip");
  });
});

describe("readBounded (for config's certificate.pfxFile)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MAX_PFX_BYTES, readBounded } = require("../components/boundedRead") as typeof import("../components/boundedRead");
  test("a PFX path of /dev/zero reads at most MAX_PFX_BYTES and says why", () => {
    expect(() => readBounded("/dev/zero", MAX_PFX_BYTES, "a PFX is a few kilobytes")).toThrow("larger than 1048576 bytes (a PFX is a few kilobytes)");
    expect(readBounded(file("p.bin", "\x00\x01"), MAX_PFX_BYTES, "why")).toEqual(Buffer.from([0, 1]));
  });
});
