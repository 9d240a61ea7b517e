/** components/index.ts re-exports exactly the six components, each a ComponentResource of its own pexip:teams type. */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./harness";

test("the components index: the six components, nothing else, and only re-exports", async () => {
  const index = await import("../components");
  expect(Object.keys(index).sort()).toEqual(["BotChannel", "ConsentSite", "NetworkSecurity", "PexipInfinity", "StaticResources", "TeamsConnectorVmss"]);
  for (const c of Object.values(index)) expect([c.name, c.prototype instanceof pulumi.ComponentResource]).toEqual([c.name, true]);
  const text = fs.readFileSync(path.join(ROOT, "components", "index.ts"), "utf8");
  const code = text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("/**") && !l.startsWith(" *") && !l.startsWith("//"));
  expect(code.filter((l) => !/^export (type )?\{ \w+ \} from "\.\/\w+";$/.test(l))).toEqual([]);
});
