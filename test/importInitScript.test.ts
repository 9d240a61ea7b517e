/**
 * `npm run import-init-script`: the CLI in-process (exit codes, files) and once as a child process, the way
 * an operator runs it. The admin password must never reach stdout, stderr or the written file.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../tools/migration/importInitScript";
import { readStackFile } from "../tools/engine/stackFile";

const ROOT = path.resolve(__dirname, "..");
const SEED = path.join(__dirname, "fixtures", "seed-init.ps1");
const P = "pexip-teams-connector";
const PASSWORD = "Kx9#pexip-Unique-Pw";

/** A real operator's script: the seed's shape with a distinctive password used in several ways. */
const OPERATOR_SCRIPT = `# Powershell variables
$PxBaseConnName = "acme" # company
$PxVmssRegion = "weu"
$PxTeamsConnFqdn = "teams-weu.vc.acme.example"
$PxNodeFqdns = "edge1.vc.acme.example,edge2.vc.acme.example"
$PxSubscriptionId = "0f2a6c1e-3b7d-4e59-9a80-5c4d3e2f1a0b"
$PxAzureLocation = "westeurope"
$PxWinAdminUser = "pexadmin"
$PxWinAdminPassword = "${PASSWORD}" # Password for Windows account
$PxWinAdminSecurePassword = ConvertTo-SecureString -AsPlainText "${PASSWORD}" -Force
$PxTeamsConnInstanceCount = "4"
$PxTeamsConnResourceGroupName = "$($PxBaseConnName)-TeamsConn-$($PxVmssRegion)-RG"
$PxTeamsConnStaticResourceGroupName = "$($PxBaseConnName)-TeamsConn-$($PxVmssRegion)-static-RG"
$PxTeamsConnIncidentReporting = $false
$PxPfxCertFileName = ".\\certs\\teams-weu.pfx"
$PxMgmtSrcAddrPrefixes = @( "198.51.100.10", "203.0.113.0/24" )
$PxNodesSourceAddressPrefixes = @( "192.0.2.16/28" ) + $PxMgmtSrcAddrPrefixes
$PxConsentSourceAddressPrefixes = $PxMgmtSrcAddrPrefixes
$PxWupdScheduledInstallDay = "0"
$PxWupdScheduledInstallTime = "3"
$PxWupdActiveHoursStart = "7"
$PxWupdActiveHoursEnd = "19"
$PxCustomerUsageAttribution = $false
$tags= @{"ResourceOwner"="video@acme.example"; "CostCenter"="Video Services";}
`;

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "import-init-"));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function runMain(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { cwd, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("import-init-script as a child process", () => {
  test("writes Pulumi.<region>.yaml from an operator's script, and the password is nowhere", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "init-weu.ps1"), OPERATOR_SCRIPT);
    const r = spawnSync(process.execPath, ["-r", path.join(ROOT, "tools/register.js"), path.join(ROOT, "tools/migration/importInitScript.ts"), "init-weu.ps1"], {
      cwd: dir,
      // Under npm test, INIT_CWD is the repository; an operator's shell has none (or their own directory).
      env: { ...process.env, INIT_CWD: dir },
      encoding: "utf8",
      timeout: 60000,
    });
    expect(r.status).toBe(0);
    const file = path.join(dir, "Pulumi.weu.yaml");
    const text = fs.readFileSync(file, "utf8");
    for (const [name, s] of [["stdout", r.stdout], ["stderr", r.stderr], ["Pulumi.weu.yaml", text]] as const) {
      expect({ name, leaked: s.includes(PASSWORD) }).toEqual({ name, leaked: false });
    }
    expect(r.stdout).toContain("pulumi config set --stack weu --secret adminPassword <the value of $PxWinAdminPassword>");
    // The unreadable SecureString line is reported by number, without its text.
    expect(r.stdout).toMatch(/line 10: \$PxWinAdminSecurePassword: its value could not be read \(text not shown/);

    const sf = readStackFile(file);
    expect(sf.entries.get(`${P}:nodeSourcePrefixes`)?.value).toEqual(["192.0.2.16/28", "198.51.100.10", "203.0.113.0/24"]);
    expect(sf.entries.get(`${P}:consentSourcePrefixes`)?.value).toEqual(["198.51.100.10", "203.0.113.0/24"]);
    expect(sf.entries.get(`${P}:nodeFqdns`)?.value).toEqual(["edge1.vc.acme.example", "edge2.vc.acme.example"]);
    expect(sf.entries.get(`${P}:instanceCount`)?.value).toBe(4);
    expect(sf.entries.get(`${P}:incidentReporting`)?.value).toBe(false);
    expect(sf.entries.get(`${P}:customerUsageAttribution`)?.value).toBe(false);
    expect(sf.entries.get(`${P}:certificate`)?.value).toEqual({ pfxFile: "./certs/teams-weu.pfx" });
    expect(sf.entries.get(`${P}:windowsUpdate`)?.value).toEqual({ installDay: 0, installHour: 3, activeHoursStart: 7, activeHoursEnd: 19 });
    expect(sf.entries.get(`${P}:tags`)?.value).toEqual({ ResourceOwner: "video@acme.example", CostCenter: "Video Services" });
    expect(sf.entries.has(`${P}:adminPassword`)).toBe(false);

    // The offline config check ran over the written file and names what is still missing.
    expect(r.stdout).toContain(`error: ${P}:connectorVersion = (unset): is required`);
    expect(r.stdout).toContain(`error: ${P}:certificate.pfxFile = "./certs/teams-weu.pfx": must be a readable file`);
  });
});

describe("import-init-script in-process", () => {
  test("the seed's script: exit 0, the placeholder reported, the config check lists customerUsageAttribution", () => {
    const dir = tempDir();
    const r = runMain([SEED], dir);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, "Pulumi.eu.yaml"))).toBe(true);
    expect(r.stdout).toContain("$PxCustomerUsageAttribution is still the guide's placeholder <replace with $true or $false> (line 103)");
    expect(r.stdout).toContain("line 59-65: not a variable assignment");
    expect(r.stdout).toContain(`error: ${P}:customerUsageAttribution = (unset): must be set explicitly to true or false`);
    expect(r.stdout + r.stderr + fs.readFileSync(path.join(dir, "Pulumi.eu.yaml"), "utf8")).not.toContain("ReplaceThisPassword!");
  });

  test.each([
    ["UTF-16LE with a BOM (Windows PowerShell 5.1's Out-File default)", (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, "utf16le")])],
    ["UTF-16BE with a BOM", (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, "utf16le").swap16()])],
    ["UTF-16LE without a BOM", (t: string) => Buffer.from(t, "utf16le")],
    ["UTF-8 with a BOM", (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, "utf8")])],
  ])("reads a script saved as %s", (_name, encode) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "init.ps1"), encode(OPERATOR_SCRIPT.replace('"CostCenter"="Video Services"', '"CostCenter"="Vidéo Services"')));
    const r = runMain(["init.ps1"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Read init\.ps1: 23 variables\./);
    const sf = readStackFile(path.join(dir, "Pulumi.weu.yaml"));
    expect(sf.entries.get(`${P}:baseName`)?.value).toBe("acme");
    expect(sf.entries.get(`${P}:tags`)?.value).toEqual({ ResourceOwner: "video@acme.example", CostCenter: "Vidéo Services" });
  });

  test("prints pulumi stack init with the recommended secrets provider before the secret commands, and asks for dialInstructions", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "init.ps1"), OPERATOR_SCRIPT);
    const lines = runMain(["init.ps1"], dir).stdout.split("\n");
    const init = lines.indexOf('  pulumi stack init weu --secrets-provider="azurekeyvault://<vault>.vault.azure.net/keys/pulumi-state"');
    const secret = lines.findIndex((l) => l.includes("pulumi config set --stack weu --secret adminPassword"));
    expect(init).toBeGreaterThan(0);
    expect(secret).toBeGreaterThan(init);
    const di = lines.find((l) => l.startsWith("  - dialInstructions: "));
    expect(di).toContain("pulumi config set --stack weu --path dialInstructions.nodeAddress <Conferencing Node pool name>");
    expect(di).toContain("pulumi config set --stack weu --path dialInstructions.ivr <alias name part, e.g. teams>");
    expect(di).toContain("pulumi config set --stack weu --path dialInstructions.domain <SIP domain, e.g. example.com>");
    const own = runMain(["init.ps1", "--force", "--secrets-provider", "azurekeyvault://acme-state.vault.azure.net/keys/pulumi-state"], dir).stdout;
    expect(own).toContain('  pulumi stack init weu --secrets-provider="azurekeyvault://acme-state.vault.azure.net/keys/pulumi-state"\n');
    expect(own).not.toContain("replace <vault>");
  });

  test("--help prints the usage and exits 0", () => {
    const r = runMain(["--help"], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: npm run import-init-script -- <init script .ps1>");
  });

  test.each([
    [[], "the init script's path is missing"],
    [["--bogus", "x.ps1"], "unknown option --bogus"],
    [["a.ps1", "b.ps1"], "unexpected argument (argument 2, not shown: it may be a secret); one init script at a time"],
    [["x.ps1", "--stack"], "--stack needs a value"],
    [["does-not-exist.ps1"], "cannot read does-not-exist.ps1: ENOENT"],
  ])("usage errors and unreadable input exit 2: %j", (argv, message) => {
    const r = runMain(argv as string[], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test("a file that sets none of the variables exits 2 and writes nothing", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "notes.txt"), "These are my notes.\nNothing to see.\n");
    const r = runMain(["notes.txt", "--stack", "eu"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("sets none of the initialization script's variables");
    expect(fs.existsSync(path.join(dir, "Pulumi.eu.yaml"))).toBe(false);
  });

  test("without $PxVmssRegion the stack name must be given", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "i.ps1"), '$PxBaseConnName = "acme"\n');
    expect(runMain(["i.ps1"], dir)).toMatchObject({ code: 2 });
    const ok = runMain(["i.ps1", "--stack", "lab"], dir);
    expect(ok.code).toBe(0);
    expect(fs.existsSync(path.join(dir, "Pulumi.lab.yaml"))).toBe(true);
  });

  test("an existing stack file is not overwritten without --force; --out chooses the path", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "Pulumi.eu.yaml"), "config: {}\n");
    const refused = runMain([SEED], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Pulumi.eu.yaml exists; not overwritten");
    expect(fs.readFileSync(path.join(dir, "Pulumi.eu.yaml"), "utf8")).toBe("config: {}\n");

    expect(runMain([SEED, "--force"], dir).code).toBe(0);
    expect(readStackFile(path.join(dir, "Pulumi.eu.yaml")).entries.get(`${P}:baseName`)?.value).toBe("yourname");

    expect(runMain([SEED, "--out", "stacks/Pulumi.test.yaml", "--stack", "test"], dir).code).toBe(0);
    expect(readStackFile(path.join(dir, "stacks", "Pulumi.test.yaml")).entries.get(`${P}:regionCode`)?.value).toBe("eu");
  });

  test("npm runs scripts in the project: the script path is read from where the user typed it (INIT_CWD)", () => {
    const project = tempDir();
    const elsewhere = tempDir();
    fs.writeFileSync(path.join(elsewhere, "init.ps1"), fs.readFileSync(SEED, "utf8"));
    const out: string[] = [];
    const code = main(["init.ps1"], { cwd: project, userCwd: elsewhere, out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(project, "Pulumi.eu.yaml"))).toBe(true);
    expect(fs.existsSync(path.join(elsewhere, "Pulumi.eu.yaml"))).toBe(false);
  });

  test("the password from the script is checked against the rules in memory, masked in the report", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "i.ps1"), OPERATOR_SCRIPT.replace(PASSWORD, "P@ssw0rd"));
    const r = runMain(["i.ps1"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`error: ${P}:adminPassword = [secret]: is one of the passwords Azure reserves`);
    expect(r.stdout).not.toContain("P@ssw0rd");
  });
});

describe("hostile input (issue 15)", () => {
  test("a short PFX password (`teams`) corrupts no key and is printed nowhere as a value", () => {
    const dir = tempDir();
    const script = OPERATOR_SCRIPT.replace("$PxBaseConnName = \"acme\"", "$PxBaseConnName = \"acme\"\n$PxPfxPassword = \"teams\"");
    fs.writeFileSync(path.join(dir, "init.ps1"), script);
    const r = runMain(["init.ps1"], dir);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, "Pulumi.weu.yaml"), "utf8");
    for (const s of [r.stdout, r.stderr, text]) expect(s).not.toContain("[secret]");
    expect(text).toContain(`${P}:connectorFqdn: teams-weu.vc.acme.example`);
    expect(r.stdout).toContain(`pulumi config set --stack weu --secret --path certificate.password <the value of $PxPfxPassword>`);
    expect(r.stdout).toContain(`error: ${P}:certificate.pfxFile = "./certs/teams-weu.pfx": must be a readable file`);
  });

  test("a password typed inside <...> brackets reaches no output", () => {
    const dir = tempDir();
    const script = OPERATOR_SCRIPT.replace(`$PxWinAdminPassword = "${PASSWORD}"`, `$PxWinAdminPassword = <${PASSWORD}>`).replace(/^\$PxWinAdminSecurePassword.*$/m, "");
    fs.writeFileSync(path.join(dir, "init.ps1"), script);
    const r = runMain(["init.ps1"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr + fs.readFileSync(path.join(dir, "Pulumi.weu.yaml"), "utf8")).not.toContain(PASSWORD);
    expect(r.stdout).toContain("$PxWinAdminPassword is still a <...> placeholder (text not shown: it holds a secret)");
  });

  test("a script over 1 MiB, and a device that never ends, are refused with exit 2 after reading at most 1 MiB", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "big.ps1"), "#".repeat(1024 * 1024 + 1));
    for (const f of [path.join(dir, "big.ps1"), "/dev/zero"]) {
      const r = runMain([f], dir);
      expect([r.code, r.stderr.split("\n")[0]]).toEqual([2, `import-init-script: cannot read ${f}: larger than 1048576 bytes (an initialization script is a few kilobytes)`]);
    }
  });

  test("20000 reassignments are listed by their first ten lines", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "init.ps1"), `${OPERATOR_SCRIPT}${'$PxVmssRegion = "weu"\n'.repeat(20_000)}`);
    const r = runMain(["init.ps1", "--force"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("$PxVmssRegion is assigned on lines 3, 25, 26, 27, 28, 29, 30, 31, 32, 33 and 19991 more: the last one counts");
  });
});
