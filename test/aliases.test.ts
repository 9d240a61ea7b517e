/**
 * Renaming a component in code keeps its resources through `aliases` (style.md): the program's NetworkSecurity
 * `vmss-nsg` is built again as `vmss-security`, with `aliases: [{ name: "vmss-nsg" }]` merged into the caller's options
 * by `pulumi.mergeOptions`. The registration must carry that alias, and the alias must resolve to the URN the real
 * program registers, for the component and (by the parent-alias rule) for the NSG it owns.
 *
 * The engine resolves alias specs (empty type/parent: the resource's own) and gives a child whose name starts with its
 * parent's name the parent's aliases with that prefix replaced (pulumi/pulumi pkg/resource/deploy/step_generator.go
 * `inheritedChildAlias`; the SDK's `allAliases` has the same rule). URNs are built with the SDK's `createUrn`.
 *
 * The same proof for a move under another parent: the connector package blob, StaticResources' `static-package`
 * until it moved to the scale-set component, carries an alias with its old name and old parent.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { inputs, one, ofType, runProgram, runResources, stackSource, unwrap } from "./harness";
import { NetworkSecurity, NetworkSecurityArgs } from "../components/networkSecurity";
import { Registration } from "../tools/engine/mocks";

const NS = "pexip:teams:NetworkSecurity";
const NSG = "azure-native:network:NetworkSecurityGroup";
const VMSS_COMPONENT = "pexip:teams:TeamsConnectorVmss";

/** A stand-in for the program's TeamsConnectorVmss `vmss` (same type and name, so the same URN prefix). */
class VmssStandIn extends pulumi.ComponentResource {
  constructor() {
    super(VMSS_COMPONENT, "vmss", {}, {});
    this.registerOutputs({});
  }
}

const ARGS: NetworkSecurityArgs = {
  resourceGroupName: "pexip-TeamsConn-eu-RG",
  location: "westeurope",
  networkSecurityGroupName: "pexipeu-nsg",
  nodeSourcePrefixes: [],
  managementSourcePrefixes: [],
  nodePorts: { signalling: "33000-39999", media: "40000-49999" },
  enhancedStatus: true,
  tags: {},
};

/**
 * The URN the Pulumi engine gives a registration: the parent's whole type chain, the root stack's type left out
 * (built with the SDK's createUrn, which follows the engine). The SDK's mock monitor makes URNs differently (it keeps
 * only the parent's last type and prefixes top-level types with the stack's), so aliases are compared in this form.
 */
async function engineUrn(r: Registration, all: Registration[]): Promise<string> {
  const [, , stackProject] = r.urn.split(":");
  const [stack] = stackProject.split("::");
  const project = r.urn.split("::")[1];
  const parent = r.parent ? all.find((x) => x.urn === r.parent) : undefined;
  const parentUrn = parent && parent.type !== "pulumi:pulumi:Stack" ? await engineUrn(parent, all) : undefined;
  return unwrap(pulumi.createUrn(r.name, r.type, parentUrn, project, stack));
}

/** The old URNs, as the engine would record them for the real program's shipped eu stack. */
let old: { component: string; nsg: string };
beforeAll(async () => {
  const run = await runProgram("eu", stackSource("eu").source);
  const component = one(run.resources, NS, "vmss-nsg");
  const nsg = ofType(run.resources, NSG).find((r) => r.parent === component.urn)!;
  old = { component: await engineUrn(component, run.resources), nsg: await engineUrn(nsg, run.resources) };
});

/** Builds NetworkSecurity under `name` as the program's vmss component would, with extra options merged in. */
async function build(name: string, extra: pulumi.ComponentResourceOptions) {
  const monitor = await runResources("eu", () => {
    const callerOpts: pulumi.ComponentResourceOptions = { parent: new VmssStandIn() };
    new NetworkSecurity(name, ARGS, pulumi.mergeOptions(callerOpts, extra));
  });
  const all = monitor.registrations;
  const componentReg = one(all, NS);
  const nsgReg = one(all, NSG);
  const parentReg = one(all, VMSS_COMPONENT);
  /**
   * The old URNs the engine derives from the component's alias specs: type and parent default to the resource's own;
   * its NSG (named after it) inherits each with the name prefix replaced (step_generator.go `inheritedChildAlias`).
   */
  const aliasUrns: { component: string; nsg: string }[] = [];
  for (const a of componentReg.aliases as { name: string; type: string; parent: string }[]) {
    const aliasParent = all.find((x) => x.urn === (a.parent || componentReg.parent))!;
    const component = await unwrap(pulumi.createUrn(a.name || componentReg.name, a.type || componentReg.type, await engineUrn(aliasParent, all)));
    const childName = nsgReg.name.startsWith(componentReg.name) ? a.name + nsgReg.name.slice(componentReg.name.length) : nsgReg.name;
    aliasUrns.push({ component, nsg: await unwrap(pulumi.createUrn(childName, nsgReg.type, component)) });
  }
  return {
    componentReg,
    nsgReg,
    parentReg,
    urns: { component: await engineUrn(componentReg, all), nsg: await engineUrn(nsgReg, all) },
    aliasUrns,
  };
}

test("the real program's URNs: NetworkSecurity vmss-nsg under the vmss component, its NSG named after it", () => {
  expect(old.component).toBe(`urn:pulumi:eu::pexip-teams-connector::${VMSS_COMPONENT}$${NS}::vmss-nsg`);
  expect(old.nsg).toBe(`urn:pulumi:eu::pexip-teams-connector::${VMSS_COMPONENT}$${NS}$${NSG}::vmss-nsg`);
});

test("without an alias, the rename moves both URNs (Pulumi would delete and recreate the NSG)", async () => {
  const b = await build("vmss-security", {});
  expect(b.urns.component).toBe(`urn:pulumi:eu::pexip-teams-connector::${VMSS_COMPONENT}$${NS}::vmss-security`);
  expect(b.urns.nsg).not.toBe(old.nsg);
  expect(b.componentReg.aliases).toEqual([]);
  expect(b.aliasUrns).toEqual([]);
});

test("with aliases: [{ name: old }] merged into the caller's options, the registration carries the alias to the old URNs", async () => {
  const b = await build("vmss-security", { aliases: [{ name: "vmss-nsg" }] });
  // mergeOptions kept the caller's parent and added the alias.
  expect(b.componentReg.parent).toBe(b.parentReg.urn);
  expect(b.urns.component).toBe(`urn:pulumi:eu::pexip-teams-connector::${VMSS_COMPONENT}$${NS}::vmss-security`);
  // What the SDK sends the engine: an alias spec with the old name, the type left to default, the resource's parent.
  expect(b.componentReg.aliases).toEqual([{ name: "vmss-nsg", type: "", parent: b.parentReg.urn }]);
  expect(b.aliasUrns).toEqual([old]);
  // The NSG in Azure is the same one either way: its name input does not come from the logical name.
  expect((b.nsgReg.inputs as Record<string, unknown>).networkSecurityGroupName).toBe("pexipeu-nsg");
});

test("an alias naming the wrong old name does not reach the old URNs", async () => {
  const b = await build("vmss-security", { aliases: [{ name: "vmss-netsec" }] });
  expect(b.aliasUrns).toHaveLength(1);
  expect(b.aliasUrns[0].component).not.toBe(old.component);
  expect(b.aliasUrns[0].nsg).not.toBe(old.nsg);
});

describe("the connector package blob moved from StaticResources to TeamsConnectorVmss (issue 12: static vs dynamic)", () => {
  /** The URN the engine recorded for the blob while StaticResources `static` owned it (as `static-package`). */
  const OLD_PACKAGE_URN = "urn:pulumi:eu::pexip-teams-connector::pexip:teams:StaticResources$azure-native:storage:Blob::static-package";
  const BLOB = "azure-native:storage:Blob";
  let run: Awaited<ReturnType<typeof runProgram>>;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pexip-aliases-"));
    const zip = path.join(dir, "Pexip_Infinity_Connector_For_Microsoft_Teams_v26.2_1.zip");
    fs.writeFileSync(zip, "PK mock package");
    run = await runProgram("eu", stackSource("eu", { set: { connectorPackage: zip } }).source);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the blob is now the scale-set component's child, under a new URN that alone would delete and recreate it", async () => {
    const blob = one(run.resources, BLOB, "vmss-package");
    expect(blob.parent).toBe(one(run.resources, VMSS_COMPONENT).urn);
    expect(await engineUrn(blob, run.resources)).toBe(`urn:pulumi:eu::pexip-teams-connector::${VMSS_COMPONENT}$${BLOB}::vmss-package`);
    expect(ofType(run.resources, BLOB).filter((r) => r.name === "static-package")).toEqual([]);
  });

  test("its alias (old name, old parent) resolves to the URN existing stacks recorded: the engine keeps the blob", async () => {
    const blob = one(run.resources, BLOB, "vmss-package");
    const staticComponent = one(run.resources, "pexip:teams:StaticResources");
    expect(blob.aliases).toEqual([{ name: "static-package", type: "", parent: staticComponent.urn }]);
    const [a] = blob.aliases as { name: string; type: string; parent: string }[];
    const aliasParent = run.resources.find((x) => x.urn === a.parent)!;
    expect(await unwrap(pulumi.createUrn(a.name, a.type || blob.type, await engineUrn(aliasParent, run.resources)))).toBe(OLD_PACKAGE_URN);
  });

  test("the same blob in Azure: the package account, container and versioned name it had under StaticResources", () => {
    const blob = inputs(one(run.resources, BLOB, "vmss-package"));
    const account = inputs(one(run.resources, "azure-native:storage:StorageAccount", "static-packages")).accountName;
    expect([blob.resourceGroupName, blob.accountName, blob.containerName, blob.blobName]).toEqual(["pexip-TeamsConn-eu-static-RG", account, "packages", "teams-connector-26.2.zip"]);
  });

  test("no other resource changed parent: the bootstrap script blob was the scale set's already, and no other alias names another parent", () => {
    const script = one(run.resources, BLOB, "vmss-bootstrap-script");
    expect(script.aliases).toEqual([]);
    // (The provider's own type aliases are URN strings; the password rotation's alias keeps its parent.)
    const moved = run.resources.filter((r) => r.aliases.some((a) => typeof a === "object" && a !== null && (a as { parent?: string }).parent !== undefined && (a as { parent?: string }).parent !== r.parent));
    expect(moved.map((r) => `${r.type} ${r.name}`)).toEqual([`${BLOB} vmss-package`]);
  });
});
