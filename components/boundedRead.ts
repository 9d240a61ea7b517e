/**
 * Reading a file whose size a user controls (a PFX, a stack file, a script): at most a bound, in chunks, so that a
 * huge file or a device that never ends (`/dev/zero`) costs at most that much memory and time.
 */
import * as fs from "fs";

/** A PFX (certificate, key and chain) is a few kilobytes; 1 MiB is far above any real one. */
export const MAX_PFX_BYTES = 1024 * 1024;

/**
 * The bytes of `file`, at most `maxBytes` of them. Throws an Error whose message is the errno code (`ENOENT`,
 * `EISDIR`) or `larger than N bytes (why)`; never the file's content.
 */
export function readBounded(file: string, maxBytes: number, why: string): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (e) {
    throw new Error((e as NodeJS.ErrnoException).code ?? "cannot open it");
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw new Error((e as NodeJS.ErrnoException).code ?? "cannot read it");
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new Error(`larger than ${maxBytes} bytes (${why})`);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks);
  } finally {
    fs.closeSync(fd);
  }
}
