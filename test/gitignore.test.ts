/**
 * .gitignore keeps what the docs tell operators to put in the project out of git (the PFX, Pexip's ZIPs, plan and
 * import output), and nothing the repository needs. Git itself decides (`git check-ignore --no-index`).
 */
import { spawnSync } from "child_process";
import { ROOT } from "./harness";

/** The paths among `paths` that git ignores. */
function ignored(paths: string[]): string[] {
  const r = spawnSync("git", ["check-ignore", "--no-index", "--stdin"], { cwd: ROOT, input: paths.join("\n") + "\n", encoding: "utf8" });
  // 0: some ignored, 1: none ignored; anything else is git failing.
  expect([0, 1]).toContain(r.status);
  return r.stdout.split("\n").filter(Boolean);
}

test("certificates, connector ZIPs and plan/import/export output are ignored", () => {
  const paths = [
    "connector.pfx", "your_connector_certificate.pfx", "certs/new.pfx", "connector.p12",
    "Pexip_Infinity_Connector_For_Microsoft_Teams_v26.2_1234.zip", "packages/Pexip_Infinity_Connector_For_Microsoft_Teams_v26.3_5678.zip",
    "plan.json", "plan-eu.txt", "old.json", "new.json", "stack-export.json", "import-static.eu.json", "bot-import.json",
    "static-rg.json", "resources.json", "eventhubs.json", "eventhub-rules.json", "preview-role.json", "out/eu.json",
  ];
  expect(ignored(paths)).toEqual(paths);
});

test("the repository's own files stay tracked", () => {
  expect(ignored([
    "package.json", "package-lock.json", "tsconfig.json", "Pulumi.eu.yaml", "policy/package.json",
    "test/fixtures/stack-export.json", "test/fixtures/az-static-rg.json",
    "packages/Pexip_Infinity_Connector_For_Microsoft_Teams_v26.2_1234.zip.sha256",
  ])).toEqual([]);
});
