/** The one format of the connector certificate's Key Vault secret, as plain functions (no mocks). */
import { parseVaultCertificateValue, RAW_PKCS12_CONTENT_TYPE, vaultCertificateSecretProperties, vaultCertificateValue } from "../components/vaultCertificate";

test("the compute API's envelope: base64 of UTF-8 JSON {data, dataType: pfx, password}, in that order", () => {
  const value = vaultCertificateValue("UEZY", "pässword");
  expect(Buffer.from(value, "base64").toString("utf8")).toBe('{"data":"UEZY","dataType":"pfx","password":"pässword"}');
  expect(parseVaultCertificateValue(value)).toEqual({ data: "UEZY", dataType: "pfx", password: "pässword" });
});

test("the secret carries the envelope and no content type (application/x-pkcs12 would claim a raw, password-less PFX)", () => {
  expect(vaultCertificateSecretProperties("v")).toEqual({ value: "v" });
  expect(RAW_PKCS12_CONTENT_TYPE).toBe("application/x-pkcs12");
});

test("a raw PFX or other text is not an envelope", () => {
  expect(parseVaultCertificateValue(Buffer.from([0x30, 0x82, 0x01]).toString("base64"))).toBeUndefined();
  expect(parseVaultCertificateValue(Buffer.from('{"data":"x","dataType":"pem","password":""}').toString("base64"))).toBeUndefined();
});
