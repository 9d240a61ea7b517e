/**
 * Two-phase app password rotation across regions (issue 14): eu rotates (the new password is added, the previous one
 * stays valid), us deploys (its instances move to the new one), eu retires the previous one. At each step: which
 * passwords exist in Entra ID, and which one every region's instances are given.
 */
import { DEFAULT_PARAMETER_NAMES, parseBootstrapCommand } from "../components/installer";
import { EXTENSIONS } from "../components/teamsConnectorVmss";
import { inputs, one, ofType, ProgramRun, runProgram, stackSource } from "./harness";

const PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";

async function eu(set: Record<string, unknown>, remove: string[] = []): Promise<ProgramRun> {
  return runProgram("eu", stackSource("eu", { set, remove }).source);
}
async function us(euRun: ProgramRun): Promise<ProgramRun> {
  return runProgram("us", stackSource("us").source, { appStackOutputs: euRun.outputs });
}

/** Labels of the passwords the stack keeps (from their rotation keepers). */
const labels = (run: ProgramRun) => ofType(run.resources, PASSWORD).map((r) => inputs(r).rotateWhenChanged.appPasswordRotation as string).sort();
/** The generated value of the password with this label. */
const valueOf = (run: ProgramRun, label: string) => ofType(run.resources, PASSWORD).find((r) => inputs(r).rotateWhenChanged.appPasswordRotation === label)!.state;
/**
 * The password the region's instances are given: the Key Vault secret version their install command names (the
 * command carries the versioned URI; the bootstrap reads that version).
 */
function instancePassword(run: ProgramRun): string {
  const vmss = one(run.resources, "azure-native:compute:VirtualMachineScaleSet");
  const ext = (inputs(vmss).virtualMachineProfile.extensionProfile.extensions as Record<string, any>[]).find((e) => e.name === EXTENSIONS.install)!;
  const uri = parseBootstrapCommand(ext.settings.commandToExecute).settings.secretArguments.find((a) => a.name === DEFAULT_PARAMETER_NAMES.appPassword)!.secretUri;
  const secret = ofType(run.resources, "azure-native:keyvault:Secret").find((r) => (r.state.properties as { secretUriWithVersion?: string }).secretUriWithVersion === uri);
  if (!secret) throw new Error(`no Key Vault secret version ${uri}`);
  return inputs(secret).properties.value as string;
}
const plain = (v: unknown) => (typeof v === "object" && v !== null && "value" in (v as object) ? (v as { value: string }).value : (v as string));

test("rotate in eu, deploy us, retire: the previous password lives until every region uses the new one", async () => {
  // Step 0: steady state on label 2026-05.
  const eu0 = await eu({ appPasswordRotation: "2026-05" });
  const us0 = await us(eu0);
  const p1 = plain(valueOf(eu0, "2026-05").value);
  expect(labels(eu0)).toEqual(["2026-05"]);
  expect([instancePassword(eu0), instancePassword(us0)]).toEqual([p1, p1]);

  // Step 1: eu rotates. Both passwords exist; eu's instances get the new one; us (not deployed yet) still holds P1, which is valid.
  const eu1 = await eu({ appPasswordRotation: "2026-11", appPasswordPrevious: "2026-05" });
  const p2 = plain(valueOf(eu1, "2026-11").value);
  expect(p2).not.toBe(p1);
  expect(labels(eu1)).toEqual(["2026-05", "2026-11"]);
  expect(plain(valueOf(eu1, "2026-05").value)).toBe(p1);
  expect(instancePassword(eu1)).toBe(p2);
  expect(eu1.outputs.appPassword).toBe(p2);

  // Step 2: us deploys and rolls to P2.
  const us2 = await us(eu1);
  expect(instancePassword(us2)).toBe(p2);
  expect(ofType(us2.resources, PASSWORD)).toEqual([]);

  // Step 3: eu retires the previous password: only P2 remains, and both regions use it.
  const eu3 = await eu({ appPasswordRotation: "2026-11" });
  expect(labels(eu3)).toEqual(["2026-11"]);
  expect(plain(valueOf(eu3, "2026-11").value)).toBe(p2);
  expect([instancePassword(eu3), instancePassword(us2)]).toEqual([p2, p2]);
});

test("each password keeps its logical name across the steps (no replacement), and the oldest one carries the pre-rotation name as alias", async () => {
  const before = await eu({ appPasswordRotation: "2026-05" });
  const during = await eu({ appPasswordRotation: "2026-11", appPasswordPrevious: "2026-05" });
  const name = (run: ProgramRun, label: string) => ofType(run.resources, PASSWORD).find((r) => inputs(r).rotateWhenChanged.appPasswordRotation === label)!;
  expect(name(during, "2026-05").urn).toBe(name(before, "2026-05").urn);
  expect(name(during, "2026-05").aliases).toEqual([{ name: "bot-password", type: undefined, parent: undefined }].map((a) => expect.objectContaining({ name: a.name })));
  expect(name(during, "2026-11").aliases).toEqual([]);
});
