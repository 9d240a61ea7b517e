/** What the adoption CLIs read and write, so their `main` runs the same in a test as under `npm run`. */
export interface Io {
  /** The project directory (npm runs scripts there): default output files and the config check's base. */
  cwd: string;
  /** Where the user typed the command (npm's INIT_CWD): the base of paths given on the command line. */
  userCwd?: string;
  out(line: string): void;
  err(line: string): void;
}

/** Runs a CLI's `main` with the real process: arguments, directories, stdout/stderr, exit code. */
export function runMain(main: (argv: string[], io: Io) => number): void {
  process.exitCode = main(process.argv.slice(2), {
    cwd: process.cwd(),
    userCwd: process.env.INIT_CWD,
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  });
}
