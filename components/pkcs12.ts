/**
 * PKCS#12 (PFX) writing with Node's crypto, DER-encoded with node-forge's ASN.1 module (RFC 7292, RFC 8018).
 * Two bag encryptions: the legacy pbeWithSHAAnd3-KeyTripleDES-CBC that every Windows Server imports, and PBES2
 * (PBKDF2-HMAC-SHA256 + AES-256-CBC, OpenSSL 3's default). Salts and IVs come from the caller's `random`, so the
 * same inputs can give the same bytes (a re-run must not make a new Key Vault secret version).
 */
import * as crypto from "crypto";
import type * as Forge from "node-forge";

/** Bag encryption scheme: `3des` (PKCS#12 PBE, SHA-1 MAC) or `aes256` (PBES2, SHA-256 MAC). */
export type PfxScheme = "3des" | "aes256";

export interface PfxInput {
  /** DER certificates, the one the key belongs to first. */
  certs: Buffer[];
  /** The private key (RSA or EC). */
  key: crypto.KeyObject;
  /** Password for bag encryption and the MAC; "" allowed. */
  password: string;
  /** Default `3des`. */
  scheme?: PfxScheme;
  /** KDF and MAC iteration count; default 2048 (OpenSSL's). */
  iterations?: number;
  /** Source of salts and IVs; default crypto.randomBytes. */
  random?: (n: number) => Buffer;
  /** friendlyName attribute on the leaf and its key, when set. */
  friendlyName?: string;
}

/** OIDs used below (RFC 7292, RFC 8018, NIST). */
const OID = {
  data: "1.2.840.113549.1.7.1",
  encryptedData: "1.2.840.113549.1.7.6",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509Certificate: "1.2.840.113549.1.9.22.1",
  localKeyId: "1.2.840.113549.1.9.21",
  friendlyName: "1.2.840.113549.1.9.20",
  pbeSha1TripleDes: "1.2.840.113549.1.12.1.3",
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  hmacSha256: "1.2.840.113549.2.9",
  aes256Cbc: "2.16.840.1.101.3.4.1.42",
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
} as const;

function asn1Lib(): typeof Forge.asn1 {
  // Only forge's ASN.1 module: the writer needs no PKI, ciphers or PRNG of forge's.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("node-forge/lib/asn1");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("node-forge/lib/forge") as typeof Forge).asn1;
}

/** The password as a BMPString with its two-byte terminator (RFC 7292 B.1); no password at all is empty. */
export function bmpPassword(password: string | null | undefined): Buffer {
  if (password === null || password === undefined) return Buffer.alloc(0);
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/** RFC 7292 appendix B.2 key derivation (id 1 key, 2 IV, 3 MAC key) with Node's hashes. */
export function pkcs12Kdf(password: string | null | undefined, salt: Buffer, id: number, iter: number, n: number, digest = "sha1"): Buffer {
  const u = crypto.createHash(digest).digest().length;
  const v = digest === "sha384" || digest === "sha512" ? 128 : 64;
  const pass = bmpPassword(password);
  const repeat = (b: Buffer, len: number) => {
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = b[i % b.length];
    return out;
  };
  const D = Buffer.alloc(v, id);
  let I = Buffer.concat([repeat(salt, v * Math.ceil(salt.length / v)), repeat(pass, v * Math.ceil(pass.length / v))]);
  const out: Buffer[] = [];
  for (let i = 0; i < Math.ceil(n / u); i++) {
    let a = crypto.hash(digest, Buffer.concat([D, I]), "buffer");
    for (let r = 1; r < iter; r++) a = crypto.hash(digest, a, "buffer");
    out.push(a);
    const B = repeat(a, v);
    const next = Buffer.alloc(I.length);
    for (let j = 0; j < I.length; j += v) {
      // I_j = (I_j + B + 1) mod 2^(8v), big-endian
      let x = 0x1ff;
      for (let l = v - 1; l >= 0; l--) {
        x = (x >> 8) + B[l] + I[j + l];
        next[j + l] = x & 0xff;
      }
    }
    I = next;
  }
  return Buffer.concat(out).subarray(0, n);
}

/** Builds a PFX. Throws only on a broken key or certificate (programming errors, not user input). */
export function buildPfx(input: PfxInput): Buffer {
  const A = asn1Lib();
  const U = A.Class.UNIVERSAL;
  const T = A.Type;
  const bin = (b: Buffer) => b.toString("binary");
  const seq = (...v: Forge.asn1.Asn1[]) => A.create(U, T.SEQUENCE, true, v);
  const set = (...v: Forge.asn1.Asn1[]) => A.create(U, T.SET, true, v);
  const oid = (o: string) => A.create(U, T.OID, false, A.oidToDer(o).getBytes());
  const octets = (b: Buffer) => A.create(U, T.OCTETSTRING, false, bin(b));
  const int = (n: number) => A.create(U, T.INTEGER, false, A.integerToDer(n).getBytes());
  const nul = () => A.create(U, T.NULL, false, "");
  const bmp = (s: string) => A.create(U, T.BMPSTRING, false, bin(bmpPassword(s).subarray(0, s.length * 2)));
  const explicit0 = (v: Forge.asn1.Asn1) => A.create(A.Class.CONTEXT_SPECIFIC, 0, true, [v]);
  const der = (a: Forge.asn1.Asn1) => Buffer.from(A.toDer(a).getBytes(), "binary");

  const scheme = input.scheme ?? "3des";
  const iterations = input.iterations ?? 2048;
  const random = input.random ?? crypto.randomBytes;
  const { password } = input;

  /** Encrypts with the chosen scheme; returns its AlgorithmIdentifier and the ciphertext. */
  const encrypt = (plain: Buffer): { alg: Forge.asn1.Asn1; data: Buffer } => {
    const salt = random(scheme === "aes256" ? 16 : 8);
    if (scheme === "aes256") {
      // RFC 8018: PBKDF2 takes the password as UTF-8 octets.
      const key = crypto.pbkdf2Sync(Buffer.from(password, "utf8"), salt, iterations, 32, "sha256");
      const iv = random(16);
      const c = crypto.createCipheriv("aes-256-cbc", key, iv);
      const alg = seq(oid(OID.pbes2), seq(
        seq(oid(OID.pbkdf2), seq(octets(salt), int(iterations), seq(oid(OID.hmacSha256), nul()))),
        seq(oid(OID.aes256Cbc), octets(iv)),
      ));
      return { alg, data: Buffer.concat([c.update(plain), c.final()]) };
    }
    const key = pkcs12Kdf(password, salt, 1, iterations, 24);
    const iv = pkcs12Kdf(password, salt, 2, iterations, 8);
    const c = crypto.createCipheriv("des-ede3-cbc", key, iv);
    return { alg: seq(oid(OID.pbeSha1TripleDes), seq(octets(salt), int(iterations))), data: Buffer.concat([c.update(plain), c.final()]) };
  };

  const localKeyId = crypto.createHash("sha1").update(input.certs[0]).digest();
  const attrs = [seq(oid(OID.localKeyId), set(octets(localKeyId)))];
  if (input.friendlyName) attrs.push(seq(oid(OID.friendlyName), set(bmp(input.friendlyName))));

  const certBags = input.certs.map((c, i) => {
    const bag = [oid(OID.certBag), explicit0(seq(oid(OID.x509Certificate), explicit0(octets(c))))];
    return seq(...bag, ...(i === 0 ? [set(...attrs)] : []));
  });
  const certsEnc = encrypt(der(seq(...certBags)));
  const certsInfo = seq(oid(OID.encryptedData), explicit0(seq(int(0), seq(
    oid(OID.data), certsEnc.alg, A.create(A.Class.CONTEXT_SPECIFIC, 0, false, bin(certsEnc.data)),
  ))));

  const keyEnc = encrypt(input.key.export({ type: "pkcs8", format: "der" }));
  const keyBag = seq(oid(OID.shroudedKeyBag), explicit0(seq(keyEnc.alg, octets(keyEnc.data))), set(...attrs));
  const keyInfo = seq(oid(OID.data), explicit0(octets(der(seq(keyBag)))));

  const authSafe = der(seq(certsInfo, keyInfo));
  const macDigest = scheme === "aes256" ? "sha256" : "sha1";
  const macSalt = random(scheme === "aes256" ? 16 : 8);
  const macKey = pkcs12Kdf(password, macSalt, 3, iterations, macDigest === "sha256" ? 32 : 20, macDigest);
  const mac = crypto.createHmac(macDigest, macKey).update(authSafe).digest();
  return der(seq(
    int(3),
    seq(oid(OID.data), explicit0(octets(authSafe))),
    seq(seq(seq(oid(macDigest === "sha256" ? OID.sha256 : OID.sha1), nul()), octets(mac)), octets(macSalt), int(iterations)),
  ));
}

/** A `random` for buildPfx that gives the same bytes for the same seed: SHA-256(seed || counter) blocks. */
export function seededRandom(seed: Buffer): (n: number) => Buffer {
  let counter = 0;
  return (n: number) => {
    const blocks: Buffer[] = [];
    let len = 0;
    while (len < n) {
      const block = crypto.createHash("sha256").update(seed).update(String(counter++)).digest();
      blocks.push(block);
      len += block.length;
    }
    return Buffer.concat(blocks).subarray(0, n);
  };
}
