/**
 * Connector certificate checks (seed: "Obtaining and preparing the TLS certificate for the Teams Connector"):
 * a PKCS#12 that opens with its password, an RSA key that matches the leaf, EKU serverAuth + clientAuth, a name that
 * covers `connectorFqdn` under RFC 6125, valid now, and its intermediates inside the PFX. Pure functions: no I/O.
 *
 * node-forge reads the PKCS#12 container (Node has no PKCS#12 parser) but cannot read EC keys or certificates, so every
 * certificate and key is judged from its DER with Node's `crypto` (X509Certificate, createPrivateKey).
 */
import * as crypto from "crypto";
import type * as Forge from "node-forge";
import { buildPfx, pkcs12Kdf, seededRandom } from "./pkcs12";

/**
 * node-forge, loaded on first use: most evaluations (self-signed or unchecked) never open a PFX, and start-up time
 * matters. Only the parts this file and the mock layer use (PKI, PKCS#12 and the digests certificates name), not the
 * package index, which also loads TLS, SSH and Ed25519 for nothing (about a third of forge's loading time).
 */
export function forgeLib(): typeof Forge {
  /* eslint-disable @typescript-eslint/no-require-imports */
  require("node-forge/lib/pki");
  require("node-forge/lib/pkcs12");
  require("node-forge/lib/md.all");
  return require("node-forge/lib/forge") as typeof Forge;
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Extended Key Usage OIDs the connector needs: it is a TLS server to Teams and Pexip, and a TLS client to them. */
export const EKU = { serverAuth: "1.3.6.1.5.5.7.3.1", clientAuth: "1.3.6.1.5.5.7.3.2" } as const;
/** A certificate expiring within this many days gets a warning (renewal means a rolling upgrade of the scale set). */
export const EXPIRY_WARNING_DAYS = 30;
/** Minimum RSA modulus Teams and current CAs accept; shorter keys get a warning. */
export const MIN_RSA_BITS = 2048;

export interface CertificateInfo {
  /** Subject common name (or the whole subject when it has no CN). */
  subject: string;
  /** Issuer, as one line. */
  issuer: string;
  /** DNS names of the subjectAltName extension (lower case). */
  dnsNames: string[];
  /** Validity start, ISO 8601. */
  notBefore: string;
  /** Validity end, ISO 8601. */
  notAfter: string;
  /** SHA-1 of the leaf's DER, upper-case hex without colons: what Windows, Azure and Pexip call the thumbprint. */
  thumbprint: string;
  /** `rsa`, `ec`, ...: Node's asymmetricKeyType of the leaf's public key. */
  keyType: string;
  /** Key size in bits, when known. */
  keyBits?: number;
  /** Subjects of the other certificates in the PFX (the chain), leaf excluded. */
  chain: string[];
  /** Things that are not errors but need attention (expiring soon, short key). */
  warnings: string[];
}

export interface CertificateCheck {
  /** Problems, one sentence each, never containing the password. */
  errors: string[];
  /** What was read from the PFX; undefined when it could not be opened. */
  info?: CertificateInfo;
}

export interface CheckOptions {
  /** Accept a self-signed leaf (the `certificate.selfSigned` lab path checks its own PFX with this). Default false. */
  allowSelfSigned?: boolean;
}

/**
 * RFC 6125 name matching: `pattern` (a certificate's DNS name) covers `fqdn`. A wildcard is allowed only as the whole
 * left-most label and matches exactly one non-empty label; comparison is case-insensitive; `*.com`-style patterns
 * (fewer than two labels after the wildcard) match nothing.
 */
export function coversName(pattern: string, fqdn: string): boolean {
  const p = pattern.trim().toLowerCase().replace(/\.$/, "");
  const f = fqdn.trim().toLowerCase().replace(/\.$/, "");
  if (p === "" || f === "" || f.includes("*")) return false;
  if (!p.includes("*")) return p === f;
  const [first, ...rest] = p.split(".");
  if (first !== "*" || rest.length < 2 || rest.some((l) => l === "" || l.includes("*"))) return false;
  const [fFirst, ...fRest] = f.split(".");
  return fFirst !== "" && fRest.join(".") === rest.join(".");
}

/** Upper-case hex SHA-1 thumbprint of a certificate (PEM or DER). */
export function thumbprintOf(cert: string | Buffer): string {
  return new crypto.X509Certificate(cert).fingerprint.replace(/:/g, "").toUpperCase();
}

/**
 * A PKCS#12 (base64) from a PEM certificate and PEM RSA key, for the self-signed path. TripleDES-SHA1 bag encryption:
 * every Windows Server imports it (AES-256 PFX import needs Windows Server 2019 or later). Deterministic: the salts and
 * IVs come from a hash of the inputs, so evaluating the program again does not make a new Key Vault secret version
 * (which would roll the scale set for nothing).
 */
export function pemToPfx(certPem: string, keyPem: string, password = "", chainPems: string[] = []): string {
  const seed = crypto.createHash("sha256").update(JSON.stringify([certPem, keyPem, password, chainPems])).digest();
  return buildPfx({
    certs: [certPem, ...chainPems].map((p) => new crypto.X509Certificate(p).raw),
    key: crypto.createPrivateKey(keyPem),
    password,
    scheme: "3des",
    random: seededRandom(seed),
    friendlyName: "connector",
  }).toString("base64");
}

/** Thumbprint of the leaf of a PFX (the certificate its key belongs to), or undefined when it cannot be opened. */
export function pfxThumbprint(pfx: Buffer, password: string): string | undefined {
  try {
    const { certs, keys } = openPfx(pfx, password);
    const leaf = certs.find((c) => keys.some((k) => c.checkPrivateKey(k)));
    return leaf ? thumbprintOf(leaf.raw) : undefined;
  } catch {
    return undefined;
  }
}

/** DNS names from Node's `subjectAltName` string (`DNS:a, DNS:b, IP Address:...`; values with odd characters come JSON-quoted). */
export function sanDnsNames(san: string | undefined): string[] {
  if (!san) return [];
  const entries = san.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
  const unquote = (v: string): string => {
    if (!v.startsWith('"')) return v;
    try {
      return JSON.parse(v) as string;
    } catch {
      return v;
    }
  };
  return entries
    .map((e) => unquote(e.trim()))
    .filter((e) => e.startsWith("DNS:"))
    .map((e) => unquote(e.slice(4)).toLowerCase());
}

/** Subject common names from Node's multi-line `subject` string. */
function commonNames(subject: string): string[] {
  return subject.split("\n").filter((l) => l.startsWith("CN=")).map((l) => l.slice(3).toLowerCase());
}

function oneLine(dn: string): string {
  return dn.split("\n").join(", ");
}

/** The names a certificate is valid for, per RFC 6125: its SAN dNSNames, or its CN only when it has none. */
export function certificateNames(cert: crypto.X509Certificate): string[] {
  const san = sanDnsNames(cert.subjectAltName);
  return san.length > 0 ? san : commonNames(cert.subject);
}

/** `issuer` signed `cert`. By name and signature: OpenSSL's checkIssued also wants keyCertSign, which a self-signed leaf lacks. */
function issuedBy(cert: crypto.X509Certificate, issuer: crypto.X509Certificate): boolean {
  return cert.issuer === issuer.subject && cert.verify(issuer.publicKey);
}

/** Digests a PKCS#12 MAC may name (RFC 7292 / RFC 9579), by OID. */
const MAC_DIGESTS: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

/**
 * Checks the PFX's MAC with Node's hashes (RFC 7292 5.1) and returns the PFX without its MacData, or throws a
 * password-free message. A file without a MAC comes back as it is (then only decryption can tell a wrong password).
 */
function verifyMac(forge: typeof Forge, pfx: Forge.asn1.Asn1, password: string): Forge.asn1.Asn1 {
  const parts = pfx.value as Forge.asn1.Asn1[];
  const macData = parts[2];
  if (!macData) return pfx;
  const wrong = new Error("could not be opened with certificate.password: the password is wrong (the PFX integrity check failed) or the file is damaged");
  try {
    const [digestInfo, saltAsn, iterAsn] = macData.value as Forge.asn1.Asn1[];
    const [algId, macAsn] = digestInfo.value as Forge.asn1.Asn1[];
    const digest = MAC_DIGESTS[forge.asn1.derToOid((algId.value as Forge.asn1.Asn1[])[0].value as string)];
    if (!digest) throw new Error("uses a MAC digest this check cannot read");
    const salt = Buffer.from(saltAsn.value as string, "binary");
    const iterations = iterAsn ? forge.util.createBuffer(iterAsn.value as string).getInt(8 * (iterAsn.value as string).length) : 1;
    // The content the MAC covers: the authSafe ContentInfo's [0] OCTET STRING (possibly constructed: concatenated).
    const content = ((parts[1].value as Forge.asn1.Asn1[])[1].value as Forge.asn1.Asn1[])[0];
    const octets = typeof content.value === "string" ? content.value : (content.value as Forge.asn1.Asn1[]).map((c) => c.value as string).join("");
    const data = Buffer.from(octets, "binary");
    const expected = Buffer.from(macAsn.value as string, "binary");
    const size = crypto.createHash(digest).digest().length;
    // An empty password may have been written as no password at all (OpenSSL tries both).
    const candidates = password === "" ? ["", null] : [password];
    const ok = candidates.some((pw) => {
      const mac = crypto.createHmac(digest, pkcs12Kdf(pw, salt, 3, iterations, size, digest)).update(data).digest();
      return mac.length === expected.length && crypto.timingSafeEqual(mac, expected);
    });
    if (!ok) throw wrong;
  } catch (e) {
    if (e === wrong || /cannot read/.test((e as Error).message)) throw e;
    throw new Error("is not a PKCS#12 (PFX) file: its integrity data could not be read");
  }
  return forge.asn1.create(pfx.tagClass, pfx.type, true, parts.slice(0, 2));
}

/** Opens the PKCS#12 and returns its certificates and private keys (as Node objects). Throws a password-free message. */
function openPfx(pfx: Buffer, password: string): { certs: crypto.X509Certificate[]; keys: crypto.KeyObject[] } {
  const forge = forgeLib();
  let asn: Forge.asn1.Asn1;
  try {
    asn = forge.asn1.fromDer(forge.util.createBuffer(pfx.toString("binary")));
  } catch {
    throw new Error("is not a PKCS#12 (PFX) file: it could not be parsed");
  }
  if (!Array.isArray(asn.value) || asn.value.length < 2 || !Array.isArray((asn.value[1] as Forge.asn1.Asn1).value)) {
    throw new Error("is not a PKCS#12 (PFX) file: it could not be parsed");
  }
  const unmacced = verifyMac(forge, asn, password);
  // PKCS#12 PBE takes the password as UTF-16 (forge's own handling), PBES2 as UTF-8 octets (RFC 8018), which forge
  // reads from a binary string: a non-ASCII password gets a second try in that form.
  const forms = /[^\x00-\x7f]/.test(password) ? [password, forge.util.encodeUtf8(password)] : [password];
  let p12: Forge.pkcs12.Pkcs12Pfx | undefined;
  let failure: unknown;
  for (const form of forms) {
    try {
      p12 = forge.pkcs12.pkcs12FromAsn1(unmacced, false, form);
      break;
    } catch (e) {
      failure = failure ?? e;
    }
  }
  if (!p12) {
    const msg = failure instanceof Error ? failure.message : String(failure);
    if (/unsupported|unknown/i.test(msg) && (password === "" || !msg.includes(password))) {
      throw new Error(`uses an algorithm this check cannot read (${msg}); re-export it, e.g. openssl pkcs12 -export -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg SHA256`);
    }
    throw new Error("could not be opened with certificate.password: the password is wrong (the PFX integrity check failed) or the file is damaged");
  }
  const certs: crypto.X509Certificate[] = [];
  const keys: crypto.KeyObject[] = [];
  for (const content of p12.safeContents) {
    for (const bag of content.safeBags) {
      const raw = bag as unknown as { cert?: Forge.pki.Certificate | null; key?: Forge.pki.PrivateKey | null; asn1?: Forge.asn1.Asn1 };
      if (bag.type === forge.pki.oids.certBag) {
        const asn1 = raw.cert ? forge.pki.certificateToAsn1(raw.cert) : raw.asn1;
        if (asn1) certs.push(new crypto.X509Certificate(Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary")));
      } else if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        // forge parses RSA keys only; other key types come back as their PrivateKeyInfo ASN.1.
        const info = raw.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(raw.key as Forge.pki.rsa.PrivateKey)) : raw.asn1;
        if (info) keys.push(crypto.createPrivateKey({ key: Buffer.from(forge.asn1.toDer(info).getBytes(), "binary"), format: "der", type: "pkcs8" }));
      }
    }
  }
  return { certs, keys };
}

/**
 * Checks a connector PFX against the seed's requirements. `now` decides validity. Errors are sentences that fit after
 * "certificate.pfxFile = <path>: ".
 */
export function checkPfx(pfx: Buffer, password: string, fqdn: string, now: Date, options: CheckOptions = {}): CertificateCheck {
  let opened: { certs: crypto.X509Certificate[]; keys: crypto.KeyObject[] };
  try {
    opened = openPfx(pfx, password);
  } catch (e) {
    return { errors: [(e as Error).message] };
  }
  const { certs, keys } = opened;
  if (certs.length === 0) return { errors: ["contains no certificate"] };
  if (keys.length === 0) return { errors: ["contains no private key: export the PFX with its private key"] };

  // The leaf is the certificate the private key belongs to.
  const leaf = certs.find((c) => keys.some((k) => c.checkPrivateKey(k)));
  if (!leaf) return { errors: ["its private key does not match any certificate in it"] };

  const errors: string[] = [];
  const warnings: string[] = [];
  const thumbprint = thumbprintOf(leaf.raw);
  const keyType = leaf.publicKey.asymmetricKeyType ?? "unknown";
  const keyBits = leaf.publicKey.asymmetricKeyDetails?.modulusLength;
  if (keyType === "ec") {
    errors.push(`The certificate '${thumbprint}' is an ECDSA certificate, which is currently not supported: the Teams Connector certificate must use RSA keys (request or export an RSA certificate)`);
  } else if (keyType !== "rsa") {
    errors.push(`The certificate '${thumbprint}' has a ${keyType} key: the Teams Connector certificate must use RSA keys`);
  } else if (keyBits !== undefined && keyBits < MIN_RSA_BITS) {
    warnings.push(`The certificate '${thumbprint}' has a ${keyBits}-bit RSA key; use at least ${MIN_RSA_BITS} bits.`);
  }

  // Node's keyUsage is the Extended Key Usage list (undefined when the extension is absent).
  const eku = leaf.keyUsage ?? [];
  const missing = (Object.entries(EKU) as [string, string][]).filter(([, oid]) => !eku.includes(oid)).map(([n, oid]) => `${n} (${oid})`);
  if (missing.length > 0) {
    errors.push(`its Enhanced Key Usage lacks ${missing.join(" and ")}: the Teams Connector and Pexip Infinity authenticate each other, so it needs both server and client authentication`);
  }

  const names = certificateNames(leaf);
  if (!names.some((n) => coversName(n, fqdn))) {
    errors.push(`its names (${names.join(", ") || "none"}) do not cover connectorFqdn ${fqdn} (RFC 6125: a wildcard matches exactly one left-most label)`);
  }

  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  if (now.getTime() < notBefore.getTime()) errors.push(`it is not valid yet (valid from ${notBefore.toISOString()})`);
  if (now.getTime() > notAfter.getTime()) errors.push(`it expired on ${notAfter.toISOString()}`);
  else {
    const days = Math.floor((notAfter.getTime() - now.getTime()) / 86400000);
    if (days < EXPIRY_WARNING_DAYS) warnings.push(`The certificate '${thumbprint}' expires in ${days} days (${notAfter.toISOString()}); renew it and update certificate.pfxFile.`);
  }

  // The seed requires a publicly-signed certificate with its intermediates in the PFX.
  if (issuedBy(leaf, leaf)) {
    if (!options.allowSelfSigned) {
      errors.push("it is self-signed: Microsoft Teams and Pexip Infinity only trust a publicly-signed certificate (for a lab stack, set certificate.selfSigned: true instead)");
    }
  } else {
    const issuer = certs.find((c) => c !== leaf && issuedBy(leaf, c));
    if (!issuer) {
      errors.push(`intermediate certificates missing from the PFX: the issuer of the certificate (${oneLine(leaf.issuer)}) is not in it; export the PFX with the full chain`);
    }
  }

  const subject = commonNames(leaf.subject)[0] ?? oneLine(leaf.subject);
  return {
    errors,
    info: {
      subject,
      issuer: oneLine(leaf.issuer),
      dnsNames: sanDnsNames(leaf.subjectAltName),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      thumbprint,
      keyType,
      keyBits,
      chain: certs.filter((c) => c !== leaf).map((c) => oneLine(c.subject)),
      warnings,
    },
  };
}
