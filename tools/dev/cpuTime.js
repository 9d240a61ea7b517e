// Preloaded by `npm run bench` (node -r) into each process it measures: at exit, writes the process's CPU time
// (user + system, all threads, in microseconds) to $BENCH_CPU_OUT. CPU time, unlike wall time, barely moves when
// other processes load the machine, so the bench's verdict does not follow the neighbours' load.
const out = process.env.BENCH_CPU_OUT;
if (out) {
  process.on("exit", () => {
    const u = process.cpuUsage();
    require("fs").writeFileSync(out, String(u.user + u.system));
  });
}
