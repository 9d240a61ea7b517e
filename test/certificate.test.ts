/**
 * Layer 6 (spec/testing.md): the connector certificate checks against certificates made here, on the fly: a CA chain
 * (root -> intermediate -> leaf) built with node-forge on Node-generated RSA keys, and an ECDSA leaf made with the
 * openssl CLI (forge cannot sign EC keys). PFX files come from forge (pemToPfx) and, for the formats people really
 * upload, from `openssl pkcs12 -export` (OpenSSL 3 defaults: AES-256 + SHA-256 MAC).
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as forge from "node-forge";
import { checkPfx, coversName, pemToPfx, pfxThumbprint, sanDnsNames, thumbprintOf } from "../components/certificate";
import { loadConfig } from "../components/config";
import { ROOT, stackSource } from "./harness";

const NOW = new Date(Date.UTC(2026, 11, 1)); // 2026-12-01
const DAY = 86400000;
const FQDN = "pexip-teamsconn-eu.teams.example.com";
const PASSWORD = "Corr3ct-horse!";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pexip-cert-"));

function rsaKeyPem(): string {
  return crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}
// Reused across cases: RSA key generation is the slow part.
const rootKey = rsaKeyPem();
const interKey = rsaKeyPem();
const leafKey = rsaKeyPem();

interface CertSpec {
  cn: string;
  dns?: string[];
  key: string;
  /** Issuer's certificate and key PEM; absent = self-signed. */
  issuer?: { cert: string; key: string };
  ca?: boolean;
  serverAuth?: boolean;
  clientAuth?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}

let serial = 1;
function makeCert(s: CertSpec): string {
  const priv = forge.pki.privateKeyFromPem(s.key) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(priv.n, priv.e);
  cert.serialNumber = (serial++).toString(16).padStart(4, "0");
  cert.validity.notBefore = s.notBefore ?? new Date(NOW.getTime() - 30 * DAY);
  cert.validity.notAfter = s.notAfter ?? new Date(NOW.getTime() + 365 * DAY);
  cert.setSubject([{ name: "commonName", value: s.cn }]);
  const issuerCert = s.issuer ? forge.pki.certificateFromPem(s.issuer.cert) : cert;
  cert.setIssuer(issuerCert.subject.attributes);
  const exts: object[] = [{ name: "basicConstraints", cA: s.ca ?? false }];
  if (s.ca) exts.push({ name: "keyUsage", keyCertSign: true, cRLSign: true });
  else {
    exts.push({ name: "keyUsage", digitalSignature: true, keyEncipherment: true });
    exts.push({ name: "extKeyUsage", serverAuth: s.serverAuth ?? true, clientAuth: s.clientAuth ?? true });
  }
  if (s.dns) exts.push({ name: "subjectAltName", altNames: s.dns.map((value) => ({ type: 2, value })) });
  cert.setExtensions(exts);
  // Signed with Node's crypto: forge's pure-JS RSA signing takes about a second per certificate under jest.
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  const tbs = Buffer.from(forge.asn1.toDer((forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert)).getBytes(), "binary");
  cert.signature = crypto.sign("sha256", tbs, s.issuer ? s.issuer.key : s.key).toString("binary");
  return forge.pki.certificateToPem(cert);
}

const rootCert = makeCert({ cn: "Test Root CA", key: rootKey, ca: true, notAfter: new Date(NOW.getTime() + 3650 * DAY) });
const interCert = makeCert({ cn: "Test Issuing CA 1", key: interKey, ca: true, issuer: { cert: rootCert, key: rootKey } });
const intermediate = { cert: interCert, key: interKey };

/** A PFX (bytes) of a leaf issued by the intermediate, with the intermediate in the bag unless `chain` says otherwise. */
function leafPfx(spec: Partial<CertSpec> = {}, chain: string[] = [interCert], password = PASSWORD): Buffer {
  const cert = makeCert({ cn: FQDN, dns: [FQDN], key: leafKey, issuer: intermediate, ...spec });
  return fastPfx(cert, spec.key ?? leafKey, password, chain);
}

/** pemToPfx with one KDF iteration instead of 2048: forge's pure-JS PKCS#12 key derivation dominates this file's time. */
function fastPfx(certPem: string, keyPem: string, password: string, chain: string[] = []): Buffer {
  const certs = [certPem, ...chain].map((p) => forge.pki.certificateFromPem(p));
  const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(keyPem), certs, password, { algorithm: "3des", count: 1 });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), "binary");
}

function openssl(args: string[]): void {
  execFileSync("openssl", args, { cwd: tmp, stdio: ["ignore", "ignore", "pipe"] });
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
  it("accepts an RSA certificate with its intermediate, exported by openssl pkcs12 (AES-256, SHA-256 MAC)", () => {
    const leaf = makeCert({ cn: FQDN, dns: [FQDN, "pexip-teamsconn-us.teams.example.com"], key: leafKey, issuer: intermediate });
    fs.writeFileSync(path.join(tmp, "leaf.crt"), leaf);
    fs.writeFileSync(path.join(tmp, "leaf.key"), leafKey);
    fs.writeFileSync(path.join(tmp, "chain.crt"), interCert + rootCert);
    openssl(["pkcs12", "-export", "-inkey", "leaf.key", "-in", "leaf.crt", "-certfile", "chain.crt", "-passout", `pass:${PASSWORD}`, "-out", "rsa.pfx"]);
    const check = checkPfx(fs.readFileSync(path.join(tmp, "rsa.pfx")), PASSWORD, FQDN, NOW);
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

  it("accepts the PFX pemToPfx builds (forge, TripleDES)", () => {
    const leaf = makeCert({ cn: FQDN, dns: [FQDN], key: leafKey, issuer: intermediate });
    expect(checkPfx(Buffer.from(pemToPfx(leaf, leafKey, PASSWORD, [interCert]), "base64"), PASSWORD, FQDN, NOW).errors).toEqual([]);
  });

  it("pemToPfx is deterministic (same inputs, same bytes: no new Key Vault secret version on re-runs)", () => {
    const leaf = makeCert({ cn: FQDN, dns: [FQDN], key: leafKey, issuer: intermediate });
    const a = pemToPfx(leaf, leafKey, "");
    expect(pemToPfx(leaf, leafKey, "")).toBe(a);
    expect(pemToPfx(leaf, leafKey, "other")).not.toBe(a);
    expect(pfxThumbprint(Buffer.from(a, "base64"), "")).toBe(thumbprintOf(leaf));
  });

  it("rejects an ECDSA certificate with the seed's wording", () => {
    const ecKey = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    fs.writeFileSync(path.join(tmp, "ec.key"), ecKey);
    fs.writeFileSync(path.join(tmp, "inter.crt"), interCert);
    fs.writeFileSync(path.join(tmp, "inter.key"), interKey);
    fs.writeFileSync(path.join(tmp, "ec.ext"), `extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:${FQDN}\n`);
    openssl(["req", "-new", "-key", "ec.key", "-subj", `/CN=${FQDN}`, "-out", "ec.csr"]);
    openssl(["x509", "-req", "-in", "ec.csr", "-CA", "inter.crt", "-CAkey", "inter.key", "-set_serial", "77", "-days", "3650", "-extfile", "ec.ext", "-out", "ec.crt"]);
    openssl(["pkcs12", "-export", "-inkey", "ec.key", "-in", "ec.crt", "-certfile", "inter.crt", "-passout", `pass:${PASSWORD}`, "-out", "ec.pfx"]);
    const check = checkPfx(fs.readFileSync(path.join(tmp, "ec.pfx")), PASSWORD, FQDN, NOW);
    const thumb = thumbprintOf(fs.readFileSync(path.join(tmp, "ec.crt")));
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
    expect(checkPfx(Buffer.from(leafKey), PASSWORD, FQDN, NOW).errors).toEqual(["is not a PKCS#12 (PFX) file: it could not be parsed"]);
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
    const cert = makeCert({ cn: FQDN, dns: [FQDN], key: leafKey, issuer: intermediate });
    const pfx = fastPfx(cert, interKey, PASSWORD);
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
