/**
 * `npm run infinity` against the fake: in-process runs of `main` (apply, second apply, changed window, removed window,
 * wrong password, config errors, offline diff), and one subprocess smoke test through npm's command line with the
 * fake's certificate trusted only through NODE_EXTRA_CA_CERTS.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { main } from "../tools/commands/infinity";
import { FakeInfinity } from "./fakes/infinityApi";

const ROOT = path.resolve(__dirname, "..");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "infinity-cli-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));
const NOW = new Date("2026-06-15T08:00:00Z");
const QUEUE = "Endpoint=sb://pexip-eu-ehn.servicebus.windows.net/;SharedAccessKeyName=standard_access_policy;SharedAccessKey=Y2xpLXRlc3Qtc2VjcmV0;EntityPath=events_hub";
const TENANT = "0b8c5b2e-4f7a-4d59-9a3e-6b1f2c3d4e5f";

let fake: FakeInfinity;
let caFile: string;
beforeEach(async () => {
  fake = await new FakeInfinity().start();
  fake.seed("system_location", { name: "Edge" });
  caFile = path.join(TMP, "fake-ca.pem");
  fs.writeFileSync(caFile, fake.certificate.cert);
});
afterEach(() => fake.stop());

/** The eu stack file plus an infinity key (scaling windows editable). */
function stackFile(name: string, edit: (inf: Record<string, unknown>) => void = () => undefined): string {
  const doc = parse(fs.readFileSync(path.join(ROOT, "Pulumi.eu.yaml"), "utf8")) as { config: Record<string, unknown> };
  const inf: Record<string, unknown> = {
    managementNode: fake.url,
    username: "admin",
    password: { secure: "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
    caCertificateFile: caFile,
    scheduledScaling: [
      { name: "business-hours", days: ["mon", "tue", "wed", "thu", "fri"], from: "07:30", to: "17:00", instancesToAdd: 3, timezone: "Europe/Oslo" },
      { name: "monday-peak", days: ["mon"], from: "08:00", to: "10:00", instancesToAdd: 5, timezone: "Europe/Oslo" },
    ],
    virtualReception: { lookupLocation: "Edge" },
  };
  edit(inf);
  doc.config["pexip-teams-connector:infinity"] = inf;
  // Scheduled scaling needs Infinity to own the instance count (a config rule).
  doc.config["pexip-teams-connector:capacityManagedBy"] = "infinity";
  const file = path.join(TMP, name);
  fs.writeFileSync(file, stringify(doc));
  return file;
}

function outputsFile(): string {
  const file = path.join(TMP, "outputs.json");
  fs.writeFileSync(file, JSON.stringify({ connectorFqdn: "pexip-teamsconn-eu.teams.example.com", tenantId: TENANT, eventHubConnectionString: QUEUE, appId: "x" }));
  return file;
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return runWith({ INFINITY_PASSWORD: fake.password }, ...argv);
}

async function runWith(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd: TMP, now: NOW, client: { sleep: async () => undefined, timeoutMs: 3000 } });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run infinity, in-process", () => {
  test("apply creates the eu stack's objects; a second apply changes nothing; diff never writes", async () => {
    const file = stackFile("a.yaml");
    const diff = await run("diff", "--stack", "eu", "--config", file, "--outputs", outputsFile());
    expect(diff.code).toBe(0);
    expect(fake.writes).toEqual([]);
    expect(diff.out).toContain('+ create teams_proxy "pexip-eu"');
    expect(diff.out).toContain("    notifications_queue: [secret]");
    expect(diff.out).not.toContain("SharedAccessKey");

    const first = await run("apply", "--stack", "eu", "--config", file, "--outputs", outputsFile());
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(first.out.split("\n").at(-1)).toBe(`Applied: 6 writes to 127.0.0.1:${fake.port}.`);
    expect(fake.writes.map((w) => `${w.method} ${w.path.split("/")[5]}`)).toEqual([
      "POST azure_tenant", "POST teams_proxy", "POST conference", "POST gateway_routing_rule", "POST scheduled_scaling", "POST scheduled_scaling",
    ]);
    expect(fake.objects("conference")[0]).toMatchObject({ name: "pexip-eu Teams IVR", two_stage_dial_type: "teams" });
    expect(fake.objects("gateway_routing_rule")[0]).toMatchObject({ name: "pexip-eu Teams meetings", match_string: "(\\d{9,12})(@example\\.com)?" });

    const second = await run("apply", "--stack", "eu", "--config", file, "--outputs", outputsFile());
    expect(second.code).toBe(0);
    expect(second.out).toBe(`No changes: 6 objects on 127.0.0.1:${fake.port} already as configured.`);
    expect(fake.writes.length).toBe(6);
  });

  test("a changed window is one PATCH; a removed one is one DELETE", async () => {
    await run("apply", "--stack", "eu", "--config", stackFile("b.yaml"), "--outputs", outputsFile());
    const n = fake.writes.length;
    const changed = await run("apply", "--stack", "eu", "--config", stackFile("c.yaml", (i) => ((i.scheduledScaling as { from: string }[])[1].from = "07:00")), "--outputs", outputsFile());
    expect(changed.code).toBe(0);
    expect(fake.writes.slice(n).map((w) => [w.method, w.body])).toEqual([["PATCH", { time_from: "07:00:00" }]]);
    const m = fake.writes.length;
    const removed = await run("apply", "--stack", "eu", "--config", stackFile("d.yaml", (i) => (i.scheduledScaling = (i.scheduledScaling as unknown[]).slice(0, 1))), "--outputs", outputsFile());
    expect(removed.code).toBe(0);
    expect(removed.out).toContain('- delete scheduled_scaling "pexip-eu/monday-peak"');
    expect(fake.writes.slice(m).map((w) => w.method)).toEqual(["DELETE"]);
  });

  test("a wrong password exits 1 with a clear message and writes nothing", async () => {
    const r = await runWith({ INFINITY_PASSWORD: "not-the-password-77" }, "apply", "--stack", "eu", "--config", stackFile("e.yaml"), "--outputs", outputsFile());
    expect(r.code).toBe(1);
    expect(r.err).toBe(`infinity: Infinity management API at 127.0.0.1:${fake.port} refused the credentials (HTTP 401) for list scheduled_scaling: check infinity.username and the password (INFINITY_PASSWORD for npm run infinity)`);
    expect(r.err + r.out).not.toContain("not-the-password-77");
    expect(fake.writes).toEqual([]);
  });

  test("the API refusing a write exits 1 naming the object and the field message", async () => {
    fake.seed("conference", { name: "someone else's VMR", aliases: [{ alias: "teams@example.com" }] });
    const r = await run("apply", "--stack", "eu", "--config", stackFile("f.yaml"), "--outputs", outputsFile());
    expect(r.code).toBe(1);
    expect(r.err).toBe(`infinity: Infinity management API at 127.0.0.1:${fake.port} refused to create conference "pexip-eu Teams IVR" (HTTP 400): aliases: Conference alias with this Alias teams@example.com already exists.`);
  });

  test("config errors exit 2, every problem listed, nothing sent", async () => {
    const file = stackFile("g.yaml", (i) => {
      i.managementNode = "http://mgr.example.com";
      (i.scheduledScaling as Record<string, unknown>[])[0].from = "7:30";
      (i.scheduledScaling as Record<string, unknown>[])[1].timezone = "Mars/Olympus";
      (i.scheduledScaling as Record<string, unknown>[])[1].days = ["mon", "someday"];
      i.password = "plaintext-Pw-1";
    });
    const r = await run("apply", "--stack", "eu", "--config", file, "--outputs", outputsFile());
    expect(r.code).toBe(2);
    expect(r.err.split("\n")).toEqual([
      "The stack configuration g.yaml has 5 problems (nothing was sent):",
      "  - pexip-teams-connector:infinity.password = [secret]: must be stored as a secret (pulumi config set --secret --path infinity.password ...); a plaintext value in the stack file is not allowed",
      "  - pexip-teams-connector:infinity.managementNode = \"http://mgr.example.com\": managementNode must be https://<host>[:<port>] with no path (HTTPS only: the password travels with every request)",
      "  - pexip-teams-connector:infinity.scheduledScaling.0.from = \"7:30\": from must be a time HH:MM (24-hour, e.g. 07:30)",
      `  - pexip-teams-connector:infinity.scheduledScaling.1.days.1 = \"someday\": days must be a list of mon, tue, wed, thu, fri, sat, sun`,
      "  - pexip-teams-connector:infinity.scheduledScaling.1.timezone = \"Mars/Olympus\": timezone must be an IANA time zone such as Europe/Oslo or UTC",
    ]);
    expect(r.err).not.toContain("plaintext-Pw-1");
    expect(fake.requests).toEqual([]);
  });

  test("usage errors and a missing INFINITY_PASSWORD exit 2", async () => {
    expect((await run("sync", "--stack", "eu")).code).toBe(2);
    expect((await run("diff")).err).toBe("infinity: --stack <name> is required");
    expect((await run("diff", "--stack", "eu", "--bogus")).err).toMatch(/^infinity: unknown option --bogus\n/);
    const nopw = await runWith({}, "diff", "--stack", "eu", "--config", stackFile("h.yaml"), "--outputs", outputsFile());
    expect([nopw.code, nopw.err]).toEqual([2, "infinity: set INFINITY_PASSWORD to the management API password (it is never read from the command line)"]);
    expect(fake.requests).toEqual([]);
  });

  test("--outputs that is a device, too large or broken JSON holding a secret: exit 2, read bounded, the secret never echoed", async () => {
    const file = stackFile("j.yaml");
    const huge = path.join(TMP, "huge-outputs.json");
    fs.writeFileSync(huge, "");
    fs.truncateSync(huge, 2 * 1024 * 1024);
    for (const f of ["/dev/zero", huge]) {
      const r = await run("diff", "--stack", "eu", "--config", file, "--outputs", f);
      expect([r.code, r.err]).toEqual([2, `--outputs ${f}: cannot read it (larger than 1048576 bytes (stack outputs are kilobytes))`]);
    }
    const broken = path.join(TMP, "broken-outputs.json");
    fs.writeFileSync(broken, '{"appPassword": "Leaky-Secret-Value-42" x}');
    const r = await run("diff", "--stack", "eu", "--config", file, "--outputs", broken);
    expect([r.code, r.err]).toEqual([2, `--outputs ${broken}: not the JSON of \`pulumi stack output --json --show-secrets\` (not valid JSON (line 1, column 41))`]);
    fs.writeFileSync(broken, "[1, 2]");
    expect((await run("diff", "--stack", "eu", "--config", file, "--outputs", broken)).err).toBe(`--outputs ${broken}: not the JSON of \`pulumi stack output --json --show-secrets\` (not an object)`);
    expect(fake.requests).toEqual([]);
  });

  test("without --outputs: the offline evaluation's placeholders; diff shows them, apply refuses (exit 2) and writes nothing", async () => {
    const file = stackFile("i.yaml");
    const diff = await run("diff", "--stack", "eu", "--config", file);
    expect(diff.code).toBe(0);
    expect(diff.err).toContain("notice: no --outputs: values only a deployment knows (tenant ID, Event Hub connection string) are placeholders from the offline evaluation");
    expect(diff.out).toContain("    tenant_id: (known after pulumi up: the app's tenant ID: pulumi stack output tenantId)");
    const apply = await run("apply", "--stack", "eu", "--config", file);
    expect(apply.code).toBe(2);
    expect(apply.err.split("\n").at(-1)).toMatch(/^infinity: apply needs values only the deployment knows \(pass --outputs .*\): create azure_tenant "pexip-eu tenant": tenant_id; create teams_proxy "pexip-eu": notifications_queue; create teams_proxy "pexip-eu": description$/);
    expect(fake.writes).toEqual([]);
  });
});

describe("npm run infinity, as a subprocess", () => {
  test("apply then diff through npm's command line, the fake's CA trusted through NODE_EXTRA_CA_CERTS only", async () => {
    const file = stackFile("smoke.yaml", (i) => delete i.caCertificateFile);
    const npm = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ["-r", "./tools/register.js", "tools/commands/infinity.ts", ...args], {
        cwd: ROOT, encoding: "utf8", timeout: 30000,
        env: { PATH: process.env.PATH, INFINITY_PASSWORD: fake.password, NODE_EXTRA_CA_CERTS: caFile, INIT_CWD: TMP },
      }, (e, stdout, stderr) => resolve({ code: e ? (typeof e.code === "number" ? e.code : null) : 0, stdout, stderr }));
    });
    const applied = await npm(["apply", "--stack", "eu", "--config", file, "--outputs", outputsFile()]);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout.trim().split("\n").at(-1)).toBe(`Applied: 6 writes to 127.0.0.1:${fake.port}.`);
    const again = await npm(["diff", "--stack", "eu", "--config", file, "--outputs", outputsFile()]);
    expect([again.code, again.stdout.trim()]).toEqual([0, `No changes: 6 objects on 127.0.0.1:${fake.port} already as configured.`]);
    expect(again.stdout + again.stderr).not.toContain(fake.password);
  });
});
