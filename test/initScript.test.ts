/**
 * The init-script reader and its mapping onto stack keys, as plain functions (no process, no files but the
 * seed's own script, copied from the guide into test/fixtures/seed-init.ps1).
 */
import * as fs from "fs";
import * as path from "path";
import { COPY_BUDGET, getVariable, MAX_SCRIPT_CHARS, parseInitScript, ParsedScript, secretValues, toStackConfig } from "../tools/migration/initScript";

const SEED = fs.readFileSync(path.join(__dirname, "fixtures", "seed-init.ps1"), "utf8");
const P = "pexip-teams-connector";

const value = (r: ParsedScript, name: string) => getVariable(r.variables, name)?.value;
const problemAt = (r: ParsedScript, line: number) => r.problems.find((p) => p.line === line);

describe("the seed's own init script", () => {
  const parsed = parseInitScript(SEED);
  const imported = toStackConfig(parsed.variables, { stack: "eu" });

  test("reads every variable of the guide's script with PowerShell's values", () => {
    expect(value(parsed, "PxBaseConnName")).toBe("yourname");
    expect(value(parsed, "PxVmssRegion")).toBe("eu");
    expect(value(parsed, "PxTeamsConnFqdn")).toBe("pexip-teamsconn-eu.teams.example.com");
    expect(value(parsed, "PxNodeFqdns")).toBe("pxedge.vc.example.com");
    expect(value(parsed, "PxSubscriptionId")).toBe("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    expect(value(parsed, "PxAzureLocation")).toBe("westeurope");
    expect(value(parsed, "PxWinAdminUser")).toBe("pexadmin");
    expect(value(parsed, "PxTeamsConnInstanceCount")).toBe("3");
    expect(value(parsed, "PxTeamsConnIncidentReporting")).toBe(true);
    expect(value(parsed, "PxPfxCertFileName")).toBe(".\\your_connector_certificate.pfx");
    expect(value(parsed, "PxTeamsConnResourceGroupName")).toBe("yourname-TeamsConn-eu-RG");
    expect(value(parsed, "PxTeamsConnStaticResourceGroupName")).toBe("yourname-TeamsConn-eu-static-RG");
    expect(value(parsed, "tags")).toEqual({});
    expect(parsed.variables.size).toBe(22);
  });

  test("a later assignment wins: the printed example prefixes (line 66) are replaced by @() on line 67", () => {
    const v = getVariable(parsed.variables, "PxMgmtSrcAddrPrefixes")!;
    expect(v.lines).toEqual([66, 67]);
    expect(v.value).toEqual([]);
  });

  test("the comment lines that lost their # in the PDF are reported as one range, not dropped silently", () => {
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ line: 59, endLine: 65 });
    expect(parsed.problems[0].message).toContain("Public-facing IP address of management networks");
  });

  test("the placeholder <replace with $true or $false> is reported, not guessed", () => {
    const v = getVariable(parsed.variables, "PxCustomerUsageAttribution")!;
    expect(v.placeholder).toBe("<replace with $true or $false>");
    expect(v.value).toBeUndefined();
    expect(imported.config[`${P}:customerUsageAttribution`]).toBeUndefined();
    const note = imported.notes.find((n) => n.kind === "placeholder");
    expect(note).toMatchObject({ variable: "PxCustomerUsageAttribution", line: 103 });
    expect(note!.message).toContain("pulumi config set --stack eu customerUsageAttribution true");
    expect(note!.message).toContain("pulumi config set --stack eu customerUsageAttribution false");
  });

  test("maps onto the config.md keys with their types", () => {
    expect(imported.config).toEqual({
      "azure-native:subscriptionId": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
      "azure-native:location": "westeurope",
      [`${P}:baseName`]: "yourname",
      [`${P}:regionCode`]: "eu",
      [`${P}:connectorFqdn`]: "pexip-teamsconn-eu.teams.example.com",
      [`${P}:nodeFqdns`]: ["pxedge.vc.example.com"],
      [`${P}:adminUsername`]: "pexadmin",
      [`${P}:instanceCount`]: 3,
      [`${P}:incidentReporting`]: true,
      [`${P}:certificate`]: { pfxFile: "./your_connector_certificate.pfx" },
      [`${P}:managementSourcePrefixes`]: [],
      [`${P}:nodeSourcePrefixes`]: [],
      [`${P}:consentSourcePrefixes`]: [],
      [`${P}:windowsUpdate`]: { installDay: 1, installHour: 22, activeHoursStart: 6, activeHoursEnd: 22 },
      [`${P}:tags`]: {},
    });
  });

  test("the admin password becomes a command with a placeholder, never a value", () => {
    expect(imported.secrets).toEqual([
      { key: "adminPassword", path: false, variable: "PxWinAdminPassword", command: "pulumi config set --stack eu --secret adminPassword <the value of $PxWinAdminPassword>" },
      { key: "certificate.password", path: true, command: "pulumi config set --stack eu --secret --path certificate.password <the password of your_connector_certificate.pfx>" },
    ]);
    expect(JSON.stringify(imported)).not.toContain("ReplaceThisPassword!");
    expect(imported.notes.find((n) => n.variable === "PxWinAdminPassword")?.message).toContain("still the guide's example password");
  });

  test("the derived resource group names match the program's, and the dynamic one is flagged for the cut-over", () => {
    expect(imported.notes.filter((n) => n.kind === "mismatch")).toEqual([]);
    const dyn = imported.notes.find((n) => n.variable === "PxTeamsConnResourceGroupName");
    expect(dyn?.kind).toBe("info");
    expect(dyn?.message).toContain("yourname-TeamsConn-eu-RG");
  });

  test("lists the keys the script cannot give as next steps", () => {
    const keys = imported.notes.filter((n) => n.kind === "nextStep").map((n) => n.key);
    expect(keys).toEqual(["connectorVersion", "connectorPackage", "certificate.password", "usageAttributionId", "dialInstructions", "appStack"]);
  });

  test.each([
    ["$true", true],
    ["$false", false],
  ])("with $PxCustomerUsageAttribution = %s it is imported as %s", (ps, expected) => {
    const text = SEED.replace("<replace with $true or $false>", ps);
    const r = toStackConfig(parseInitScript(text).variables, { stack: "eu" });
    expect(r.config[`${P}:customerUsageAttribution`]).toBe(expected);
    expect(r.notes.some((n) => n.kind === "placeholder")).toBe(false);
    const uai = r.notes.find((n) => n.key === "usageAttributionId")!.message;
    expect(uai.startsWith(expected ? "usageAttributionId: required" : "usageAttributionId: not needed")).toBe(true);
  });
});

describe("PowerShell constructs", () => {
  const run = (text: string) => parseInitScript(text);

  test("full-line, trailing and block comments are ignored", () => {
    const r = run(['# a comment', '$A = "x" # trailing "quoted" comment', "<# block", "   $B = 'not real' #>", "$C = 'c'  <# inline #>"].join("\n"));
    expect(value(r, "A")).toBe("x");
    expect(getVariable(r.variables, "B")).toBeUndefined();
    expect(value(r, "C")).toBe("c");
    expect(r.problems).toEqual([]);
  });

  test("double- and single-quoted strings with PowerShell's escapes, and the PDF's typographic quotes", () => {
    const r = run(['$A = "say ""hi"" `$x `"q`""', "$B = 'it''s $not interpolated'", "$C = \u201csmart $A\u201d", "$D = \u2018single\u2019"].join("\n"));
    expect(value(r, "A")).toBe('say "hi" $x "q"');
    expect(value(r, "B")).toBe("it's $not interpolated");
    expect(value(r, "C")).toBe('smart say "hi" $x "q"');
    expect(value(r, "D")).toBe("single");
  });

  test("arrays: one line, several lines with and without commas, empty", () => {
    const r = run(['$A = @( "a", "b" )', "$B = @(", '  "c",', '  "d"', ")", "$C = @(", '  "e"', '  "f" # comment', ")", "$D = @()", "$E = @( )", '$F = "g", "h"'].join("\n"));
    expect(value(r, "A")).toEqual(["a", "b"]);
    expect(value(r, "B")).toEqual(["c", "d"]);
    expect(value(r, "C")).toEqual(["e", "f"]);
    expect(value(r, "D")).toEqual([]);
    expect(value(r, "E")).toEqual([]);
    expect(value(r, "F")).toEqual(["g", "h"]);
    expect(r.problems).toEqual([]);
  });

  test("hashtables: the guide's example, bare keys, several lines", () => {
    const r = run(['$tags= @{"ResourceOwner"="user@domain"; "CostCenter"="Video Services";}', "$T2 = @{", "  Env = 'prod'", "  Team = \"video\";", "}", "$T3 = @{}"].join("\n"));
    expect(value(r, "tags")).toEqual({ ResourceOwner: "user@domain", CostCenter: "Video Services" });
    expect(value(r, "T2")).toEqual({ Env: "prod", Team: "video" });
    expect(value(r, "T3")).toEqual({});
  });

  test("$true, $false, $null in any case", () => {
    const r = run(["$A = $true", "$B = $FALSE", "$C = $Null"].join("\n"));
    expect(value(r, "A")).toBe(true);
    expect(value(r, "B")).toBe(false);
    expect(value(r, "C")).toBeNull();
  });

  test("+ concatenates arrays, as in the guide's $PxNodesSourceAddressPrefixes example, also across lines", () => {
    const r = run([
      '$PxMgmtSrcAddrPrefixes = @( "198.51.100.10", "203.0.113.0/24" )',
      '$PxNodesSourceAddressPrefixes = @( "192.0.2.1", "192.0.2.16/28" ) +',
      "$PxMgmtSrcAddrPrefixes",
      '$Single = @( "192.0.2.99" ) + "192.0.2.100"',
      '$Joined = "a" + "-" + 3',
    ].join("\n"));
    expect(value(r, "PxNodesSourceAddressPrefixes")).toEqual(["192.0.2.1", "192.0.2.16/28", "198.51.100.10", "203.0.113.0/24"]);
    expect(value(r, "Single")).toEqual(["192.0.2.99", "192.0.2.100"]);
    expect(value(r, "Joined")).toBe("a-3");
  });

  test("assignment from another variable, and += appends", () => {
    const r = run(['$PxMgmtSrcAddrPrefixes = @( "198.51.100.10" )', "$PxConsentSourceAddressPrefixes = $PxMgmtSrcAddrPrefixes", '$PxConsentSourceAddressPrefixes += "198.51.100.11"'].join("\n"));
    expect(value(r, "PxConsentSourceAddressPrefixes")).toEqual(["198.51.100.10", "198.51.100.11"]);
    expect(value(r, "PxMgmtSrcAddrPrefixes")).toEqual(["198.51.100.10"]);
  });

  test("interpolation: $( ), plain $Var and ${Var}", () => {
    const r = run(['$PxBaseConnName = "acme"', '$PxVmssRegion = "us"', '$A = "$($PxBaseConnName)-TeamsConn-$($PxVmssRegion)-RG"', '$B = "$PxBaseConnName"', '$C = "${PxVmssRegion}x"', '$D = "$PxBaseConnName-x"'].join("\n"));
    expect(value(r, "A")).toBe("acme-TeamsConn-us-RG");
    expect(value(r, "B")).toBe("acme");
    expect(value(r, "C")).toBe("usx");
    expect(value(r, "D")).toBe("acme-x");
  });

  test("variable names are case-insensitive and the last assignment wins", () => {
    const r = run(['$PxBaseConnName = "first"', '$pxbaseconnname = "second"'].join("\n"));
    const v = getVariable(r.variables, "$PXBASECONNNAME")!;
    expect(v.value).toBe("second");
    expect(v.name).toBe("pxbaseconnname");
    expect(v.lines).toEqual([1, 2]);
  });

  test("casts that scripts use are applied", () => {
    const r = run(['$A = [int]"3"', "$B = [string]7", '$C = [string[]]"one"'].join("\n"));
    expect(value(r, "A")).toBe(3);
    expect(value(r, "B")).toBe("7");
    expect(value(r, "C")).toEqual(["one"]);
  });

  test("what cannot be read is reported with its line and leaves the variable without a value", () => {
    const r = run([
      '$Ok = "fine"',
      '$Nodes = "a,b".Split(",")',
      '$Cmd = Read-Host "Enter it"',
      '$Joined = @("a","b") -join ","',
      "$Env = $env:COMPUTERNAME",
      "$Undefined = $NeverSet",
      '$Open = @( "a",',
      '  "b"',
      'Write-Host "hello"',
      '$After = "still read"',
    ].join("\n"));
    expect(problemAt(r, 2)?.message).toContain("properties, methods and indexes are not supported");
    expect(problemAt(r, 3)?.message).toContain("a command (Read-Host) is not run");
    expect(problemAt(r, 4)?.message).toContain("the operator -join is not supported");
    expect(problemAt(r, 5)?.message).toContain("$env:COMPUTERNAME");
    expect(problemAt(r, 6)?.message).toContain("uses $NeverSet, which is not set before this line");
    expect(problemAt(r, 7)?.message).toBe("$Open: a command (Write-Host) is not run: only literal values, arrays, hashtables and variables can be imported (at line 9)");
    // The unclosed array's remaining lines are then skipped as one range.
    expect(problemAt(r, 8)).toMatchObject({ endLine: 9 });
    expect(problemAt(r, 8)?.message).toContain("not a variable assignment");
    for (const n of ["Nodes", "Cmd", "Joined", "Env", "Undefined"]) {
      expect(getVariable(r.variables, n)?.value).toBeUndefined();
    }
    expect(value(r, "Ok")).toBe("fine");
    expect(value(r, "After")).toBe("still read");
  });

  test("a later line that fails does not leave the earlier value in place", () => {
    const r = run(['$PxNodeFqdns = "a.example.com"', "$PxNodeFqdns = Get-Nodes"].join("\n"));
    expect(getVariable(r.variables, "PxNodeFqdns")?.value).toBeUndefined();
    const c = toStackConfig(r.variables);
    expect(c.config[`${P}:nodeFqdns`]).toBeUndefined();
    expect(c.notes.find((n) => n.variable === "PxNodeFqdns")?.kind).toBe("invalid");
  });

  test("a using of the placeholder is an error, not a silent value", () => {
    const r = run(["$PxCustomerUsageAttribution = <replace with $true or $false>", "$Copy = $PxCustomerUsageAttribution"].join("\n"));
    expect(problemAt(r, 2)?.message).toContain("still the guide's placeholder");
  });

  test("Windows line endings and a byte-order mark are read as PowerShell reads them", () => {
    const r = run('\ufeff$A = "x"\r\n$B = @(\r\n "y"\r\n)\r\n');
    expect(value(r, "A")).toBe("x");
    expect(value(r, "B")).toEqual(["y"]);
    expect(r.problems).toEqual([]);
  });
});

describe("secrets", () => {
  const PASSWORD = "Zq7!kV-unique-9x";

  test("a password line that cannot be read is reported without its text", () => {
    const r = parseInitScript(`$PxWinAdminPassword = ConvertTo-SecureString "${PASSWORD}" -AsPlainText -Force\n`);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].message).toContain("text not shown");
    expect(r.problems[0].message).not.toContain(PASSWORD);
    expect(r.problems[0].message).not.toContain("ConvertTo-SecureString");
  });

  test("a prose line that mentions a password is skipped without an excerpt", () => {
    const r = parseInitScript(`my password is ${PASSWORD}\n`);
    expect(r.problems[0].message).toContain("text not shown");
    expect(r.problems[0].message).not.toContain(PASSWORD);
  });

  test("a value built from a secret is a secret, and is not written to the config", () => {
    const r = parseInitScript([`$PxWinAdminPassword = "${PASSWORD}"`, '$tags = @{ owner = "$PxWinAdminPassword" }'].join("\n"));
    expect(getVariable(r.variables, "tags")?.secret).toBe(true);
    const c = toStackConfig(r.variables);
    expect(c.config[`${P}:tags`]).toBeUndefined();
    expect(c.notes.find((n) => n.variable === "tags")?.message).toContain("built from a secret");
    expect(JSON.stringify(c)).not.toContain(PASSWORD);
    expect(secretValues(r.variables)).toEqual([PASSWORD]);
  });

  test("a PFX password variable maps to certificate.password as a command", () => {
    const r = parseInitScript(['$PxPfxCertFileName = "c.pfx"', `$PxPfxPassword = "${PASSWORD}"`].join("\n"));
    const c = toStackConfig(r.variables, { stack: "us" });
    expect(c.secrets.find((s) => s.key === "certificate.password")?.command).toBe("pulumi config set --stack us --secret --path certificate.password <the value of $PxPfxPassword>");
    expect(c.notes.some((n) => n.variable === "PxPfxPassword")).toBe(false);
  });

  // Issue 15: secrets were found by substring search, so a PFX password `teams` made every value containing "teams" a secret.
  test("a value is secret by where it comes from (a secret variable read), never because it contains a secret's text", () => {
    const r = parseInitScript(['$PxPfxPassword = "teams"', '$PxTeamsConnFqdn = "pexip-teams.example.com"', '$PxBaseConnName = "teams"', '$derived = "x-$PxPfxPassword"'].join("\n"));
    expect(getVariable(r.variables, "PxTeamsConnFqdn")?.secret).toBe(false);
    expect(getVariable(r.variables, "PxBaseConnName")?.secret).toBe(false);
    expect(getVariable(r.variables, "derived")?.secret).toBe(true);
    const c = toStackConfig(r.variables, { stack: "eu" });
    expect(c.config[`${P}:connectorFqdn`]).toBe("pexip-teams.example.com");
    expect(c.config[`${P}:baseName`]).toBe("teams");
    expect(JSON.stringify(c)).not.toContain("[secret]");
  });

  test("a password typed inside the guide's <...> brackets is never echoed, and the command sets it as a secret", () => {
    const r = parseInitScript([`$PxWinAdminPassword = <${PASSWORD}>`, "$copy = $PxWinAdminPassword", `$PxPfxPassword = <${PASSWORD}>`].join("\n"));
    const c = toStackConfig(r.variables, { stack: "eu" });
    const everything = JSON.stringify({ problems: r.problems, notes: c.notes, secrets: c.secrets, config: c.config });
    expect(everything).not.toContain(PASSWORD);
    expect(c.notes.find((n) => n.variable === "PxWinAdminPassword")?.message).toBe(
      "$PxWinAdminPassword is still a <...> placeholder (text not shown: it holds a secret) (line 1); nothing was guessed: decide, then run pulumi config set --stack eu --secret adminPassword <value>",
    );
    expect(r.problems).toEqual([{ line: 2, message: "$copy: uses $PxWinAdminPassword, which is still a <...> placeholder (text not shown: it holds a secret)" }]);
  });

  test("a skipped line that holds a secret value of the script is reported without its text", () => {
    const r = parseInitScript([`echo ${PASSWORD}`, `$PxWinAdminPassword = "${PASSWORD}"`, "echo hello"].join("\n"));
    expect(r.problems.map((p) => p.message)).toEqual([
      "not a variable assignment, skipped (text not shown: it may hold a secret); comment text that lost its leading # (as in the PDF guide) can be ignored",
      'not a variable assignment, skipped ("echo hello"); comment text that lost its leading # (as in the PDF guide) can be ignored',
    ]);
  });

  test("a __proto__ hashtable key is a key, never the prototype", () => {
    const r = parseInitScript('$tags = @{ __proto__ = "x"; owner = "o" }');
    const tags = getVariable(r.variables, "tags")?.value as Record<string, unknown>;
    expect(Object.keys(tags)).toEqual(["__proto__", "owner"]);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
  });
});

describe("hostile sizes and shapes: linear, bounded, never a throw", () => {
  const N = 10_000;
  // Each of these took seconds before (quadratic recovery, scans to the end of the text, key checks per key).
  const cases: [string, string][] = [
    ["unclosed ( on every line", "$a = (1\n".repeat(N * 2)],
    ["unclosed @( on every line", "$a = @(1\n".repeat(N * 2)],
    ["unclosed ${ on every line", "$a = ${x\n".repeat(N * 2)],
    ["< without > on every line", "$a = <x\n".repeat(N * 2)],
    ["<# without #> after statements", "$a = <# x\n".repeat(N * 2)],
    ["a hashtable of 10000 keys", `$h = @{\n${Array.from({ length: N }, (_, i) => `k${i} = 1`).join("\n")}\n}\n`],
    ["+= on a hashtable, key by key", `$h = @{}\n${Array.from({ length: N }, (_, i) => `$h += @{k${i} = 1}`).join("\n")}\n`],
    ["+= doubling a string", '$s = "xxxxxxxx"\n' + "$s += $s\n".repeat(60)],
    ["+= doubling an array", "$a = @(1, 2)\n" + "$a += $a\n".repeat(60)],
    ["brackets nested 100000 deep", `$a = ${"(".repeat(100_000)}1${")".repeat(100_000)}\n`],
    ["casts nested 100000 deep", `$a = ${"[string]".repeat(100_000)}1\n`],
    ["one line of 1 MB", `$a = "${"x".repeat(MAX_SCRIPT_CHARS - 10)}"`],
  ];

  test.each(cases)("%s: read in bounded time, problems instead of a throw", (_name, text) => {
    const t = process.hrtime.bigint();
    const r = parseInitScript(text.slice(0, MAX_SCRIPT_CHARS));
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    expect(Array.isArray(r.problems)).toBe(true);
    // Generous for a shared 2-core machine: the quadratic versions took 5-12 s on these inputs.
    expect(ms).toBeLessThan(1500);
  });

  test("doubling stops at the copy budget with a clear problem", () => {
    const r = parseInitScript(`$a = @(${"1,".repeat(5000)}1)\n` + "$a += 1\n".repeat(1000));
    expect(r.problems.some((p) => p.message === `stopped reading: the script's + and += copy more than ${COPY_BUDGET} elements (an initialization script needs a few)`)).toBe(true);
  });

  test("deep nesting is a problem on its line, not a stack overflow", () => {
    const r = parseInitScript(`$a = ${"(".repeat(100_000)}1${")".repeat(100_000)}\n$b = "ok"\n`);
    expect(r.problems[0]).toEqual({ line: 1, message: "$a: brackets nested more than 100 deep are not read" });
    expect(getVariable(r.variables, "b")?.value).toBe("ok");
  });

  test(`a script over ${MAX_SCRIPT_CHARS} characters is refused whole`, () => {
    const r = parseInitScript("#".repeat(MAX_SCRIPT_CHARS + 1));
    expect(r).toEqual({ variables: new Map(), problems: [{ line: 1, message: `the script is ${MAX_SCRIPT_CHARS + 1} characters; at most ${MAX_SCRIPT_CHARS} are read (an initialization script is a few kilobytes)` }] });
  });
});

describe("mapping details", () => {
  const map = (lines: string[]) => toStackConfig(parseInitScript(lines.join("\n")).variables, { stack: "eu" });

  test("$PxNodeFqdns as a comma-separated string or as an array becomes a list", () => {
    expect(map(['$PxNodeFqdns = "a.example.com, b.example.com,"']).config[`${P}:nodeFqdns`]).toEqual(["a.example.com", "b.example.com"]);
    expect(map(['$PxNodeFqdns = @("a.example.com", "b.example.com")']).config[`${P}:nodeFqdns`]).toEqual(["a.example.com", "b.example.com"]);
  });

  test("numbers written as strings become numbers; a bad one is kept as written for the config check to report", () => {
    const c = map(['$PxTeamsConnInstanceCount = "12"', '$PxWupdActiveHoursEnd = "late"']);
    expect(c.config[`${P}:instanceCount`]).toBe(12);
    expect(c.config[`${P}:windowsUpdate`]).toEqual({ activeHoursEnd: "late" });
  });

  test('a boolean written as the string "true" is converted and noted', () => {
    const c = map(['$PxTeamsConnIncidentReporting = "false"']);
    expect(c.config[`${P}:incidentReporting`]).toBe(false);
    expect(c.notes.find((n) => n.variable === "PxTeamsConnIncidentReporting")?.kind).toBe("converted");
  });

  test("tag values are strings", () => {
    expect(map(["$tags = @{ Owner = 'video'; Tier = 2; Prod = $true }"]).config[`${P}:tags`]).toEqual({ Owner: "video", Tier: "2", Prod: "True" });
  });

  test("an empty value is left unset and said so", () => {
    const c = map(['$PxWinAdminUser = ""']);
    expect(c.config[`${P}:adminUsername`]).toBeUndefined();
    expect(c.notes.find((n) => n.variable === "PxWinAdminUser")?.kind).toBe("unset");
  });

  test("a derived static resource group that differs from the program's naming is reported with the way to adopt it", () => {
    const c = map(['$PxBaseConnName = "acme"', '$PxVmssRegion = "eu"', '$PxTeamsConnStaticResourceGroupName = "acme-static-resources"']);
    const note = c.notes.find((n) => n.kind === "mismatch")!;
    expect(note.variable).toBe("PxTeamsConnStaticResourceGroupName");
    expect(note.message).toContain('"acme-TeamsConn-eu-static-RG"');
    expect(note.message).toContain("npm run import-static");
  });

  test("a difference in letter case only is still a difference, and says so", () => {
    const c = map(['$PxBaseConnName = "acme"', '$PxVmssRegion = "eu"', '$PxTeamsConnResourceGroupName = "acme-teamsconn-eu-rg"']);
    expect(c.notes.find((n) => n.kind === "mismatch")?.message).toContain("differ only in letter case");
  });

  test("variables without a stack key are listed with their line", () => {
    const c = map(['$PxBaseConnName = "acme"', '$AppId = "11111111-2222-3333-4444-555555555555"', '$Mine = "x"']);
    const unmapped = c.notes.filter((n) => n.kind === "unmapped");
    expect(unmapped.map((n) => [n.variable, n.line])).toEqual([
      ["AppId", 2],
      ["Mine", 3],
    ]);
    expect(unmapped[0].message).toContain("docs/migration.md");
  });

  test("a Windows path is made portable and the note says where a relative path is read from", () => {
    const c = map(['$PxPfxCertFileName = "certs\\teams.pfx"']);
    expect(c.config[`${P}:certificate`]).toEqual({ pfxFile: "certs/teams.pfx" });
    expect(c.notes.find((n) => n.kind === "converted")?.message).toContain("project directory");
  });
});
