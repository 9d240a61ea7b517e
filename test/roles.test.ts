/**
 * The one list of roles (components/roles.ts) against what the program assigns and what docs/operations.md tells
 * operators to grant: the deploying identity's condition, the roles table, and the preview identity's custom role.
 */
import * as fs from "fs";
import * as path from "path";
import { inputs, ofType, ROOT, runProgram, stackSource } from "./harness";
import { INVOKE_ACTIONS, PREVIEW_ROLE_NAME, previewRoleDefinition, roleAssignmentCondition, roleOfDefinitionId, ROLES, RoleKey } from "../components/roles";

const ops = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
let runs: Awaited<ReturnType<typeof runProgram>>[];

beforeAll(async () => {
  runs = [await runProgram("eu", stackSource("eu").source), await runProgram("us", stackSource("us").source)];
});

describe("the roles the program assigns", () => {
  test("every role assignment of the eu and us stacks uses a role of the list, and every role of the list is used", () => {
    const used = new Set<RoleKey>();
    for (const run of runs) {
      for (const r of ofType(run.resources, "azure-native:authorization:RoleAssignment")) {
        const role = roleOfDefinitionId(inputs(r).roleDefinitionId);
        expect([r.name, role !== undefined]).toEqual([r.name, true]);
        used.add(role!);
        // For a just-created identity ARM must not look the principal up (it is not replicated yet).
        expect([r.name, inputs(r).principalType]).toEqual([r.name, "ServicePrincipal"]);
      }
    }
    expect([...used].sort()).toEqual((Object.keys(ROLES) as RoleKey[]).sort());
  });

  test("the instances' identity reads two Key Vault secrets and no more (the platform delivers the certificate), and has no Event Hubs role", () => {
    const names = runs.flatMap((run) => ofType(run.resources, "azure-native:authorization:RoleAssignment").map((r) => r.name)).sort();
    expect(names).toEqual([
      "consent-package-reader",
      "static-role-blob-data-contributor-logs", "static-role-blob-data-contributor-logs",
      "static-role-blob-data-reader-packages", "static-role-blob-data-reader-packages",
      "static-role-kv-crypto-encryption-user-des", "static-role-kv-crypto-encryption-user-des",
      "static-role-kv-secrets-user-app-password", "static-role-kv-secrets-user-app-password",
      "static-role-kv-secrets-user-eventhub", "static-role-kv-secrets-user-eventhub",
    ]);
    // Each on its own secret, never on the vault (which also holds the certificate, the admin password and the DES key).
    for (const run of runs) {
      for (const r of ofType(run.resources, "azure-native:authorization:RoleAssignment").filter((x) => x.name.startsWith("static-role-kv-secrets-user-"))) {
        expect([r.name, inputs(r).scope]).toEqual([r.name, expect.stringMatching(/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/secrets\/(app-password|event-hub-connection-string)$/)]);
      }
    }
  });
});

describe("the deploying identity's condition", () => {
  test("allows writing and deleting exactly the listed roles, for service principals only", () => {
    const c = roleAssignmentCondition();
    for (const r of Object.values(ROLES)) expect(c.split(r.id).length - 1).toBe(2);
    expect(c.split("StringEqualsIgnoreCase {'ServicePrincipal'}").length - 1).toBe(2);
    expect(c).toMatch(/^\(\(!\(ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/write'\}\)\) OR \(@Request\[/);
    expect(c).toContain(") AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[");
    expect(roleAssignmentCondition(["storageBlobDataReader"])).not.toContain(ROLES.storageBlobDataContributor.id);
  });

  test("docs/operations.md grants it with the generated condition, at the subscription, and no longer bootstraps with --target", () => {
    const line = ops.split("\n").find((l) => l.startsWith('CONDITION="'));
    expect(line).toBe(`CONDITION="${roleAssignmentCondition()}"`);
    expect(ops).toContain('--role "Role Based Access Control Administrator" --scope /subscriptions/$SUB_ID \\\n  --condition "$CONDITION" --condition-version 2.0');
    expect(ops).not.toMatch(/^\s*pulumi up [^\n]*--target/m);
    // The PowerShell form carries the same generated condition.
    expect(ops.split("\n").find((l) => l.startsWith("$CONDITION = "))).toBe(`$CONDITION = "${roleAssignmentCondition()}"`);
  });

  test("docs/operations.md's roles table is the list", () => {
    const table = ops.split("<!-- roles: generated from components/roles.ts -->\n")[1]?.split("\n\n")[0];
    expect(table).toBe([
      "| role | definition ID | granted to |",
      "|---|---|---|",
      ...Object.values(ROLES).map((r) => `| ${r.name} | \`${r.id}\` | ${r.grantedTo} |`),
    ].join("\n"));
  });
});

describe("the preview identity's custom role", () => {
  test("every invoke the program makes has its actions listed, and no listed invoke is unused", () => {
    const invoked = [...new Set(runs.flatMap((r) => r.monitor.invokes))].sort();
    expect(invoked).toEqual(Object.keys(INVOKE_ACTIONS).sort());
  });

  test("reads everything and runs listEventHubKeys: nothing else", () => {
    const def = previewRoleDefinition("0000");
    expect(def.Actions).toEqual(["*/read", "Microsoft.EventHub/namespaces/eventhubs/authorizationRules/listkeys/action"]);
    expect([def.NotActions, def.DataActions, def.AssignableScopes, def.Name]).toEqual([[], [], ["/subscriptions/0000"], PREVIEW_ROLE_NAME]);
  });

  test("docs/operations.md creates exactly the generated definition and assigns it to the preview identity", () => {
    const json = /cat > preview-role\.json <<EOF\n([\s\S]*?)\nEOF\n/.exec(ops)?.[1];
    expect(JSON.parse(json ?? "null")).toEqual(previewRoleDefinition("$SUB_ID"));
    // The PowerShell here-string expands $SUB_ID the same way.
    const ps = /@"\n([\s\S]*?)\n"@ \| Set-Content -Encoding ascii preview-role\.json/.exec(ops)?.[1];
    expect(JSON.parse(ps ?? "null")).toEqual(previewRoleDefinition("$SUB_ID"));
    expect(ops).toContain(`--role "${PREVIEW_ROLE_NAME}" --scope /subscriptions/$SUB_ID`);
  });
});
