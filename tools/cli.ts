/**
 * What every offline command shares: one command-line wiring on `node:util` parseArgs (usage errors as messages that
 * echo nothing a user may have typed as a secret, exit 2, `--help`), and the I/O the adoption commands read and
 * write, so that their `main` runs the same in a test as under `npm run`.
 */
import { parseArgs } from "node:util";
import { readBounded } from "../components/boundedRead";
import { cutEcho } from "../components/echo";

/** One option of a command, as node:util parseArgs declares it. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
}

/** A command's command line: its name (as in `npm run <name>`), its options and how many positionals it takes. */
export interface CommandSpec<O extends Record<string, OptionSpec>> {
  name: string;
  options: O;
  /** Positional arguments allowed (default 0); `Infinity` for a list of files. */
  positionals?: number;
  /** What the positionals are, for the message when there are too many (e.g. "one init script at a time"). */
  positionalsHint?: string;
}

/** The parsed values: strings, booleans, and lists for `multiple` options (empty when not given). */
export type OptionValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: O[K] extends { type: "boolean" } ? boolean : O[K] extends { multiple: true } ? string[] : string | undefined;
};

export interface CommandLine<O extends Record<string, OptionSpec>> {
  values: OptionValues<O>;
  positionals: string[];
  /** `--help` or `-h` was given: print the usage and exit 0 (nothing else is checked). */
  help: boolean;
}

/** A bad command line: the message names the flag, never a value (it may be a secret). Exit status 2. */
export class UsageError extends Error {}

/**
 * Parses a command line with node:util parseArgs (`--flag value`, `--flag=value`, `-h`, `--` ends the options) and
 * checks it against the spec. Throws UsageError: an unknown option (named, cut), a string option without a value (or
 * followed by another `--flag`), a value given to a boolean flag, or a positional argument too many, which is never
 * shown: it may be a secret the shell split off a `--secret` at an unquoted space.
 */
export function parseCommandLine<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, argv: string[]): CommandLine<O> {
  const options: Record<string, OptionSpec> = { ...spec.options, help: { type: "boolean", short: "h" } };
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, unknown> = {};
  for (const [k, o] of Object.entries(spec.options)) values[k] = o.type === "boolean" ? false : o.multiple ? [] : undefined;
  const positionals: string[] = [];
  let help = false;
  const max = spec.positionals ?? 0;
  for (const t of tokens) {
    if (t.kind === "option-terminator") continue;
    if (t.kind === "positional") {
      if (positionals.length >= max) {
        const hint = spec.positionalsHint ?? (max === 0 ? "options take the form --flag value" : `at most ${max}`);
        throw new UsageError(`unexpected argument (argument ${t.index + 1}, not shown: it may be a secret); ${hint}`);
      }
      positionals.push(t.value);
      continue;
    }
    const o = options[t.name];
    if (!o || (t.rawName.startsWith("--") ? t.rawName.slice(2) !== t.name : o.short !== t.rawName.slice(1))) {
      throw new UsageError(`unknown option ${cutEcho(t.rawName)}`);
    }
    if (t.name === "help") {
      help = true;
      continue;
    }
    const flag = `--${t.name}`;
    if (o.type === "boolean") {
      if (t.value !== undefined) throw new UsageError(`${flag} takes no value`);
      values[t.name] = true;
      continue;
    }
    // `--stack --json out`: parseArgs takes `--json` as the value; a missing value is what was meant.
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith("--") && t.value.length > 2)) throw new UsageError(`${flag} needs a value`);
    if (o.multiple) (values[t.name] as string[]).push(t.value);
    else values[t.name] = t.value;
  }
  return { values: values as OptionValues<O>, positionals, help };
}

/** The text of a usage error: the message and where the usage is. */
export function usageText(name: string, message: string): string {
  return `${name}: ${message}\nRun \`npm run ${name} -- --help\` for the options and exit statuses.`;
}

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

/**
 * A file's bytes as text: UTF-8, or UTF-16 when a byte order mark says so (Windows PowerShell 5.1's `Out-File` and
 * `>` write UTF-16LE with a BOM: an init script saved there, or `az ... -o json > file`), or when the first two
 * characters are ASCII with a zero byte beside each (UTF-16 without a BOM). A UTF-8 BOM is dropped.
 */
// Out-File's default encoding in Windows PowerShell 5.1 is "Unicode" (UTF-16LE) https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_character_encoding?view=powershell-5.1
export function decodeText(buf: Buffer): string {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString("utf8");
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString("utf16le");
  const swapped = (b: Buffer) => {
    const c = Buffer.from(b.subarray(0, b.length - (b.length % 2)));
    return c.swap16().toString("utf16le");
  };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return swapped(buf.subarray(2));
  if (buf.length >= 4 && buf[1] === 0 && buf[3] === 0 && buf[0] !== 0 && buf[2] !== 0) return buf.toString("utf16le");
  if (buf.length >= 4 && buf[0] === 0 && buf[2] === 0 && buf[1] !== 0 && buf[3] !== 0) return swapped(buf);
  return buf.toString("utf8");
}

/** `readBounded` (components/boundedRead.ts) as text (decodeText): same bound, same errors, never the content. */
export function readBoundedText(file: string, maxBytes: number, why: string): string {
  return decodeText(readBounded(file, maxBytes, why));
}

/**
 * A user-supplied value as echoed in a message: at most `max` characters, then `…(N chars)`; so that a 5 MB value
 * (or a pasted file) is never printed whole. Re-exported from components/echo.ts for the CLIs.
 */
export { cutEcho } from "../components/echo";

/** `line 3, column 7` of an offset into a text a user gave (for messages that must not quote the text). */
export function textPosition(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

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
    throw new Error(`not valid JSON (${textPosition(text, Number(m[1]))})`);
  }
}
