/**
 * components/pkcs12: the PFX files it writes open in OpenSSL (Node's tls.createSecureContext reads PKCS#12 with it),
 * in both schemes, for RSA and EC keys, with ASCII and non-ASCII passwords; a wrong password is refused.
 */
import * as crypto from "crypto";
import * as tls from "tls";
import * as forge from "node-forge";
import { buildPfx, pkcs12Kdf, seededRandom } from "../components/pkcs12";
import { ecKey, makeCert, NOW, DAY, rsaKey } from "./fixtures/certificates";

const validity = { notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + 90 * DAY) };

describe.each([
  ["rsa", () => rsaKey()],
  ["ec", () => ecKey()],
])("buildPfx with an %s key", (_kind, key) => {
  const cert = makeCert({ cn: "pfx.example.com", dns: ["pfx.example.com"], key: key(), ...validity });
  const der = new crypto.X509Certificate(cert).raw;

  it.each([
    ["3des", "Corr3ct-horse!"],
    ["aes256", "Corr3ct-horse!"],
    ["aes256", "Pässwörd-ü€"],
    ["3des", ""],
  ] as const)("%s with password %j opens in OpenSSL and holds the key and certificate", (scheme, password) => {
    const pfx = buildPfx({ certs: [der], key: key(), password, scheme, iterations: 3 });
    const ctx = tls.createSecureContext({ pfx, passphrase: password });
    expect(ctx).toBeDefined();
    expect(() => tls.createSecureContext({ pfx, passphrase: password + "x" })).toThrow();
  });
});

describe("determinism and the KDF", () => {
  it("the same seed gives the same bytes; another seed other bytes", () => {
    const key = rsaKey();
    const der = new crypto.X509Certificate(makeCert({ cn: "d.example.com", key, ...validity })).raw;
    const build = (seed: string) => buildPfx({ certs: [der], key, password: "pw", random: seededRandom(Buffer.from(seed)) }).toString("base64");
    expect(build("a")).toBe(build("a"));
    expect(build("a")).not.toBe(build("b"));
  });

  it("RFC 7292 B.2 key derivation matches a published vector (BouncyCastle's PKCS12 test: 'smeg', id 1, 1 round)", () => {
    // Vector from BouncyCastle PKCS12Test / pyca: password "smeg", salt 0A58CF64530D823F, id 1, 1 iteration, 24 bytes.
    const out = pkcs12Kdf("smeg", Buffer.from("0A58CF64530D823F", "hex"), 1, 1, 24);
    expect(out.toString("hex").toUpperCase()).toBe("8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3");
  });
});

describe("pkcs12Kdf against forge's own pure-JS derivation (an independent implementation)", () => {
  type Kdf = (password: string | null, salt: forge.util.ByteStringBuffer, id: number, iter: number, n: number, md?: forge.md.MessageDigest) => forge.util.ByteStringBuffer;
  const forgeKdf = (forge.pki as unknown as { pbe: { generatePkcs12Key: Kdf } }).pbe.generatePkcs12Key;

  it("gives forge's bytes for every password form, salt length, purpose id, length and digest", () => {
    let cases = 0;
    for (const md of [undefined, "sha1", "sha256", "sha512"] as const) {
      for (const password of [null, "", "pw", "pässwörd-𝄞", "x".repeat(70)]) {
        for (const saltLength of [0, 8, 20, 65]) {
          for (const id of [1, 2, 3]) {
            for (const n of [8, 24, 50]) {
              const salt = crypto.createHash("sha512").update(`${saltLength}/${id}/${n}`).digest().subarray(0, saltLength);
              const expected = forgeKdf(password, forge.util.createBuffer(salt.toString("binary")), id, 3, n, md ? forge.md[md].create() : undefined);
              expect(pkcs12Kdf(password, salt, id, 3, n, md ?? "sha1").toString("hex")).toBe(expected.toHex());
              cases++;
            }
          }
        }
      }
    }
    expect(cases).toBe(720);
  });
});
