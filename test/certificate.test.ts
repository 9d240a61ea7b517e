/**
 * Layer 6 (spec/testing.md): the connector certificate checks against certificates made here, on the fly, from the
 * one fixture module (test/fixtures/certificates.ts): a CA chain (root -> intermediate -> leaf) around the fixed NOW,
 * RSA and EC leaves alike, and PFX files in both formats people upload (legacy 3DES/SHA-1 MAC, and OpenSSL 3's default
 * PBES2 AES-256 with a SHA-256 MAC).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPfx, coversName, pemToPfx, pfxThumbprint, sanDnsNames, thumbprintOf } from "../components/certificate";
import { loadConfig } from "../components/config";
import { DAY, ecKey, keyPem, makeCert, makePfx, NOW, testCa } from "./fixtures/certificates";
import { ROOT, stackSource } from "./harness";

const FQDN = "pexip-teamsconn-eu.teams.example.com";
const PASSWORD = "Corr3ct-horse!";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pexip-cert-"));

const ca = testCa(NOW);
const { interCert, rootCert, intermediate } = ca;
const leafKey = ca.leafKey;

interface LeafSpec {
  cn?: string;
  dns?: string[];
  issuer?: { cert: string; key: import("crypto").KeyObject };
  serverAuth?: boolean;
  clientAuth?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}

/** A PFX (bytes) of a leaf issued by the intermediate, with the intermediate in the bag unless `chain` says otherwise. */
function leafPfx(spec: LeafSpec = {}, chain: string[] = [interCert], password = PASSWORD): Buffer {
  const { cn = FQDN, ...rest } = spec;
  return makePfx(ca.leaf([cn], { dns: [FQDN], ...rest, cn }), leafKey, password, chain);
}

describe("coversName (RFC 6125)", () => {
  it.each([
    ["*.example.com", "a.example.com", true],
    ["*.example.com", "A.Example.COM", true],
    ["*.example.com", "b.a.example.com", false],
    ["*.example.com", "example.com", false],
    ["a*.example.com", "ab.example.com", false],
    ["*.com", "example.com", false],
    ["a.*.example.com", "a.b.example.com", false],
    [FQDN, FQDN, true],
    [FQDN.toUpperCase(), FQDN, true],
    ["other.teams.example.com", FQDN, false],
  ])("%s covers %s: %s", (pattern, fqdn, expected) => {
    expect(coversName(pattern, fqdn)).toBe(expected);
  });

  it("reads DNS names out of Node's subjectAltName string, quoted ones included", () => {
    expect(sanDnsNames('DNS:a.example.com, IP Address:10.0.0.1, DNS:"b,c.example.com", DNS:*.Example.com')).toEqual(["a.example.com", "b,c.example.com", "*.example.com"]);
  });
});

describe("checkPfx", () => {
  it("accepts an RSA certificate with its intermediate in OpenSSL 3's default format (PBES2 AES-256, SHA-256 MAC, 2048 rounds)", () => {
    const leaf = ca.leaf([FQDN, "pexip-teamsconn-us.teams.example.com"]);
    const pfx = makePfx(leaf, leafKey, PASSWORD, [interCert, rootCert], { scheme: "aes256", iterations: 2048 });
    const check = checkPfx(pfx, PASSWORD, FQDN, NOW);
    expect(check.errors).toEqual([]);
    expect(check.info?.keyType).toBe("rsa");
    expect(check.info?.keyBits).toBe(2048);
    expect(check.info?.subject).toBe(FQDN);
    expect(check.info?.dnsNames).toEqual([FQDN, "pexip-teamsconn-us.teams.example.com"]);
    expect(check.info?.thumbprint).toBe(thumbprintOf(leaf));
    expect(check.info?.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(check.info?.chain).toEqual(["CN=Test Issuing CA 1", "CN=Test Root CA"]);
    expect(check.info?.notAfter).toBe(new Date(NOW.getTime() + 365 * DAY).toISOString());
    expect(check.info?.warnings).toEqual([]);
  });

  it.each(["aes256", "3des"] as const)("opens a %s PFX whose password is not ASCII (PBES2 takes it as UTF-8, PKCS#12 PBE as UTF-16)", (scheme) => {
    const password = "Pässwörd-€-テスト";
    const pfx = makePfx(ca.leaf([FQDN]), leafKey, password, [interCert], { scheme });
    expect(checkPfx(pfx, password, FQDN, NOW).errors).toEqual([]);
    expect(checkPfx(pfx, "Passwort-€-テスト", FQDN, NOW).errors).toEqual([
      "could not be opened with certificate.password: the password is wrong (the PFX integrity check failed) or the file is damaged",
    ]);
  });

  it("accepts the PFX pemToPfx builds (forge, TripleDES)", () => {
    const leaf = ca.leaf([FQDN]);
    expect(checkPfx(Buffer.from(pemToPfx(leaf, keyPem(leafKey), PASSWORD, [interCert]), "base64"), PASSWORD, FQDN, NOW).errors).toEqual([]);
  });

  it("pemToPfx is deterministic (same inputs, same bytes: no new Key Vault secret version on re-runs)", () => {
    const leaf = ca.leaf([FQDN]);
    const a = pemToPfx(leaf, keyPem(leafKey), "");
    expect(pemToPfx(leaf, keyPem(leafKey), "")).toBe(a);
    expect(pemToPfx(leaf, keyPem(leafKey), "other")).not.toBe(a);
    expect(pfxThumbprint(Buffer.from(a, "base64"), "")).toBe(thumbprintOf(leaf));
  });

  it("rejects an ECDSA certificate with the seed's wording", () => {
    const key = ecKey();
    const ec = ca.leaf([FQDN], { key });
    const check = checkPfx(makePfx(ec, key, PASSWORD, [interCert], { scheme: "aes256" }), PASSWORD, FQDN, NOW);
    const thumb = thumbprintOf(ec);
    expect(check.errors).toEqual([
      `The certificate '${thumb}' is an ECDSA certificate, which is currently not supported: the Teams Connector certificate must use RSA keys (request or export an RSA certificate)`,
    ]);
    expect(check.info?.keyType).toBe("ec");
  });

  it("rejects a certificate whose names do not cover connectorFqdn", () => {
    const check = checkPfx(leafPfx({ cn: "other.teams.example.com", dns: ["other.teams.example.com"] }), PASSWORD, FQDN, NOW);
    expect(check.errors).toEqual([`its names (other.teams.example.com) do not cover connectorFqdn ${FQDN} (RFC 6125: a wildcard matches exactly one left-most label)`]);
  });

  it("ignores the CN when the certificate has SAN DNS names (RFC 6125), and uses it when it has none", () => {
    expect(checkPfx(leafPfx({ cn: FQDN, dns: ["other.teams.example.com"] }), PASSWORD, FQDN, NOW).errors).toHaveLength(1);
    expect(checkPfx(leafPfx({ cn: FQDN, dns: undefined }), PASSWORD, FQDN, NOW).errors).toEqual([]);
  });

  it.each([
    ["a.example.com", true],
    ["b.a.example.com", false],
    ["example.com", false],
  ])("a *.example.com certificate for connectorFqdn %s: accepted %s", (fqdn, ok) => {
    const errors = checkPfx(leafPfx({ cn: "*.example.com", dns: ["*.example.com"] }), PASSWORD, fqdn, NOW).errors;
    expect(errors).toEqual(ok ? [] : [`its names (*.example.com) do not cover connectorFqdn ${fqdn} (RFC 6125: a wildcard matches exactly one left-most label)`]);
  });

  it("rejects a certificate without clientAuth in its Enhanced Key Usage", () => {
    const check = checkPfx(leafPfx({ clientAuth: false }), PASSWORD, FQDN, NOW);
    expect(check.errors).toEqual([
      "its Enhanced Key Usage lacks clientAuth (1.3.6.1.5.5.7.3.2): the Teams Connector and Pexip Infinity authenticate each other, so it needs both server and client authentication",
    ]);
  });

  it("rejects a certificate without serverAuth in its Enhanced Key Usage", () => {
    expect(checkPfx(leafPfx({ serverAuth: false }), PASSWORD, FQDN, NOW).errors[0]).toMatch(/^its Enhanced Key Usage lacks serverAuth \(1\.3\.6\.1\.5\.5\.7\.3\.1\)/);
  });

  it("rejects an expired certificate", () => {
    const notAfter = new Date(NOW.getTime() - 2 * DAY);
    const check = checkPfx(leafPfx({ notBefore: new Date(NOW.getTime() - 400 * DAY), notAfter }), PASSWORD, FQDN, NOW);
    expect(check.errors).toEqual([`it expired on ${notAfter.toISOString()}`]);
  });

  it("rejects a certificate that is not valid yet", () => {
    const notBefore = new Date(NOW.getTime() + 2 * DAY);
    expect(checkPfx(leafPfx({ notBefore }), PASSWORD, FQDN, NOW).errors).toEqual([`it is not valid yet (valid from ${notBefore.toISOString()})`]);
  });

  it("warns (no error) when the certificate expires within 30 days", () => {
    const check = checkPfx(leafPfx({ notAfter: new Date(NOW.getTime() + 10 * DAY + 3600000) }), PASSWORD, FQDN, NOW);
    expect(check.errors).toEqual([]);
    expect(check.info?.warnings).toEqual([expect.stringMatching(/^The certificate '[0-9A-F]{40}' expires in 10 days/)]);
  });

  it("rejects a wrong password without ever echoing a password", () => {
    const check = checkPfx(leafPfx(), "Wr0ng-password?", FQDN, NOW);
    expect(check.errors).toEqual(["could not be opened with certificate.password: the password is wrong (the PFX integrity check failed) or the file is damaged"]);
    expect(check.errors.join(" ")).not.toContain("Wr0ng-password?");
    expect(check.errors.join(" ")).not.toContain(PASSWORD);
    expect(check.info).toBeUndefined();
  });

  it("rejects a file that is not a PKCS#12", () => {
    expect(checkPfx(Buffer.from(keyPem(leafKey)), PASSWORD, FQDN, NOW).errors).toEqual(["is not a PKCS#12 (PFX) file: it could not be parsed"]);
  });

  it("rejects a PFX without its intermediate certificates", () => {
    const check = checkPfx(leafPfx({}, []), PASSWORD, FQDN, NOW);
    expect(check.errors).toEqual([
      "intermediate certificates missing from the PFX: the issuer of the certificate (CN=Test Issuing CA 1) is not in it; export the PFX with the full chain",
    ]);
  });

  it("rejects a self-signed PFX unless the self-signed lab path asks for it", () => {
    const pfx = leafPfx({ issuer: undefined }, []);
    expect(checkPfx(pfx, PASSWORD, FQDN, NOW).errors).toEqual([
      "it is self-signed: Microsoft Teams and Pexip Infinity only trust a publicly-signed certificate (for a lab stack, set certificate.selfSigned: true instead)",
    ]);
    expect(checkPfx(pfx, PASSWORD, FQDN, NOW, { allowSelfSigned: true }).errors).toEqual([]);
  });

  it("rejects a PFX whose private key belongs to no certificate in it", () => {
    const cert = ca.leaf([FQDN]);
    const pfx = makePfx(cert, intermediate.key, PASSWORD);
    // forge pairs the key with the first certificate; the check pairs by public key.
    expect(checkPfx(pfx, PASSWORD, FQDN, NOW).errors).toEqual(["its private key does not match any certificate in it"]);
  });
});

describe("loadConfig with certificate.pfxFile", () => {
  const source = (file: string, password = PASSWORD) =>
    stackSource("eu", { set: { certificate: { pfxFile: file } }, secrets: { "certificate.password": password } }).source;
  const load = (file: string, password?: string) => loadConfig(source(file, password), { stack: "eu", projectDir: ROOT, offline: true, now: NOW });

  it("passes a good PFX and keeps what the checks read", () => {
    const file = path.join(tmp, "good.pfx");
    fs.writeFileSync(file, leafPfx());
    const result = load(file);
    expect(result.errors).toEqual([]);
    const cert = result.config?.certificate;
    expect(cert?.kind).toBe("pfx");
    expect(cert?.kind === "pfx" ? cert.info?.subject : undefined).toBe(FQDN);
  });

  it("reports a bad PFX under certificate.pfxFile, one issue per problem", () => {
    const file = path.join(tmp, "bad.pfx");
    fs.writeFileSync(file, leafPfx({ clientAuth: false }, []));
    const result = load(file);
    expect(result.config).toBeUndefined();
    expect(result.errors.map((e) => [e.key, e.value])).toEqual([
      ["pexip-teams-connector:certificate.pfxFile", JSON.stringify(file)],
      ["pexip-teams-connector:certificate.pfxFile", JSON.stringify(file)],
    ]);
    expect(result.errors.map((e) => e.rule)).toEqual([
      expect.stringMatching(/^its Enhanced Key Usage lacks clientAuth/),
      expect.stringMatching(/^intermediate certificates missing from the PFX/),
    ]);
  });

  it("reports a wrong password under certificate.pfxFile without the password", () => {
    const file = path.join(tmp, "good2.pfx");
    fs.writeFileSync(file, leafPfx());
    const result = load(file, "not-the-Passw0rd");
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].key).toBe("pexip-teams-connector:certificate.pfxFile");
    expect(JSON.stringify(result.errors)).not.toContain("not-the-Passw0rd");
  });
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
