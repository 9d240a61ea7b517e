/**
 * The admin-consent page's deployment package: the files ConsentSite uploads as one ZIP blob, and the content hash
 * that names the blob (a change to the page is a new blob, and the app restarts onto it). Pure: no Pulumi.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** The page's files: served by consent-page/server.js, deployed as one ZIP package. */
export const CONSENT_PAGE_DIR = path.join(__dirname, "consent-page");

/** SHA-256 of the page's files (names and contents), the package blob's version. */
export function consentPageHash(dir: string = CONSENT_PAGE_DIR): string {
  const h = crypto.createHash("sha256");
  for (const f of fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isFile()).sort()) {
    h.update(f).update("\0").update(fs.readFileSync(path.join(dir, f))).update("\0");
  }
  return h.digest("hex");
}
