/** The consent page's package: its files and the content hash that names its blob (pure: no mocks). */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONSENT_PAGE_DIR, consentPageHash } from "../components/consentPackage";

test("a change to the page files changes the package name (the app restarts onto it)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "consent-"));
  for (const f of fs.readdirSync(CONSENT_PAGE_DIR)) fs.copyFileSync(path.join(CONSENT_PAGE_DIR, f), path.join(tmp, f));
  expect(consentPageHash(tmp)).toBe(consentPageHash());
  fs.appendFileSync(path.join(tmp, "style.css"), "\n/* changed */\n");
  expect(consentPageHash(tmp)).not.toBe(consentPageHash());
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("the hash covers the top-level files' names and contents in name order, not subdirectories", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "consent-"));
  fs.writeFileSync(path.join(tmp, "b.txt"), "b");
  fs.writeFileSync(path.join(tmp, "a.txt"), "a");
  fs.mkdirSync(path.join(tmp, "sub"));
  fs.writeFileSync(path.join(tmp, "sub", "c.txt"), "ignored");
  // SHA-256 of "a.txt\0a\0b.txt\0b\0".
  expect(consentPageHash(tmp)).toBe("50db6caf4b4e8275849df42a09ba06c2fc6a93d1b5707235c510b70d15550103");
  fs.rmSync(tmp, { recursive: true, force: true });
});
