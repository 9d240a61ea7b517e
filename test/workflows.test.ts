/**
 * The GitHub workflows (.github/workflows) are read as data and held to the project's rules: fork-safe
 * offline plans of every stack file, previews and deploys per stack (eu before us), least permissions,
 * OIDC instead of stored Azure secrets, every action pinned. The plan loop and the package fetch script
 * are executed for real in a scratch directory with stub `npm`/`az` commands. Each rule is a small
 * function that is also shown rejecting a broken input, so that no check here passes vacuously.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import {
  deployJobMinimumMinutes, deployJobTimeoutMinutes, EXTENSIONS_TIME_BUDGET_MINUTES, GITHUB_JOB_MAX_MINUTES, ROLE_PROPAGATION_SECONDS, ROLLOUT_WAIT_MINUTES, rolloutMinutes,
  VMSS_PROVIDER_TIMEOUT_MINUTES,
} from "../components/timeBudget";
import { batchSize, rollingUpgradePolicy } from "../components/rollingUpgrade";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: string | Record<string, string>;
  environment?: string | { name: string };
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean };
  strategy?: { matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: string | Record<string, string>;
  jobs: Record<string, Job>;
}

/** Scratch directories of the sandbox runs, removed after the suite. */
const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});
const scratchDir = (prefix: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(d);
  return d;
};

function read(file: string): { text: string; wf: Workflow } {
  const text = fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
  return { text, wf: parse(text) as Workflow };
}

/** Stack names of the Pulumi.<stack>.yaml files in the repository root. */
function stacksOnDisk(dir = ROOT): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** The `appStack` of a stack file, or "" (the stack owns the app registration). */
function appStackOf(stack: string): string {
  const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> } | null;
  const v = doc?.config?.["pexip-teams-connector:appStack"] ?? doc?.config?.appStack;
  return typeof v === "string" ? v : "";
}

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const stepUsing = (job: Job, action: string): Step | undefined => job.steps.find((s) => s.uses?.split("@")[0] === action);
const environmentOf = (job: Job): string | undefined => (typeof job.environment === "string" ? job.environment : job.environment?.name);

// ---------------------------------------------------------------- rules, as functions

const SHA = /^[0-9a-f]{40}$/;
const EXACT_TAG = /^v\d+\.\d+\.\d+$/;

/** `uses:` references that are not pinned: a full SHA with a `# vX.Y.Z` comment, or an exact vX.Y.Z tag. */
function unpinnedUses(text: string): string[] {
  const bad: string[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(\S+))?/.exec(line);
    if (!m || m[1].startsWith("./")) continue;
    const [ref, comment] = [m[1].split("@")[1] ?? "", m[2]];
    const pinned = (SHA.test(ref) && comment !== undefined && EXACT_TAG.test(comment)) || EXACT_TAG.test(ref);
    if (!pinned) bad.push(m[1]);
  }
  return bad;
}

/** Permission grants broader than the rules allow: `*-all`, or any write other than the listed scopes. */
function permissionProblems(wf: Workflow, writable: string[]): string[] {
  const problems: string[] = [];
  const check = (where: string, p: Workflow["permissions"]) => {
    if (p === undefined) return;
    if (typeof p === "string") {
      problems.push(`${where}: ${p}`);
      return;
    }
    for (const [scope, level] of Object.entries(p)) {
      if (level === "write" && !writable.includes(scope)) problems.push(`${where}: ${scope}: write`);
    }
  };
  check("workflow", wf.permissions);
  for (const [id, job] of Object.entries(wf.jobs)) check(id, job.permissions);
  return problems;
}

/** Stored Azure credentials, which OIDC makes unnecessary. */
const CREDENTIAL_PATTERN = /AZURE_CLIENT_SECRET|ARM_CLIENT_SECRET|client-secret|clientSecret|AZURE_CREDENTIALS|^\s*creds:|AZURE_STORAGE_KEY/m;

/** Stacks that a list (matrix, jobs) misses, and entries naming no stack file. */
function coverage(listed: string[], stacks: string[]): { missing: string[]; extra: string[] } {
  return { missing: stacks.filter((s) => !listed.includes(s)), extra: listed.filter((s) => !stacks.includes(s)) };
}

/** Every `.github` file's text (workflows, scripts, dependabot). */
function githubFiles(dir = path.join(ROOT, ".github")): { file: string; text: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? githubFiles(p) : [{ file: path.relative(ROOT, p), text: fs.readFileSync(p, "utf8") }];
  });
}

// ---------------------------------------------------------------- sandbox runs of the shell steps

const NPM_STUB = `#!/usr/bin/env bash
echo "$*" >> "$NPM_LOG"
cmd=""; stack=""; json=""; args=("$@")
for ((i = 0; i < \${#args[@]}; i++)); do
  case "\${args[$i]}" in
    plan|policy) [ -z "$cmd" ] && cmd="\${args[$i]}" ;;
    --stack) stack="\${args[$((i + 1))]}" ;;
    --json) json="\${args[$((i + 1))]}" ;;
  esac
done
if [ "$cmd" = plan ]; then
  echo "resources of $stack"
  echo '{"stack":"'"$stack"'","resources":[]}' > "$json"
  [ "$stack" = "$FAIL_STACK" ] && exit 2
fi
exit 0
`;

interface StepRun {
  status: number | null;
  output: string;
  npmCalls: string[];
  summary: string;
  dir: string;
}

/** Runs a workflow `run:` script the way the runner does (bash -eo pipefail) in a directory holding the given stack files. */
function runStep(script: string, stacks: string[], opts: { failStack?: string } = {}): StepRun {
  const dir = scratchDir("workflow-step-");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: pexip-teams-connector\n");
  for (const s of stacks) fs.writeFileSync(path.join(dir, `Pulumi.${s}.yaml`), "config: {}\n");
  fs.mkdirSync(path.join(dir, "bin"));
  fs.writeFileSync(path.join(dir, "bin", "npm"), NPM_STUB, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, "step.sh"), script);
  const log = path.join(dir, "npm.log");
  const summary = path.join(dir, "summary.md");
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "step.sh"], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, NPM_LOG: log, GITHUB_STEP_SUMMARY: summary, FAIL_STACK: opts.failStack ?? "" },
  });
  const readOr = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
  return { status: r.status, output: r.stdout + r.stderr, npmCalls: readOr(log).split("\n").filter(Boolean), summary: readOr(summary), dir };
}

const plannedStacks = (calls: string[]) => calls.map((c) => /\bplan -- --stack (\S+) --json plan-\1\.json$/.exec(c)?.[1]).filter(Boolean);
const policiedStacks = (calls: string[]) => calls.map((c) => /\bpolicy -- --resources plan-(\S+)\.json$/.exec(c)?.[1]).filter(Boolean);

// ---------------------------------------------------------------- tests

const pr = read("pull-request.yml");
const deploy = read("deploy.yml");
const STACKS = stacksOnDisk();
const SDK_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];

describe("the rules themselves reject broken inputs", () => {
  test("unpinnedUses flags branches, major-only tags and SHAs without a version comment", () => {
    const sample = [
      "      - uses: actions/checkout@main",
      "      - uses: actions/checkout@v4",
      "      - uses: actions/setup-node@v4.1",
      "        uses: azure/login@a457da9ea143d694b1b9c7c869ebb04ebe844ef5",
      "      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2",
      "      - uses: azure/login@v3.0.0",
      "      - uses: ./.github/actions/local",
    ].join("\n");
    expect(unpinnedUses(sample)).toEqual([
      "actions/checkout@main",
      "actions/checkout@v4",
      "actions/setup-node@v4.1",
      "azure/login@a457da9ea143d694b1b9c7c869ebb04ebe844ef5",
    ]);
  });

  test("permissionProblems flags write-all and writes outside the allowed scopes", () => {
    const wf = {
      name: "x",
      on: {},
      permissions: "write-all",
      jobs: { a: { steps: [], permissions: { contents: "write", "id-token": "write" } } },
    } as Workflow;
    expect(permissionProblems(wf, ["id-token"])).toEqual(["workflow: write-all", "a: contents: write"]);
  });

  test("the credential scan matches the stored-secret forms OIDC replaces", () => {
    expect(CREDENTIAL_PATTERN.test("env:\n  ARM_CLIENT_SECRET: ${{ secrets.X }}")).toBe(true);
    expect(CREDENTIAL_PATTERN.test("      with:\n        creds: ${{ secrets.AZURE_CREDENTIALS }}")).toBe(true);
    expect(CREDENTIAL_PATTERN.test("ARM_USE_OIDC: \"true\"")).toBe(false);
  });

  test("coverage reports stacks missing from a list and entries without a stack file", () => {
    expect(coverage(["eu"], ["eu", "us"])).toEqual({ missing: ["us"], extra: [] });
    expect(coverage(["eu", "us", "ap"], ["eu", "us"])).toEqual({ missing: [], extra: ["ap"] });
  });
});

describe("the stack files the workflows must cover", () => {
  test("the repository root holds the eu and us stacks of the architecture", () => {
    expect(STACKS).toEqual(expect.arrayContaining(["eu", "us"]));
  });

  test("only the first region owns the app; every other region names the stack it reads (appStack)", () => {
    expect(appStackOf("eu")).toBe("");
    expect(appStackOf("us")).toMatch(/\/pexip-teams-connector\/eu$/);
  });
});

describe("pull-request.yml", () => {
  const plan = pr.wf.jobs.plan;
  const preview = pr.wf.jobs.preview;

  test("runs on pull_request only (never pull_request_target, which hands forks the repository's secrets)", () => {
    expect(Object.keys(pr.wf.on)).toEqual(["pull_request"]);
  });

  test("grants contents: read at workflow level, and writes only pull-requests and id-token in the preview job", () => {
    expect(pr.wf.permissions).toEqual({ contents: "read" });
    expect(permissionProblems(pr.wf, ["pull-requests", "id-token"])).toEqual([]);
    expect(preview.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
  });

  test("the fork-safe plan job uses no secrets, no token grants and no cloud login", () => {
    const planText = JSON.stringify(plan);
    expect(planText).not.toMatch(/secrets\./);
    expect(plan.permissions).toBeUndefined();
    expect(stepUsing(plan, "azure/login")).toBeUndefined();
    expect(stepUsing(plan, "pulumi/actions")).toBeUndefined();
    expect(plan.if).toBeUndefined();
  });

  test("the plan job installs with npm ci on Node 22 (npm cache) and runs the test suite before planning", () => {
    const node = stepUsing(plan, "actions/setup-node");
    expect(node?.with).toEqual({ "node-version": 22, cache: "npm" });
    const runs = plan.steps.map((s) => s.run ?? "");
    const ci = runs.findIndex((r) => r.trim() === "npm ci");
    const test = runs.findIndex((r) => r.trim() === "npm test");
    const planStep = runs.findIndex((r) => r.includes("npm run --silent plan"));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(test).toBeGreaterThan(ci);
    expect(planStep).toBeGreaterThan(test);
  });

  test("the browser test gets a Chromium: CHROMIUM_PATH is exported, with Debian's chromium as the fallback", () => {
    const step = plan.steps.find((s) => s.run?.includes("CHROMIUM_PATH"));
    expect(step?.run).toContain('echo "CHROMIUM_PATH=');
    expect(step?.run).toContain("sudo apt-get install -y chromium");
  });

  describe("the offline plan step, executed with a stub npm", () => {
    const script = plan.steps.find((s) => s.run?.includes("npm run --silent plan"))?.run ?? "";
    // The repository's stacks plus one that no list names: the loop must find it by itself.
    const sandboxStacks = [...STACKS, "zz-new-region"];

    test("plans and policy-checks every Pulumi.<stack>.yaml, writes plan-<stack>.txt and the step summary", () => {
      const run = runStep(script, sandboxStacks);
      expect(run.status).toBe(0);
      expect(plannedStacks(run.npmCalls).sort()).toEqual([...sandboxStacks].sort());
      expect(policiedStacks(run.npmCalls).sort()).toEqual([...sandboxStacks].sort());
      for (const s of sandboxStacks) {
        expect(fs.readFileSync(path.join(run.dir, `plan-${s}.txt`), "utf8")).toContain(`resources of ${s}`);
        expect(run.summary).toContain(`stack \`${s}\``);
        expect(run.summary).toContain(`resources of ${s}`);
      }
    });

    test("a failing plan fails the step, after every other stack was still planned", () => {
      const run = runStep(script, sandboxStacks, { failStack: sandboxStacks[0] });
      expect(run.status).toBe(1);
      expect(plannedStacks(run.npmCalls).sort()).toEqual([...sandboxStacks].sort());
      expect(run.output).toContain(`::error title=plan ${sandboxStacks[0]}::npm run plan exited 2`);
      expect(run.summary).toContain(`stack \`${sandboxStacks[0]}\` (plan exit 2`);
    });

    test("no stack file at all is an error, not a silent pass", () => {
      const run = runStep(script, []);
      expect(run.status).toBe(1);
      expect(run.npmCalls).toEqual([]);
      expect(run.output).toContain("no Pulumi.<stack>.yaml");
    });
  });

  test("the plans are uploaded as an artifact even when a plan failed", () => {
    const upload = stepUsing(plan, "actions/upload-artifact");
    expect(upload?.if).toBe("${{ !cancelled() }}");
    expect(String(upload?.with?.path)).toContain("plan-*.txt");
  });

  test("preview runs after the offline checks, for same-repository branches only", () => {
    expect(needsOf(preview)).toEqual(["plan"]);
    expect(preview.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
  });

  test("preview covers exactly the stack files (matrix)", () => {
    const matrix = (preview.strategy?.matrix?.stack ?? []) as string[];
    expect(coverage(matrix, STACKS)).toEqual({ missing: [], extra: [] });
  });

  test("preview runs pulumi preview with the policy pack and comments on the pull request", () => {
    const pulumi = stepUsing(preview, "pulumi/actions");
    expect(pulumi?.with).toMatchObject({
      command: "preview",
      "stack-name": "${{ matrix.stack }}",
      policyPacks: "policy",
      "comment-on-pr": true,
      "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
    });
  });
});

describe("deploy.yml", () => {
  test("runs on push to main and on manual dispatch", () => {
    expect(deploy.wf.on).toEqual({ push: { branches: ["main"] }, workflow_dispatch: null });
  });

  test("grants contents: read at workflow level and only id-token: write on top in the jobs", () => {
    expect(deploy.wf.permissions).toEqual({ contents: "read" });
    expect(permissionProblems(deploy.wf, ["id-token"])).toEqual([]);
    for (const job of Object.values(deploy.wf.jobs)) expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  test("has one job per stack file, named for it", () => {
    expect(coverage(Object.keys(deploy.wf.jobs), STACKS)).toEqual({ missing: [], extra: [] });
  });

  test("us waits for eu; eu waits for nothing", () => {
    expect(needsOf(deploy.wf.jobs.us)).toContain("eu");
    expect(needsOf(deploy.wf.jobs.eu)).toEqual([]);
  });

  test("every stack that reads another stack's app (appStack) deploys after it", () => {
    for (const s of STACKS) {
      const owner = appStackOf(s).split("/").pop();
      if (owner) expect({ stack: s, needs: needsOf(deploy.wf.jobs[s]) }).toEqual({ stack: s, needs: expect.arrayContaining([owner]) });
    }
  });

  test.each(STACKS)("stack %s: pulumi up with the policy pack, behind its production environment, one run at a time, main only", (s) => {
    const job = deploy.wf.jobs[s];
    expect(environmentOf(job)).toBe(`production-${s}`);
    expect(job.concurrency).toEqual({ group: `pulumi-up-${s}`, "cancel-in-progress": false });
    expect(job.if).toBe("github.ref == 'refs/heads/main'");
    expect(stepUsing(job, "pulumi/actions")?.with).toMatchObject({ command: "up", "stack-name": s, policyPacks: "policy" });
    expect(job.steps.find((st) => st.run?.includes("fetch-connector-package.sh"))?.run).toBe(`bash .github/scripts/fetch-connector-package.sh ${s}`);
  });

  test.each(STACKS)("stack %s: records the start, runs pulumi up, then waits for the rolling upgrade of the scale set it names", (s) => {
    const steps = deploy.wf.jobs[s].steps;
    const at = (f: (st: Step) => boolean) => steps.findIndex(f);
    const start = at((st) => st.run === 'echo "DEPLOY_STARTED_AT=$(date -u +%s)" >> "$GITHUB_ENV"');
    const up = at((st) => st.uses?.startsWith("pulumi/actions@") === true);
    const wait = at((st) => st.run === "bash .github/scripts/wait-rolling-upgrade.sh");
    expect(start).toBeGreaterThan(0);
    expect(up).toBe(start + 1);
    expect(wait).toBe(up + 1);
    expect((steps[up] as Step & { id?: string }).id).toBe("up");
    // The stack outputs pulumi/actions hands on as step outputs (index.ts exports both).
    expect(steps[wait].env).toMatchObject({
      VMSS_RESOURCE_GROUP: "${{ fromJSON(steps.up.outputs.resourceGroups).dynamic }}",
      VMSS_NAME: "${{ steps.up.outputs.vmssName }}",
    });
    // Never skipped or softened: a failed rollout fails the job.
    expect([steps[wait].if, (steps[wait] as Step & { "continue-on-error"?: boolean })["continue-on-error"]]).toEqual([undefined, undefined]);
  });
});

describe("job timeouts against Azure's and the provider's time budget", () => {
  /** `timeout-minutes` of a job, GitHub's 360 when unset. */
  const timeoutOf = (job: Job) => (job as Job & { "timeout-minutes"?: number })["timeout-minutes"] ?? 360;

  test("the budget: the role-propagation wait, the scale set's provider timeout (extensions' budget + provisioning), setup", () => {
    expect([ROLE_PROPAGATION_SECONDS, EXTENSIONS_TIME_BUDGET_MINUTES, VMSS_PROVIDER_TIMEOUT_MINUTES, deployJobMinimumMinutes()]).toEqual([600, 120, 150, 180]);
    expect(VMSS_PROVIDER_TIMEOUT_MINUTES).toBeGreaterThan(EXTENSIONS_TIME_BUDGET_MINUTES);
  });

  test("no job that runs pulumi up is shorter than a first deploy and the rollout wait, nor longer than GitHub allows", () => {
    const ups = [pr, deploy].flatMap((w) => Object.entries(w.wf.jobs)).filter(([, j]) => stepUsing(j, "pulumi/actions")?.with?.command === "up");
    expect(ups.map(([id]) => id).sort()).toEqual([...STACKS].sort());
    expect([deployJobTimeoutMinutes(), GITHUB_JOB_MAX_MINUTES]).toEqual([330, 360]);
    for (const [id, job] of ups) {
      expect({ id, enough: timeoutOf(job) >= deployJobTimeoutMinutes(), allowed: timeoutOf(job) <= GITHUB_JOB_MAX_MINUTES }).toEqual({ id, enough: true, allowed: true });
    }
  });

  test("the rollout wait covers the shipped stacks' rolling upgrades, and its step outlasts the script's own timeout", () => {
    for (const s of STACKS) {
      const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${s}.yaml`), "utf8")) as { config: Record<string, unknown> };
      const n = Number(doc.config["pexip-teams-connector:instanceCount"]);
      const batches = Math.ceil(n / batchSize(n, rollingUpgradePolicy(n).maxBatchInstancePercent));
      expect({ s, minutes: rolloutMinutes(batches) <= ROLLOUT_WAIT_MINUTES }).toEqual({ s, minutes: true });
      const step = deploy.wf.jobs[s].steps.find((st) => st.name === "Wait for the rolling upgrade") as Step & { "timeout-minutes"?: number };
      expect(Number(step.env?.ROLLOUT_TIMEOUT_SECONDS)).toBe(ROLLOUT_WAIT_MINUTES * 60);
      expect(step["timeout-minutes"]).toBeGreaterThan(ROLLOUT_WAIT_MINUTES);
    }
  });

  test("the rule refuses the old 90-minute jobs, and the 200-minute ones that left no time for the rollout", () => {
    expect(90 >= deployJobMinimumMinutes()).toBe(false);
    expect(200 >= deployJobTimeoutMinutes()).toBe(false);
  });
});

describe("every workflow", () => {
  const all = [pr, deploy];

  test("pins every action to a commit SHA with its version, or to an exact release tag", () => {
    for (const w of all) expect({ workflow: w.wf.name, unpinned: unpinnedUses(w.text) }).toEqual({ workflow: w.wf.name, unpinned: [] });
  });

  test("stores no Azure credential anywhere under .github (OIDC only)", () => {
    for (const f of githubFiles()) expect({ file: f.file, credential: CREDENTIAL_PATTERN.exec(f.text)?.[0] }).toEqual({ file: f.file, credential: undefined });
  });

  test("every job that signs in to Azure can mint an OIDC token and hands it to the providers (ARM_USE_OIDC)", () => {
    const jobs = all.flatMap((w) => Object.entries(w.wf.jobs)).filter(([, j]) => stepUsing(j, "azure/login"));
    expect(jobs.map(([id]) => id).sort()).toEqual(["preview", ...STACKS].sort());
    for (const [id, job] of jobs) {
      expect({ id, idToken: (job.permissions as Record<string, string>)["id-token"], oidc: job.env?.ARM_USE_OIDC }).toEqual({ id, idToken: "write", oidc: "true" });
      expect(stepUsing(job, "azure/login")?.with).toEqual({
        "client-id": "${{ vars.AZURE_CLIENT_ID }}",
        "tenant-id": "${{ vars.AZURE_TENANT_ID }}",
        "subscription-id": "${{ vars.AZURE_SUBSCRIPTION_ID }}",
      });
    }
  });

  test("the Pulumi CLI the action installs is the version of the SDK in package.json", () => {
    const steps = all.flatMap((w) => Object.values(w.wf.jobs)).map((j) => stepUsing(j, "pulumi/actions")).filter((s): s is Step => s !== undefined);
    expect(steps).toHaveLength(1 + STACKS.length); // one preview step (matrix), one up per stack
    for (const s of steps) expect(s.with?.["pulumi-version"]).toBe(SDK_VERSION);
  });
});

describe("fetch-connector-package.sh, executed with a stub az", () => {
  const AZ_STUB = `#!/usr/bin/env bash
echo "$*" >> "$AZ_LOG"
while [ $# -gt 0 ]; do [ "$1" = --file ] && { printf 'zip bytes' > "$2"; }; shift; done
`;
  function fetch(stackYaml: string, extra: (dir: string) => void = () => undefined) {
    const dir = scratchDir("fetch-package-");
    fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), stackYaml);
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(path.join(dir, "bin", "az"), AZ_STUB, { mode: 0o755 });
    extra(dir);
    const r = spawnSync("bash", [path.join(ROOT, ".github", "scripts", "fetch-connector-package.sh"), "t"], {
      cwd: dir,
      encoding: "utf8",
      env: {
        PATH: `${path.join(dir, "bin")}:${path.dirname(process.execPath)}:${process.env.PATH}`,
        NODE_PATH: path.join(ROOT, "node_modules"),
        AZ_LOG: path.join(dir, "az.log"),
        CONNECTOR_PACKAGE_ACCOUNT: "pexippackages",
        CONNECTOR_PACKAGE_CONTAINER: "teams-connector",
      },
    });
    const azLog = fs.existsSync(path.join(dir, "az.log")) ? fs.readFileSync(path.join(dir, "az.log"), "utf8") : "";
    return { status: r.status, output: r.stdout + r.stderr, azLog, dir };
  }
  const yaml = "config:\n  pexip-teams-connector:connectorPackage: packages/Pexip_Teams_v26.2.zip\n";

  test("downloads the named ZIP by its base name with the signed-in identity (no storage key)", () => {
    const r = fetch(yaml);
    expect(r.status).toBe(0);
    expect(r.azLog).toContain("storage blob download --auth-mode login");
    expect(r.azLog).toContain("--account-name pexippackages --container-name teams-connector --name Pexip_Teams_v26.2.zip");
    expect(fs.readFileSync(path.join(r.dir, "packages", "Pexip_Teams_v26.2.zip"), "utf8")).toBe("zip bytes");
  });

  test("a committed .sha256 that does not match fails the run", () => {
    const r = fetch(yaml, (dir) => {
      fs.mkdirSync(path.join(dir, "packages"));
      fs.writeFileSync(path.join(dir, "packages", "Pexip_Teams_v26.2.zip.sha256"), `${"0".repeat(64)}  Pexip_Teams_v26.2.zip\n`);
    });
    expect(r.status).toBe(1);
    expect(r.output).toContain("does not match");
  });

  test("a matching .sha256 passes", () => {
    const digest = createHash("sha256").update("zip bytes").digest("hex");
    const r = fetch(yaml, (dir) => {
      fs.mkdirSync(path.join(dir, "packages"));
      fs.writeFileSync(path.join(dir, "packages", "Pexip_Teams_v26.2.zip"), "zip bytes");
      fs.writeFileSync(path.join(dir, "packages", "Pexip_Teams_v26.2.zip.sha256"), `${digest}  Pexip_Teams_v26.2.zip\n`);
    });
    expect(r.status).toBe(0);
    expect(r.azLog).toBe("");
    expect(r.output).toContain("sha256 matches");
  });

  test("a path outside the repository is refused", () => {
    const r = fetch("config:\n  pexip-teams-connector:connectorPackage: ../elsewhere/p.zip\n");
    expect(r.status).toBe(1);
    expect(r.azLog).toBe("");
  });

  test("a stack without connectorPackage fetches nothing and leaves the verdict to the config check", () => {
    const r = fetch("config:\n  pexip-teams-connector:baseName: px\n");
    expect(r.status).toBe(0);
    expect(r.azLog).toBe("");
  });
});

describe("wait-rolling-upgrade.sh, executed with a fake az", () => {
  // A fake az: get-latest answers the next line of `upgrades` (the last one again when they run out; NOTFOUND and
  // FAIL as Azure CLI errors), list-instances the next line of `behind`; every call is logged.
  const AZ_FAKE = `#!/usr/bin/env bash
echo "$*" >> "$AZ_LOG"
next() { local n; n=$(cat "$STATE/$1.n" 2>/dev/null || echo 0); echo $((n + 1)) > "$STATE/$1.n"; sed -n "$((n + 1))p" "$STATE/$1" | grep . || tail -n 1 "$STATE/$1"; }
case "$1 $2 $3" in
  "vmss rolling-upgrade get-latest")
    case "$*" in *error.message*) echo "Rolled back: 1 instance failed its health probe"; exit 0 ;; esac
    line=$(next upgrades)
    [ "$line" = NOTFOUND ] && { echo "ERROR: (NotFound) The entity was not found in this Azure location." >&2; exit 3; }
    [ "$line" = FAIL ] && { echo "ERROR: (InternalServerError) try again" >&2; exit 1; }
    echo "$line" ;;
  "vmss list-instances --resource-group") next behind ;;
  *) echo "unexpected az call: $*" >&2; exit 9 ;;
esac
`;
  /** 2001-01-02T00:00:00Z: far from any clock the suite runs under (faketime moves it a year at most). */
  const DEPLOYED = 978393600;
  const BEFORE = "2001-01-01T23:00:00.0000000+00:00";
  const AFTER = "2001-01-02T00:05:00.1234567+00:00";

  function waitFor(upgrades: string[], behind: string[], env: Record<string, string> = {}) {
    const dir = scratchDir("rollout-");
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(path.join(dir, "bin", "az"), AZ_FAKE, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "upgrades"), upgrades.join("\n") + "\n");
    fs.writeFileSync(path.join(dir, "behind"), behind.join("\n") + "\n");
    const r = spawnSync("bash", [path.join(ROOT, ".github", "scripts", "wait-rolling-upgrade.sh")], {
      cwd: dir,
      encoding: "utf8",
      timeout: 20_000,
      env: {
        PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
        AZ_LOG: path.join(dir, "az.log"),
        STATE: dir,
        VMSS_RESOURCE_GROUP: "pexip-TeamsConn-eu-RG",
        VMSS_NAME: "pexipeu",
        DEPLOY_STARTED_AT: String(DEPLOYED),
        ROLLOUT_TIMEOUT_SECONDS: "600",
        ROLLOUT_POLL_SECONDS: "0",
        ROLLOUT_START_GRACE_SECONDS: "0",
        ...env,
      },
    });
    const calls = fs.existsSync(path.join(dir, "az.log")) ? fs.readFileSync(path.join(dir, "az.log"), "utf8").split("\n").filter(Boolean) : [];
    return { status: r.status, output: r.stdout + r.stderr, calls };
  }
  const up = (code: string, start = AFTER, failed = 0) => `${code}|${start}|1|${failed}|1|1`;
  const GET_LATEST = "vmss rolling-upgrade get-latest --resource-group pexip-TeamsConn-eu-RG --name pexipeu --query join('|', [to_string(runningStatus.code), to_string(runningStatus.startTime), to_string(progress.successfulInstanceCount), to_string(progress.failedInstanceCount), to_string(progress.inProgressInstanceCount), to_string(progress.pendingInstanceCount)]) --output tsv";
  const LIST = "vmss list-instances --resource-group pexip-TeamsConn-eu-RG --name pexipeu --query length([?latestModelApplied==`false`]) --output tsv";

  test("a rollout of this deploy that completes: polls while RollingForward, then checks every instance is on the model, exit 0", () => {
    const r = waitFor([up("RollingForward"), up("RollingForward"), up("Completed")], ["0"]);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([GET_LATEST, GET_LATEST, GET_LATEST, LIST]);
    expect(r.output).toContain("rolling upgrade of pexipeu (started 2001-01-02T00:05:00.1234567+00:00, by this deploy): RollingForward");
    expect(r.output).toContain("every instance of pexipeu runs the latest model");
  });

  test.each(["Faulted", "Cancelled"])("a rollout of this deploy that %s fails the job, with Azure's reason", (code) => {
    const r = waitFor([up("RollingForward"), up(code)], ["1"]);
    expect(r.status).toBe(1);
    expect(r.output).toContain(`::error title=rollout pexipeu::the rolling upgrade ${code}: the new model did not reach every instance (failed batches are rolled back). Rolled back: 1 instance failed its health probe`);
    expect(r.calls.filter((c) => c.startsWith("vmss list-instances"))).toEqual([]);
  });

  test("Completed with failed instances fails too", () => {
    const r = waitFor([up("Completed", AFTER, 2)], ["0"]);
    expect(r.status).toBe(1);
    expect(r.output).toContain("the rolling upgrade completed with 2 failed instance(s)");
  });

  test("a rollout still going when the wait runs out fails, saying it goes on in Azure", () => {
    const r = waitFor([up("RollingForward")], ["3"], { ROLLOUT_TIMEOUT_SECONDS: "0" });
    expect(r.status).toBe(1);
    expect(r.output).toContain("::error title=rollout pexipeu::the rolling upgrade did not complete within 0 s (status RollingForward); it goes on in Azure");
  });

  test("a deploy that changed no model (or a first deploy: no upgrade ever) passes once every instance is on the model", () => {
    expect(waitFor([up("Completed", BEFORE)], ["0"]).status).toBe(0);
    const first = waitFor(["NOTFOUND"], ["0"]);
    expect([first.status, first.calls]).toEqual([0, [GET_LATEST, LIST]]);
    expect(first.output).toContain("no rolling upgrade has run on pexipeu");
  });

  test("an old failure (before this deploy) with instances still behind, and no new rollout within the grace period, fails", () => {
    const r = waitFor([up("Faulted", BEFORE)], ["1"]);
    expect(r.status).toBe(1);
    expect(r.output).toContain("(started 2001-01-01T23:00:00.0000000+00:00, before this deploy): Faulted");
    expect(r.output).toContain("::error title=rollout pexipeu::1 instance(s) are not on the latest model and no rolling upgrade started within 0 s of the deploy (latest: Faulted)");
  });

  test("the rollout this deploy starts may show up a poll late: the old upgrade is not taken for it", () => {
    const r = waitFor([up("Completed", BEFORE), up("RollingForward"), up("Completed")], ["2", "0"], { ROLLOUT_START_GRACE_SECONDS: "100000000000" });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([GET_LATEST, LIST, GET_LATEST, GET_LATEST, LIST]);
  });

  test("az errors other than not-found are retried, and three in a row fail", () => {
    expect(waitFor(["FAIL", up("Completed")], ["0"]).status).toBe(0);
    const r = waitFor(["FAIL"], ["0"]);
    expect(r.status).toBe(1);
    expect(r.output).toContain("cannot read the rolling upgrade's status (3 failures in a row)");
    expect(r.calls).toEqual([GET_LATEST, GET_LATEST, GET_LATEST]);
  });

  test("missing or malformed settings stop before any az call", () => {
    const missing = waitFor([up("Completed")], ["0"], { VMSS_NAME: "" });
    expect([missing.status, missing.calls]).toEqual([1, []]);
    expect(missing.output).toContain("set VMSS_NAME");
    const bad = waitFor([up("Completed")], ["0"], { ROLLOUT_POLL_SECONDS: "1m" });
    expect([bad.status, bad.calls]).toEqual([2, []]);
  });
});

describe("subscription prerequisites", () => {
  test("the operations guide and the README register EncryptionAtHost and, next to it, MaxSurgeRollingUpgrade", () => {
    const ops = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
    const prereq = ops.split("## Subscription prerequisites")[1]?.split("\n## ")[0] ?? "";
    for (const f of ["EncryptionAtHost", "MaxSurgeRollingUpgrade"]) {
      expect(prereq).toContain(`az feature register --namespace Microsoft.Compute --name ${f}`);
      expect(prereq).toContain(`az feature show --namespace Microsoft.Compute --name ${f} --query properties.state`);
    }
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain("`Microsoft.Compute/EncryptionAtHost` and `Microsoft.Compute/MaxSurgeRollingUpgrade` registered");
  });
});

describe("the operator docs stay true to the code and the workflows", () => {
  const DOCS = ["docs/operations.md", "docs/troubleshooting.md"];
  const text = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
  const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
  const anchors = (f: string) => new Set([...text(f).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));

  test("slug follows GitHub's rule on the headings used here", () => {
    expect(slug("Day 1: the first region")).toBe("day-1-the-first-region");
    expect(slug("Alternative: Pulumi Cloud")).toBe("alternative-pulumi-cloud");
  });

  test.each(DOCS)("%s: every relative link points at an existing file and heading", (doc) => {
    const broken: string[] = [];
    for (const m of text(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
      const [target, anchor] = m[1].split("#");
      if (/^[a-z]+:/.test(target)) continue;
      const file = target === "" ? doc : path.join(path.dirname(doc), target);
      if (!fs.existsSync(path.join(ROOT, file))) broken.push(m[1]);
      else if (anchor !== undefined && !anchors(file).has(anchor)) broken.push(m[1]);
    }
    expect(broken).toEqual([]);
  });

  test.each(DOCS)("%s: every repository file it names exists", (doc) => {
    const named = [...text(doc).matchAll(/`((?:\.github|components|tools|test|policy|docs)\/[\w./-]+\.(?:ts|yml|yaml|sh|md|js))`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((f) => !fs.existsSync(path.join(ROOT, f)))).toEqual([]);
  });

  test.each(DOCS)("%s: every `npm run` script it names exists in package.json", (doc) => {
    const scripts = (JSON.parse(text("package.json")) as { scripts: Record<string, string> }).scripts;
    const named = [...text(doc).matchAll(/npm run ([\w-]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((s) => !(s in scripts))).toEqual([]);
  });

  test("every stack key in the day-100 table and every pexip-teams-connector:<key> is a key of the config contract", async () => {
    const { KNOWN_KEYS } = await import("../components/config");
    const known = new Set<string>(KNOWN_KEYS);
    const ops = text("docs/operations.md");
    const table = ops.slice(ops.indexOf("| task | stack key(s)"), ops.indexOf("\n\n", ops.indexOf("| task | stack key(s)")));
    const keys = table
      .split("\n")
      .slice(2)
      .flatMap((row) => [...(row.split("|")[2] ?? "").matchAll(/`([a-zA-Z][\w.]*)(?:\.\*)?(?:: [^`]*)?`/g)].map((m) => m[1]))
      .filter((k) => !k.startsWith("Pulumi."));
    const qualified = DOCS.flatMap((d) => [...text(d).matchAll(/pexip-teams-connector:([a-zA-Z][\w.]*)/g)].map((m) => m[1]));
    expect(keys.length).toBeGreaterThan(10);
    expect([...keys, ...qualified].map((k) => k.split(".")[0]).filter((k) => !known.has(k))).toEqual([]);
  });

  test("every repository variable the workflows read is documented in the GitHub settings", () => {
    const used = new Set([pr.text, deploy.text].flatMap((t) => [...t.matchAll(/\bvars\.([A-Z_]+)/g)].map((m) => m[1])));
    const settings = text("docs/operations.md").split("### GitHub settings")[1] ?? "";
    expect([...used].sort()).toEqual(
      expect.arrayContaining(["AZURE_CLIENT_ID", "AZURE_SUBSCRIPTION_ID", "AZURE_TENANT_ID", "PULUMI_BACKEND_URL"]),
    );
    expect([...used].filter((v) => !settings.includes(`\`${v}\``))).toEqual([]);
  });

  test("the environments the deploy jobs use are the ones the docs tell operators to create", () => {
    const envs = Object.values(deploy.wf.jobs).map(environmentOf);
    const ops = text("docs/operations.md");
    for (const e of envs) expect({ env: e, documented: ops.includes(`\`${e}\``) }).toEqual({ env: e, documented: true });
  });
});
