// `npm run bench`'s baseline: what the Pulumi SDK costs this program before the program does anything. It loads the
// @pulumi/* modules the program imports (the arguments) and, unless BENCH_REQUIRE_ONLY is set, starts the SDK's
// closure serializer once, as the program's dynamic resources (role-propagation waits, Infinity objects) make it do
// under `pulumi up` and under the plan alike.
for (const m of process.argv.slice(2)) require(m);
if (!process.env.BENCH_REQUIRE_ONLY) {
  const provider = { async create() { return { id: "baseline", outs: {} }; } };
  require("@pulumi/pulumi").runtime.serializeFunction(() => provider).catch((e) => {
    process.stderr.write(`baseline: ${e.message}\n`);
    process.exitCode = 2;
  });
}
