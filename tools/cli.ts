/** What the adoption CLIs read and write, so their `main` runs the same in a test as under `npm run`. */
import { readBounded } from "../components/boundedRead";

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

/** `readBounded` (components/boundedRead.ts) as UTF-8 text: same bound, same errors, never the content. */
export function readBoundedText(file: string, maxBytes: number, why: string): string {
  return readBounded(file, maxBytes, why).toString("utf8");
}

/**
 * A user-supplied value as echoed in a message: at most `max` characters, then `…(N chars)`; so that a 5 MB value
 * (or a pasted file) is never printed whole. Re-exported from components/echo.ts for the CLIs.
 */
export { cutEcho } from "../components/echo";

/**
 * JSON.parse for a file a user gave: the value, or an Error `not valid JSON (line 3, column 7)`. V8's own messages
 * quote the text around the fault, which may be anything the file holds (a secret); this one quotes nothing.
 * Deep nesting that overflows the parser is reported the same way.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(e instanceof Error ? e.message : "");
    if (!m) throw new Error(e instanceof RangeError ? "not valid JSON (nested too deeply)" : "not valid JSON");
    const at = Number(m[1]);
    let line = 1;
    let col = 1;
    for (let i = 0; i < at && i < text.length; i++) {
      if (text[i] === "\n") {
        line++;
        col = 1;
      } else col++;
    }
    throw new Error(`not valid JSON (line ${line}, column ${col})`);
  }
}
