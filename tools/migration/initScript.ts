/**
 * Reads a Pexip "variables initialization script" (seed: "Specify installation variables") without running
 * PowerShell: a small interpreter for the constructs such scripts use (strings, `@(...)` arrays, `@{...}`
 * hashtables, `$true`/`$false`, `+`, variable references and interpolation), with PowerShell's semantics
 * (a later assignment wins, variable names are case-insensitive). Anything else is reported with its line
 * number, never guessed. Then maps the variables onto the stack keys of shared/spec/config.md.
 * Pure: no files, no process; the CLI is tools/migration/importInitScript.ts. Linear and bounded for hostile input
 * (MAX_SCRIPT_CHARS, value sizes, nesting depth, a copy budget for `+`).
 * Not tree-sitter-powershell: it is a native addon with a native peer (tree-sitter), gives a syntax tree but none
 * of the evaluation (interpolation, `+`, casts, last assignment wins) this reader does, nor the PDF's typographic quotes.
 */
import { deriveNames, DerivedNames } from "../../components/naming";
import { PROJECT } from "../../components/config";
import { INIT_SCRIPT_MAP, MappingKind } from "../../components/configSchema";
import { cutEcho } from "../../components/echo";

// ---------------------------------------------------------------------------------------------------------
// Values and results

/** A PowerShell value as far as an initialization script needs: hashtables are plain objects. */
export type PsValue = string | number | boolean | null | PsValue[] | PsHashtable;
export interface PsHashtable {
  [key: string]: PsValue;
}

export interface ParsedVariable {
  /** The name as written in its last assignment, without `$`. */
  name: string;
  /** The value of the last assignment; undefined when that assignment was a placeholder or could not be read. */
  value?: PsValue;
  /** The guide's literal placeholder (e.g. `<replace with $true or $false>`) when the last assignment is one. */
  placeholder?: string;
  /** Lines (1-based) of every assignment, in order: the last one counts. */
  lines: number[];
  /** Holds (or was built from) a secret: its value is never shown. */
  secret: boolean;
}

export interface ScriptProblem {
  /** First line (1-based). */
  line: number;
  /** Last line when the problem spans several. */
  endLine?: number;
  message: string;
}

export interface ParsedScript {
  /** Lower-case name without `$` -> variable (PowerShell names are case-insensitive). */
  variables: Map<string, ParsedVariable>;
  problems: ScriptProblem[];
}

/** Longest script read: an initialization script is a few kilobytes; this bounds the reader's time and memory. */
export const MAX_SCRIPT_CHARS = 1024 * 1024;
/** Longest string, and most items, one value may have (PowerShell would build any; no init script needs more). */
export const MAX_VALUE_CHARS = 64 * 1024;
export const MAX_VALUE_ITEMS = 10_000;
/** Deepest nesting of brackets and casts read (deeper ones are reported, not recursed into). */
export const MAX_DEPTH = 100;
/** Elements, keys and characters that `+` may copy in one script: repeated `+=` on a growing value stops here. */
export const COPY_BUDGET = 500_000;

/** Variable names that hold secrets: their values and their lines' text are never shown. */
export const SECRET_NAME = /pass(word)?|pwd|secret|cred/i;
/** Text that may carry a secret: such lines are reported without an excerpt. */
const SENSITIVE_TEXT = /pass|pwd|secret|cred|key|token|securestring/i;

/** Consecutive skipped lines, with the first one's excerpt. */
interface Junk {
  from: number;
  to: number;
  excerpt?: string;
  /** The text looks like it holds a secret (SENSITIVE_TEXT). */
  hidden: boolean;
}

class Placeholder {
  constructor(readonly text: string) {}
}
type Val = PsValue | Placeholder;

/** What the reader throws for text it cannot read. Not an Error: no stack trace is captured for each bad line. */
class PsError {
  constructor(
    readonly message: string,
    readonly pos: number,
  ) {}
}

const isHashtable = (v: unknown): v is PsHashtable => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Placeholder);

// PowerShell accepts typographic quotes (what a copy from the PDF guide gives) as string delimiters.
const SINGLE_QUOTES = new Set(["'", "\u2018", "\u2019", "\u201a", "\u201b"]);
const DOUBLE_QUOTES = new Set(['"', "\u201c", "\u201d", "\u201e"]);
const BACKTICK_ESCAPES: Record<string, string> = { "0": "\0", a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
/** Scope modifiers that still name an ordinary variable. */
const PLAIN_SCOPES = ["global", "script", "local", "private"];

/** Text of a value as PowerShell interpolates it into a string. */
function interpolated(v: PsValue, pos: number): string {
  if (v === null) return "";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map((x) => interpolated(x, pos)).join(" ");
  throw new PsError("a hashtable inside a string gives its type name, not its content", pos);
}

/** A string no longer than MAX_VALUE_CHARS, else the error. */
function boundedString(s: string, pos: number): string {
  if (s.length > MAX_VALUE_CHARS) throw new PsError(`a value longer than ${MAX_VALUE_CHARS} characters is not imported`, pos);
  return s;
}

/** An array of at most MAX_VALUE_ITEMS items, else the error. */
function boundedArray(a: PsValue[], pos: number): PsValue[] {
  if (a.length > MAX_VALUE_ITEMS) throw new PsError(`an array of more than ${MAX_VALUE_ITEMS} items is not imported`, pos);
  return a;
}

/** The script copied more than COPY_BUDGET elements with `+`: reading stops (bounded time for hostile scripts). */
class BudgetError extends PsError {}

/** PowerShell's `+`; `spend` is charged with what the result copies. */
function add(a: Val, b: Val, pos: number, spend: (n: number) => void): PsValue {
  if (a instanceof Placeholder || b instanceof Placeholder) throw new PsError("uses a placeholder value", pos);
  if (a === null) return b;
  if (Array.isArray(a)) {
    const tail = Array.isArray(b) ? b : [b];
    spend(a.length + tail.length);
    return boundedArray([...a, ...tail], pos);
  }
  if (typeof a === "string") {
    const t = interpolated(b, pos);
    spend(a.length + t.length);
    return boundedString(a + t, pos);
  }
  if (typeof a === "number") {
    const n = typeof b === "number" ? b : typeof b === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(b) ? Number(b) : NaN;
    if (Number.isNaN(n)) throw new PsError("cannot add a non-number to a number", pos);
    return a + n;
  }
  if (isHashtable(a) && isHashtable(b)) {
    const keys = Object.keys(a);
    spend(keys.length + Object.keys(b).length);
    const have = new Set(keys.map((k) => k.toLowerCase()));
    const dup = Object.keys(b).find((k) => have.has(k.toLowerCase()));
    if (dup !== undefined) throw new PsError(`adding hashtables with the same key "${cutEcho(dup)}" fails in PowerShell`, pos);
    if (keys.length + Object.keys(b).length > MAX_VALUE_ITEMS) throw new PsError(`a hashtable of more than ${MAX_VALUE_ITEMS} keys is not imported`, pos);
    // Spread defines each key as data (a `__proto__` key stays a key), as Object.fromEntries does below.
    return { ...a, ...b };
  }
  throw new PsError(`cannot add to a ${typeof a === "boolean" ? "boolean" : "hashtable"}`, pos);
}

/** A hashtable from entries: Object.fromEntries defines each key as data, so `__proto__` stays a key, never the prototype. */
function hashtableOf(entries: [string, PsValue][]): PsHashtable {
  return Object.fromEntries(entries) as PsHashtable;
}

// ---------------------------------------------------------------------------------------------------------
// The interpreter

class Interpreter {
  private pos = 0;
  private readonly lineStarts: number[] = [0];
  readonly variables = new Map<string, ParsedVariable>();
  readonly problems: ScriptProblem[] = [];
  /** Consecutive lines that are not statements, merged into one problem. */
  private junk: Junk | undefined;
  /** Skipped lines, turned into problems at the end (when every secret value is known, to hide excerpts holding one). */
  private readonly junks: Junk[] = [];
  /** The statement being read has read a secret variable: what it assigns is a secret too (data flow, not text search). */
  private readSecret = false;
  /** Nesting depth of the expression being read. */
  private depth = 0;
  /** What `+` may still copy (COPY_BUDGET). */
  private budget = COPY_BUDGET;
  /** Positions of every `#>`, found once: a block comment's end is then a binary search, not a scan to the end. */
  private blockEnds: number[] | undefined;

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }

  private spend = (n: number): void => {
    this.budget -= n;
    if (this.budget < 0) throw new BudgetError(`stopped reading: the script's + and += copy more than ${COPY_BUDGET} elements (an initialization script needs a few)`, this.pos);
  };

  lineOf(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }
  private eof(): boolean {
    return this.pos >= this.text.length;
  }

  /** Spaces, tabs, backtick line continuations and `<# #>` comments; not newlines. */
  private skipInline(): void {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\f" || c === "\u00a0") this.pos++;
      else if (c === "`" && (this.peek(1) === "\n" || (this.peek(1) === "\r" && this.peek(2) === "\n"))) this.pos += this.peek(1) === "\r" ? 3 : 2;
      else if (c === "<" && this.peek(1) === "#") this.skipBlockComment();
      else return;
    }
  }

  /** Whitespace, newlines and comments (where a statement may continue on the next line). */
  private skipAll(alsoSemicolons = false): void {
    for (;;) {
      this.skipInline();
      const c = this.peek();
      if (c === "\n" || c === "\r" || (alsoSemicolons && c === ";")) this.pos++;
      else if (c === "#") this.skipLineComment();
      else return;
    }
  }

  private skipLineComment(): void {
    while (!this.eof() && this.peek() !== "\n") this.pos++;
  }

  private skipBlockComment(): void {
    if (!this.blockEnds) {
      this.blockEnds = [];
      for (let i = this.text.indexOf("#>"); i >= 0; i = this.text.indexOf("#>", i + 1)) this.blockEnds.push(i);
    }
    const from = this.pos + 2;
    let lo = 0;
    let hi = this.blockEnds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.blockEnds[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= this.blockEnds.length) throw new PsError("a <# comment is never closed with #>", this.pos);
    this.pos = this.blockEnds[lo] + 2;
  }

  private endOfLine(from: number): number {
    const nl = this.text.indexOf("\n", from);
    return nl < 0 ? this.text.length : nl + 1;
  }

  /**
   * After a failed statement: the end of it, following brackets and quotes; the end of its line if that runs away
   * (to the end of the text, or into a line that starts another assignment, which an open bracket or quote would not
   * reach in a script that PowerShell reads). Stopping there keeps recovery linear: no line is scanned twice.
   */
  private skipStatement(start: number): number {
    let depth = 0;
    let quote: string | undefined;
    for (let i = start; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === "\n" && (depth > 0 || quote) && ASSIGNMENT.test(this.text.slice(i + 1, i + 300))) return this.endOfLine(start);
      if (quote) {
        if (c === "`" && quote === '"') i++;
        else if ((quote === "'" && SINGLE_QUOTES.has(c)) || (quote === '"' && DOUBLE_QUOTES.has(c))) quote = undefined;
        continue;
      }
      if (SINGLE_QUOTES.has(c)) quote = "'";
      else if (DOUBLE_QUOTES.has(c)) quote = '"';
      else if (c === "`") i++;
      else if (c === "#" && depth === 0) return this.endOfLine(i);
      else if (c === "(" || c === "{") depth++;
      else if (c === ")" || c === "}") depth = Math.max(0, depth - 1);
      else if (c === "\n" && depth === 0) return i + 1;
    }
    return this.endOfLine(start);
  }

  private flushJunk(): void {
    if (!this.junk) return;
    this.junks.push(this.junk);
    this.junk = undefined;
  }

  /** The skipped lines as problems; an excerpt that holds a secret value of the script is not shown. */
  private junkProblems(): void {
    const secrets = secretValues(this.variables).filter((v) => v.length >= 4);
    for (const { from, to, excerpt, hidden } of this.junks) {
      const secret = hidden || (excerpt !== undefined && secrets.some((v) => excerpt.includes(v)));
      const shown = secret ? " (text not shown: it may hold a secret)" : excerpt ? ` ("${excerpt}"${from === to ? "" : " ..."})` : "";
      this.problems.push({
        line: from,
        endLine: from === to ? undefined : to,
        message: `not a variable assignment, skipped${shown}; comment text that lost its leading # (as in the PDF guide) can be ignored`,
      });
    }
  }

  private noteJunkLine(start: number): void {
    const line = this.lineOf(start);
    const end = this.endOfLine(start);
    const text = this.text.slice(start, end).trim();
    const hidden = SENSITIVE_TEXT.test(text);
    if (this.junk && this.junk.to === line - 1) {
      this.junk.to = line;
      this.junk.hidden ||= hidden;
    } else {
      this.flushJunk();
      this.junk = { from: line, to: line, excerpt: text.length > 60 ? `${text.slice(0, 57)}...` : text, hidden };
    }
    this.pos = end;
  }

  run(): void {
    for (;;) {
      try {
        this.skipAll(true);
      } catch (e) {
        if (!(e instanceof PsError)) throw e;
        this.flushJunk();
        this.problems.push({ line: this.lineOf(e.pos), message: e.message });
        this.pos = this.text.length;
      }
      if (this.eof()) break;
      const start = this.pos;
      const m = ASSIGNMENT.exec(this.text.slice(start, start + 300));
      if (!m) {
        this.noteJunkLine(start);
        continue;
      }
      this.flushJunk();
      const scope = m[1]?.toLowerCase();
      const name = m[2].startsWith("{") ? m[2].slice(1, -1) : m[2];
      const line = this.lineOf(start);
      const secretName = SECRET_NAME.test(name);
      if (scope !== undefined && !PLAIN_SCOPES.includes(scope)) {
        this.problems.push({ line, message: `$${m[1]}:${name} (an assignment to the ${m[1]}: drive) is not a script variable and was skipped` });
        this.pos = this.skipStatement(start);
        continue;
      }
      this.pos = start + m[0].length;
      this.readSecret = false;
      this.depth = 0;
      try {
        this.skipAll();
        const rhs = this.expression();
        this.endOfStatement();
        const prev = this.variables.get(name.toLowerCase());
        let value: Val = rhs;
        let secret = secretName || this.readSecret;
        if (m[3] === "+=") {
          if (!prev || prev.value === undefined) throw new PsError(`+= on $${name}, which has no value yet`, start);
          value = add(prev.value, rhs, start, this.spend);
          secret ||= prev.secret;
        }
        // The record is replaced, its line list kept: copying it on every assignment was quadratic.
        const lines = prev?.lines ?? [];
        lines.push(line);
        if (value instanceof Placeholder) {
          this.variables.set(name.toLowerCase(), { name, placeholder: value.text, lines, secret });
        } else {
          this.variables.set(name.toLowerCase(), { name, value, lines, secret });
        }
      } catch (e) {
        if (!(e instanceof PsError)) throw e;
        if (e instanceof BudgetError) {
          this.problems.push({ line: this.lineOf(Math.min(e.pos, this.text.length - 1)), message: e.message });
          break;
        }
        const errLine = this.lineOf(Math.max(start, Math.min(e.pos, this.text.length - 1)));
        const message = secretName
          ? `$${name}: its value could not be read (text not shown: it holds a secret); set it with pulumi config set --secret`
          : `$${name}: ${e.message}${errLine !== line ? ` (at line ${errLine})` : ""}`;
        this.problems.push({ line, message });
        // PowerShell would stop or leave the variable as it was; the import must not use a stale value silently.
        const prev = this.variables.get(name.toLowerCase());
        const lines = prev?.lines ?? [];
        lines.push(line);
        this.variables.set(name.toLowerCase(), { name, lines, secret: secretName || this.readSecret });
        this.pos = this.skipStatement(start);
      }
    }
    this.flushJunk();
    this.junkProblems();
  }

  private endOfStatement(): void {
    this.skipInline();
    const c = this.peek();
    if (c === "#") return this.skipLineComment();
    if (this.eof() || c === "\n" || c === "\r" || c === ";") return;
    if (c === "." || c === "[") throw new PsError("properties, methods and indexes are not supported: write the value itself", this.pos);
    if (c === "-" && /[A-Za-z]/.test(this.peek(1))) throw new PsError(`the operator -${/^-([A-Za-z]+)/.exec(this.text.slice(this.pos))?.[1]} is not supported (only + is)`, this.pos);
    if (c === "|") throw new PsError("pipelines are not supported: write the value itself", this.pos);
    throw new PsError("unexpected text after the value", this.pos);
  }

  // expression := comma ('+' comma)*   (the comma binds tighter than + in PowerShell)
  private expression(): Val {
    if (++this.depth > MAX_DEPTH) throw new PsError(`brackets nested more than ${MAX_DEPTH} deep are not read`, this.pos);
    try {
      let left: Val = this.commaList();
      for (;;) {
        this.skipInline();
        if (this.peek() === "+" && this.peek(1) !== "=") {
          const at = this.pos;
          this.pos++;
          this.skipAll();
          left = add(left, this.commaList(), at, this.spend);
        } else return left;
      }
    } finally {
      this.depth--;
    }
  }

  private commaList(): Val {
    const first = this.unary();
    this.skipInline();
    if (this.peek() !== ",") return first;
    const items: Val[] = [first];
    while (this.peek() === ",") {
      this.pos++;
      this.skipAll();
      items.push(this.unary());
      if (items.length > MAX_VALUE_ITEMS) throw new PsError(`an array of more than ${MAX_VALUE_ITEMS} items is not imported`, this.pos);
      this.skipInline();
    }
    if (items.some((x) => x instanceof Placeholder)) throw new PsError("uses a placeholder value", this.pos);
    return items as PsValue[];
  }

  private unary(): Val {
    this.skipInline();
    if (this.peek() === "[") {
      if (++this.depth > MAX_DEPTH) throw new PsError(`casts nested more than ${MAX_DEPTH} deep are not read`, this.pos);
      try {
        return this.cast();
      } finally {
        this.depth--;
      }
    }
    const v = this.primary();
    const c = this.peek();
    if (c === "." || c === "[") throw new PsError("properties, methods and indexes are not supported: write the value itself", this.pos);
    return v;
  }

  private cast(): Val {
    const at = this.pos;
    const m = /^\[\s*([A-Za-z.]+(?:\[\])?)\s*\]/.exec(this.text.slice(this.pos, this.pos + 60));
    if (!m) throw new PsError("unexpected [", at);
    this.pos += m[0].length;
    this.skipInline();
    const v = this.unary();
    if (v instanceof Placeholder) throw new PsError("uses a placeholder value", at);
    const type = m[1].toLowerCase().replace(/^system\./, "");
    if (type === "string") return v === null ? "" : interpolated(v, at);
    if (type === "int" || type === "int32" || type === "int64" || type === "long") {
      const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n)) throw new PsError(`[${m[1]}] of a value that is not a whole number`, at);
      return n;
    }
    if (type === "bool" || type === "boolean") {
      if (typeof v === "boolean") return v;
      throw new PsError(`[${m[1]}] of a non-boolean is not supported: write $true or $false`, at);
    }
    if (type === "string[]" || type === "array" || type === "object[]") return v === null ? [] : Array.isArray(v) ? v : [v];
    if (type === "hashtable" && isHashtable(v)) return v;
    throw new PsError(`the type [${m[1]}] is not supported`, at);
  }

  private primary(): Val {
    const at = this.pos;
    const c = this.peek();
    if (this.eof() || c === "\n" || c === "\r") throw new PsError("a value is missing", at);
    if (SINGLE_QUOTES.has(c)) return this.singleQuoted();
    if (DOUBLE_QUOTES.has(c)) return this.doubleQuoted();
    if (c === "@" && this.peek(1) === "(") {
      this.pos += 2;
      const items = this.group(")");
      if (items.some((v) => v instanceof Placeholder)) throw new PsError("uses a placeholder value", at);
      return boundedArray((items as PsValue[]).flatMap((v) => (Array.isArray(v) ? v : [v])), at);
    }
    if (c === "@" && this.peek(1) === "{") return this.hashtable();
    if (c === "$") return this.variableOrSubexpression();
    if (c === "(") {
      this.pos++;
      this.skipAll();
      const v = this.expression();
      this.skipAll();
      if (this.peek() !== ")") throw new PsError("missing )", this.pos);
      this.pos++;
      return v;
    }
    if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(this.peek(1)))) {
      const m = /^-?\d+(\.\d+)?(?![A-Za-z0-9_])/.exec(this.text.slice(this.pos, this.pos + 40));
      if (!m) throw new PsError("unsupported number format", at);
      this.pos += m[0].length;
      return Number(m[0]);
    }
    if (c === "<" && this.peek(1) !== "#") {
      // Searched within the line only: a `<` without `>` on many lines must not scan the rest of the text each time.
      const eol = this.endOfLine(this.pos);
      const end = this.text.slice(this.pos, eol).indexOf(">") + this.pos;
      if (end < this.pos) throw new PsError("unexpected <", at);
      this.pos = end + 1;
      return new Placeholder(this.text.slice(at, end + 1));
    }
    if (/[A-Za-z]/.test(c)) {
      const word = /^[A-Za-z][\w-]*/.exec(this.text.slice(this.pos, this.pos + 80))![0];
      throw new PsError(`a command (${word}) is not run: only literal values, arrays, hashtables and variables can be imported`, at);
    }
    throw new PsError(`unexpected character "${c}"`, at);
  }

  /** Statements up to `close`, each one's value in a list (`@( ... )`, `$( ... )`). */
  private group(close: string): Val[] {
    const out: Val[] = [];
    for (;;) {
      this.skipAll(true);
      if (this.eof()) throw new PsError(`missing ${close}`, this.pos);
      if (this.peek() === close) {
        this.pos++;
        return out;
      }
      out.push(this.expression());
      boundedArray(out as PsValue[], this.pos);
      this.skipInline();
      const c = this.peek();
      if (c !== close && c !== ";" && c !== "\n" && c !== "\r" && c !== "#") throw new PsError(`expected ${close}`, this.pos);
    }
  }

  private hashtable(): PsHashtable {
    this.pos += 2;
    const entries: [string, PsValue][] = [];
    const seen = new Set<string>();
    for (;;) {
      this.skipAll(true);
      if (this.eof()) throw new PsError("missing } of a hashtable", this.pos);
      if (this.peek() === "}") {
        this.pos++;
        return hashtableOf(entries);
      }
      const at = this.pos;
      let key: string;
      const c = this.peek();
      if (SINGLE_QUOTES.has(c)) key = this.singleQuoted();
      else if (DOUBLE_QUOTES.has(c)) key = this.doubleQuoted();
      else {
        const m = /^[\w.-]+/.exec(this.text.slice(this.pos, this.pos + 200));
        if (!m) throw new PsError("a hashtable key is missing", at);
        key = m[0];
        this.pos += m[0].length;
      }
      this.skipInline();
      if (this.peek() !== "=") throw new PsError(`expected = after the hashtable key "${cutEcho(key)}"`, this.pos);
      this.pos++;
      this.skipAll();
      const v = this.expression();
      if (v instanceof Placeholder) throw new PsError("uses a placeholder value", at);
      if (seen.has(key.toLowerCase())) throw new PsError(`the hashtable key "${cutEcho(key)}" appears twice`, at);
      seen.add(key.toLowerCase());
      if (entries.length >= MAX_VALUE_ITEMS) throw new PsError(`a hashtable of more than ${MAX_VALUE_ITEMS} keys is not imported`, at);
      entries.push([key, v]);
      this.skipInline();
      const n = this.peek();
      if (n !== "}" && n !== ";" && n !== "\n" && n !== "\r" && n !== "#") throw new PsError("expected ; or } in a hashtable", this.pos);
    }
  }

  private singleQuoted(): string {
    const at = this.pos;
    this.pos++;
    let s = "";
    for (;;) {
      if (this.eof()) throw new PsError("a '...' string is never closed", at);
      if (s.length > MAX_VALUE_CHARS) throw new PsError(`a value longer than ${MAX_VALUE_CHARS} characters is not imported`, at);
      const c = this.peek();
      if (SINGLE_QUOTES.has(c)) {
        if (SINGLE_QUOTES.has(this.peek(1))) {
          s += "'";
          this.pos += 2;
          continue;
        }
        this.pos++;
        return s;
      }
      s += c;
      this.pos++;
    }
  }

  private doubleQuoted(): string {
    const at = this.pos;
    this.pos++;
    let s = "";
    for (;;) {
      if (this.eof()) throw new PsError('a "..." string is never closed', at);
      if (s.length > MAX_VALUE_CHARS) throw new PsError(`a value longer than ${MAX_VALUE_CHARS} characters is not imported`, at);
      const c = this.peek();
      if (DOUBLE_QUOTES.has(c)) {
        if (DOUBLE_QUOTES.has(this.peek(1))) {
          s += '"';
          this.pos += 2;
          continue;
        }
        this.pos++;
        return s;
      }
      if (c === "`") {
        const n = this.peek(1);
        s += BACKTICK_ESCAPES[n] ?? n;
        this.pos += 2;
        continue;
      }
      if (c === "$") {
        const n = this.peek(1);
        if (n === "(" || n === "{" || NAME_START.test(n)) {
          const v = this.variableOrSubexpression();
          if (v instanceof Placeholder) throw new PsError("uses a placeholder value", this.pos);
          s += interpolated(v, this.pos);
          this.spend(s.length);
          continue;
        }
      }
      s += c;
      this.pos++;
    }
  }

  /** `$name`, `${name}`, `$scope:name`, `$true`/`$false`/`$null`, or `$( ... )`. */
  private variableOrSubexpression(): Val {
    const at = this.pos;
    this.pos++;
    if (this.peek() === "(") {
      this.pos++;
      const vs = this.group(")");
      if (vs.some((v) => v instanceof Placeholder)) throw new PsError("uses a placeholder value", at);
      return vs.length === 0 ? null : vs.length === 1 ? vs[0] : (vs as PsValue[]);
    }
    let name: string;
    if (this.peek() === "{") {
      // Within the line: a name does not span lines, and an unclosed ${ must not scan the rest of the text.
      const end = this.text.slice(this.pos, this.endOfLine(this.pos)).indexOf("}") + this.pos;
      if (end < this.pos) throw new PsError("missing } after ${", at);
      name = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      let end = this.pos;
      while (end < this.text.length && NAME_CHAR.test(this.text[end])) end++;
      name = this.text.slice(this.pos, end);
      this.pos = end;
      if (this.peek() === ":" && NAME_START.test(this.peek(1))) {
        let e2 = this.pos + 1;
        while (e2 < this.text.length && NAME_CHAR.test(this.text[e2])) e2++;
        const scoped = this.text.slice(this.pos + 1, e2);
        this.pos = e2;
        if (!PLAIN_SCOPES.includes(name.toLowerCase())) throw new PsError(`$${name}:${scoped} (the ${name}: drive) is read on the machine that runs the script; write its value instead`, at);
        name = scoped;
      }
    }
    if (name === "") throw new PsError("a variable name is missing after $", at);
    if (name.length > 128) throw new PsError("a variable name longer than 128 characters is not read", at);
    const lower = name.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    if (lower === "null") return null;
    const v = this.variables.get(lower);
    if (!v) throw new PsError(`uses $${name}, which is not set before this line`, at);
    if (v.secret) this.readSecret = true;
    if (v.placeholder !== undefined) throw new PsError(`uses $${v.name}, which is still ${showPlaceholder(v)}`, at);
    if (v.value === undefined) throw new PsError(`uses $${v.name}, whose own value could not be read`, at);
    return v.value;
  }
}

/** A variable's placeholder for messages: a secret's is not shown (an operator may have typed the value inside `<...>`). */
function showPlaceholder(v: ParsedVariable): string {
  return v.secret ? "a <...> placeholder (text not shown: it holds a secret)" : `the guide's placeholder ${v.placeholder}`;
}

/** An assignment's start: `$name =`, `$scope:name +=`, `${name} =`. */
const ASSIGNMENT = /^\$(?:([A-Za-z_]\w*):)?([A-Za-z_]\w*|\{[^}\n]+\})[ \t]*(\+?=)(?!=)/;

/**
 * Parses an initialization script. Never throws for bad input: what it cannot read comes back in `problems`.
 * Linear in the text's length, and bounded: at most MAX_SCRIPT_CHARS are read.
 */
export function parseInitScript(text: string): ParsedScript {
  if (text.length > MAX_SCRIPT_CHARS) {
    return { variables: new Map(), problems: [{ line: 1, message: `the script is ${text.length} characters; at most ${MAX_SCRIPT_CHARS} are read (an initialization script is a few kilobytes)` }] };
  }
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const it = new Interpreter(t.replace(/\r\n?/g, "\n"));
  it.run();
  return { variables: it.variables, problems: it.problems.sort((a, b) => a.line - b.line) };
}

/** Looks a variable up the way PowerShell does (case-insensitive, `$` optional). */
export function getVariable(vars: Map<string, ParsedVariable>, name: string): ParsedVariable | undefined {
  return vars.get(name.replace(/^\$/, "").toLowerCase());
}

/** Every secret string value of the script: what no output may contain. */
export function secretValues(vars: Map<string, ParsedVariable>): string[] {
  const out = new Set<string>();
  const walk = (v: PsValue | undefined): void => {
    if (typeof v === "string" && v !== "") out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isHashtable(v)) Object.values(v).forEach(walk);
  };
  for (const v of vars.values()) if (v.secret) walk(v.value);
  return [...out].sort((a, b) => b.length - a.length);
}

// ---------------------------------------------------------------------------------------------------------
// Mapping onto the stack keys (shared/spec/config.md, first table)

export type { MappingKind } from "../../components/configSchema";

export interface VariableMapping {
  /** Init-script variable, without `$`. */
  variable: string;
  /** Stack key: short (project namespace, dotted path for nested) or fully qualified (`azure-native:location`). */
  key: string;
  kind: MappingKind;
}

/** Init-script variable -> stack key: read from the config schema (each key names the variable it replaces). */
export const VARIABLE_MAP: readonly VariableMapping[] = INIT_SCRIPT_MAP;

/** Variables some operators add for the PFX password (the seed prompts for it instead): mapped to certificate.password. */
export const PFX_PASSWORD_VARIABLES = ["PxPfxPassword", "PxPfxCertPassword", "PxPfxCertFilePassword", "PxCertPassword", "PxCertificatePassword"];

/** Variables the seed derives from baseName and regionCode, checked against the program's naming. */
export const DERIVED_VARIABLES: readonly { variable: string; name: keyof Pick<DerivedNames, "resourceGroup" | "staticResourceGroup" | "botResourceGroup"> }[] = [
  { variable: "PxTeamsConnResourceGroupName", name: "resourceGroup" },
  { variable: "PxTeamsConnStaticResourceGroupName", name: "staticResourceGroup" },
  { variable: "BotChanResourceGroupName", name: "botResourceGroup" },
];

/** Variables of the seed's other scripts that have no stack key, and why. */
const KNOWN_UNMAPPED: Record<string, string> = {
  appid: "the app registration's ID from the redeploy script; the program manages the app registration (BotChannel): see docs/migration.md to keep this app",
  apppassword: "the app password from the redeploy script; the program issues its own app password, so this one is not imported",
  pxteamsconnresourcegroup: "an old name of $PxTeamsConnResourceGroupName",
};

/** The guide's example password: still set means nobody chose one. */
const SEED_EXAMPLE_PASSWORD = "ReplaceThisPassword!";

export type NoteKind = "mismatch" | "placeholder" | "unmapped" | "converted" | "invalid" | "unset" | "nextStep" | "info";

export interface ImportNote {
  kind: NoteKind;
  message: string;
  /** The init-script variable, without `$`. */
  variable?: string;
  /** The stack key (short form). */
  key?: string;
  /** Line of the variable's last assignment. */
  line?: number;
}

export interface SecretStep {
  /** Short stack key (`adminPassword`, `certificate.password`). */
  key: string;
  /** Needs `--path` (a nested key). */
  path: boolean;
  /** The variable that holds the value in the script, when it does. */
  variable?: string;
  /** The command to run, with a placeholder instead of the value. */
  command: string;
}

export interface StackConfigImport {
  /** Fully qualified top-level key -> value, as `Pulumi.<stack>.yaml`'s `config:` holds them; never a secret. */
  config: Record<string, unknown>;
  /** Secrets to set with `pulumi config set --secret`, in order. */
  secrets: SecretStep[];
  notes: ImportNote[];
}

export interface ToStackConfigOptions {
  /** Stack name, for the printed commands; omitted from them when unset. */
  stack?: string;
}

const qualify = (key: string): string => (key.includes(":") ? key : `${PROJECT}:${key}`);

/** A `pulumi config set` command line; `value` is printed as given (a placeholder for secrets). */
export function configSetCommand(key: string, value: string, opts: { stack?: string; secret?: boolean; path?: boolean }): string {
  const parts = ["pulumi config set"];
  if (opts.stack) parts.push(`--stack ${opts.stack}`);
  if (opts.secret) parts.push("--secret");
  if (opts.path) parts.push("--path");
  parts.push(key, value);
  return parts.join(" ");
}

/** Flattens nested arrays (PowerShell would pass them as one list to a string[] parameter). */
function flatten(v: PsValue[]): PsValue[] {
  return v.flatMap((x) => (Array.isArray(x) ? flatten(x) : [x]));
}

function describe(v: PsValue): string {
  return v === null ? "$null" : Array.isArray(v) ? "an array" : isHashtable(v) ? "a hashtable" : typeof v === "boolean" ? (v ? "$true" : "$false") : JSON.stringify(typeof v === "string" ? cutEcho(v) : v);
}

/** Maps parsed variables onto stack keys. Secrets never enter `config`; their commands carry placeholders. */
export function toStackConfig(vars: Map<string, ParsedVariable>, opts: ToStackConfigOptions = {}): StackConfigImport {
  const config: Record<string, unknown> = {};
  const secrets: SecretStep[] = [];
  const notes: ImportNote[] = [];
  const used = new Set<string>();
  const set = (key: string, value: unknown) => {
    const [top, ...rest] = key.split(".");
    const q = qualify(top);
    if (rest.length === 0) {
      config[q] = value;
      return;
    }
    const obj = (config[q] ?? {}) as Record<string, unknown>;
    obj[rest.join(".")] = value;
    config[q] = obj;
  };

  for (const m of VARIABLE_MAP) {
    const v = getVariable(vars, m.variable);
    if (!v) continue;
    used.add(m.variable.toLowerCase());
    const line = v.lines[v.lines.length - 1];
    const at = { variable: m.variable, key: m.key, line };
    if (v.placeholder !== undefined) {
      const run = (value: string) => configSetCommand(m.key, value, { stack: opts.stack, path: m.key.includes("."), secret: m.kind === "secret" || v.secret });
      const how = m.kind === "bool" ? `${run("true")}  or  ${run("false")}` : run("<value>");
      notes.push({
        kind: "placeholder",
        ...at,
        message: `$${m.variable} is still ${showPlaceholder(v)} (line ${line}); nothing was guessed: decide, then run ${how}`,
      });
      continue;
    }
    if (v.value === undefined) {
      notes.push({ kind: "invalid", ...at, message: `$${m.variable} could not be read (line ${line}, see the problems above); ${m.key} was left unset` });
      continue;
    }
    if (v.secret && m.kind !== "secret") {
      notes.push({ kind: "invalid", ...at, message: `$${m.variable} (line ${line}) is built from a secret; ${m.key} was left unset rather than written in plaintext` });
      continue;
    }
    const value = v.value;
    if (value === null || value === "") {
      if (m.kind === "list") set(m.key, []);
      else notes.push({ kind: "unset", ...at, message: `$${m.variable} is empty (line ${line}); ${m.key} was left unset, so its default or rule applies` });
      continue;
    }
    switch (m.kind) {
      case "secret": {
        if (typeof value !== "string") {
          notes.push({ kind: "invalid", ...at, message: `$${m.variable} is not a string (line ${line}); ${m.key} was left unset` });
          break;
        }
        secrets.push({
          key: m.key,
          path: false,
          variable: m.variable,
          command: configSetCommand(m.key, `<the value of $${m.variable}>`, { stack: opts.stack, secret: true }),
        });
        if (value === SEED_EXAMPLE_PASSWORD) {
          notes.push({ kind: "info", ...at, message: `$${m.variable} is still the guide's example password: choose a new one when you set ${m.key}` });
        }
        break;
      }
      case "string":
        if (typeof value === "string" || typeof value === "number") set(m.key, String(value));
        else notes.push({ kind: "invalid", ...at, message: `$${m.variable} is ${describe(value)} (line ${line}), not a string; ${m.key} was left unset` });
        break;
      case "path":
        if (typeof value !== "string") {
          notes.push({ kind: "invalid", ...at, message: `$${m.variable} is ${describe(value)} (line ${line}), not a path; ${m.key} was left unset` });
          break;
        }
        if (value.includes("\\")) {
          const posix = value.replace(/\\/g, "/");
          set(m.key, posix);
          notes.push({
            kind: "converted",
            ...at,
            message: `$${m.variable} "${cutEcho(value)}" became ${m.key} "${cutEcho(posix)}": a relative path is read from the project directory (where Pulumi.yaml is), not from where the PowerShell script ran`,
          });
        } else set(m.key, value);
        break;
      case "list": {
        const items = typeof value === "string" ? value.split(",").map((s) => s.trim()).filter((s) => s !== "") : Array.isArray(value) ? flatten(value) : undefined;
        if (!items || items.some((x) => typeof x !== "string" && typeof x !== "number")) {
          notes.push({ kind: "invalid", ...at, message: `$${m.variable} is ${describe(value)} (line ${line}), not a list of strings; ${m.key} was left unset` });
          break;
        }
        set(m.key, items.map((x) => String(x).trim()));
        break;
      }
      case "int":
        if (typeof value === "number") set(m.key, value);
        else if (typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) set(m.key, Number(value));
        else if (typeof value === "string") set(m.key, value); // left as written: the config check reports it with its rule
        else notes.push({ kind: "invalid", ...at, message: `$${m.variable} is ${describe(value)} (line ${line}), not a number; ${m.key} was left unset` });
        break;
      case "bool":
        if (typeof value === "boolean") set(m.key, value);
        else if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) {
          set(m.key, value.trim().toLowerCase() === "true");
          notes.push({ kind: "converted", ...at, message: `$${m.variable} is the string "${cutEcho(value)}" (line ${line}); PowerShell expects $true or $false: ${m.key} was set to ${value.trim().toLowerCase()}` });
        } else notes.push({ kind: "invalid", ...at, message: `$${m.variable} is ${describe(value)} (line ${line}), not $true or $false; ${m.key} was left unset` });
        break;
      case "map": {
        if (!isHashtable(value)) {
          notes.push({ kind: "invalid", ...at, message: `$${m.variable} is ${describe(value)} (line ${line}), not a hashtable @{...}; ${m.key} was left unset` });
          break;
        }
        const out: Record<string, string> = {};
        let ok = true;
        for (const [k, x] of Object.entries(value)) {
          if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") out[k] = typeof x === "boolean" ? (x ? "True" : "False") : String(x);
          else ok = false;
        }
        if (!ok) notes.push({ kind: "invalid", ...at, message: `$${m.variable} has values that are not strings (line ${line}); those tags were left out` });
        set(m.key, out);
        break;
      }
    }
  }

  // The PFX password: the seed prompts for it, so a script rarely has it; a variable for it maps to certificate.password.
  const pfxVar = PFX_PASSWORD_VARIABLES.map((n) => getVariable(vars, n)).find((v) => v !== undefined && typeof v.value === "string" && v.value !== "");
  for (const n of PFX_PASSWORD_VARIABLES) if (getVariable(vars, n)) used.add(n.toLowerCase());
  const pfxFile = (config[qualify("certificate")] as Record<string, unknown> | undefined)?.pfxFile;
  if (pfxVar) {
    secrets.push({
      key: "certificate.password",
      path: true,
      variable: pfxVar.name,
      command: configSetCommand("certificate.password", `<the value of $${pfxVar.name}>`, { stack: opts.stack, secret: true, path: true }),
    });
  } else {
    const what = typeof pfxFile === "string" ? `the password of ${pfxFile.split("/").pop()}` : "the PFX password";
    secrets.push({
      key: "certificate.password",
      path: true,
      command: configSetCommand("certificate.password", `<${what}>`, { stack: opts.stack, secret: true, path: true }),
    });
  }

  // Derived names: the program derives them from baseName and regionCode; different ones mean other resource groups.
  const base = config[qualify("baseName")];
  const region = config[qualify("regionCode")];
  const names = typeof base === "string" && typeof region === "string" ? deriveNames(base, region) : undefined;
  for (const d of DERIVED_VARIABLES) {
    const v = getVariable(vars, d.variable);
    if (!v) continue;
    used.add(d.variable.toLowerCase());
    const line = v.lines[v.lines.length - 1];
    if (typeof v.value !== "string") {
      notes.push({ kind: "invalid", variable: d.variable, line, message: `$${d.variable} could not be read as a name (line ${line}); it was not compared with the program's naming` });
      continue;
    }
    if (!names) {
      notes.push({ kind: "info", variable: d.variable, line, message: `$${d.variable} was not compared with the program's naming: baseName or regionCode is missing` });
      continue;
    }
    const expected = names[d.name];
    if (v.value === expected) {
      if (d.name === "resourceGroup") {
        notes.push({
          kind: "info",
          variable: d.variable,
          line,
          message: `The program's dynamic resource group is ${expected}, the PowerShell deployment's name: azure-native refuses to create a resource that already exists, so the old group goes before pulumi up creates it (docs/migration.md, cut-over)`,
        });
      }
      continue;
    }
    const caseOnly = v.value.toLowerCase() === expected.toLowerCase() ? " (they differ only in letter case, and Pulumi compares names exactly)" : "";
    const consequence =
      d.name === "staticResourceGroup"
        ? `The program would create a new static resource group (new public IP, new Key Vault) instead of using yours. Adopt the existing static resources with npm run import-static (docs/migration.md); the program has no key for another static resource group name, so either keep baseName/regionCode such that they derive "${cutEcho(v.value)}", or keep this region on the PowerShell deployment`
        : d.name === "resourceGroup"
          ? `The program builds its scale set in ${expected}; the old dynamic group "${cutEcho(v.value)}" is not adopted: delete it after the cut-over (docs/migration.md)`
          : `The program's BotChannel (first region only) uses ${expected}; see docs/migration.md, "The app registration and bot"`;
    notes.push({
      kind: "mismatch",
      variable: d.variable,
      line,
      message: `$${d.variable} is "${cutEcho(v.value)}" (line ${line}) but the program derives "${expected}" from baseName and regionCode${caseOnly}. ${consequence}`,
    });
  }

  // What the script cannot give.
  const cmd = (key: string, value: string) => configSetCommand(key, value, { stack: opts.stack, path: key.includes(".") });
  notes.push({ kind: "nextStep", key: "connectorVersion", message: `connectorVersion: the Teams Connector version to run (the one deployed today, or the one to move to): ${cmd("connectorVersion", "<e.g. 26.2>")}` });
  notes.push({ kind: "nextStep", key: "connectorPackage", message: `connectorPackage: Pexip's Teams Connector ZIP for that version: ${cmd("connectorPackage", "<path to the ZIP>")}` });
  notes.push({ kind: "nextStep", key: "certificate.password", message: `certificate.password: the PFX password (the PowerShell script prompted for it); it must be set as a secret, see the commands above` });
  const cua = config[qualify("customerUsageAttribution")];
  notes.push({
    kind: "nextStep",
    key: "usageAttributionId",
    message:
      cua === false
        ? "usageAttributionId: not needed, customerUsageAttribution is false (no partner ID is sent)"
        : `usageAttributionId: required when customerUsageAttribution is true: the partner GUID from Pexip's material: ${cmd("usageAttributionId", "<GUID>")}`,
  });
  if (secrets.every((s) => s.key !== "adminPassword")) {
    notes.push({ kind: "nextStep", key: "adminPassword", message: "adminPassword: not taken from the script; leave it unset to have a random one generated and kept in Key Vault" });
  }
  if (config[qualify("dialInstructions")] === undefined) {
    // The script has no variable for them: the guide writes them into the New-CsVideoInteropServiceProvider command by hand.
    const di = (k: string, v: string) => configSetCommand(`dialInstructions.${k}`, v, { stack: opts.stack, path: true });
    notes.push({
      kind: "nextStep",
      key: "dialInstructions",
      message:
        "dialInstructions: the Virtual Reception alias and the Alternate VTC dialing instructions (the -TenantKey and -InstructionUri you typed into New-CsVideoInteropServiceProvider); " +
        `without them the plan prints what is missing instead of the Teams command: ${di("nodeAddress", "<Conferencing Node pool name>")}; ${di("ivr", "<alias name part, e.g. teams>")}; ` +
        `${di("domain", "<SIP domain, e.g. example.com>")}; optionally ip, test, prefix and ${di("browser", "true")}`,
    });
  }
  notes.push({ kind: "nextStep", key: "appStack", message: `appStack: if another stack (your first region) owns the app registration and bot, ${cmd("appStack", "<organization>/pexip-teams-connector/<stack>")}` });

  // Everything else the script set.
  for (const v of vars.values()) {
    const lower = v.name.toLowerCase();
    if (used.has(lower) || VARIABLE_MAP.some((m) => m.variable.toLowerCase() === lower)) continue;
    const why = KNOWN_UNMAPPED[lower] ?? "no stack key corresponds to it";
    notes.push({ kind: "unmapped", variable: v.name, line: v.lines[v.lines.length - 1], message: `$${v.name} (line ${v.lines[v.lines.length - 1]}) was not imported: ${why}` });
  }

  return { config, secrets, notes };
}
