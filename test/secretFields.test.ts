import { isSecretField, SECRET_FIELDS } from "../components/secretFields";
import { markSecrets } from "../policy/runner";
import { SECRET_SIG, SIG_KEY } from "../tools/engine/mocks";
import { collectSecrets } from "../tools/engine/mask";

describe("one list of secret-bearing fields, read by the plan and the policy runner", () => {
  test.each(SECRET_FIELDS.map((f) => [f]))("%s is masked by the policy runner inside a secret value", (field) => {
    const v = { p: { [SIG_KEY]: SECRET_SIG, value: { [field]: "s3cret-material", name: "visible" } } };
    expect(markSecrets(v)).toEqual({ p: { [field]: "[secret]", name: "visible" } });
  });

  test.each(SECRET_FIELDS.map((f) => [f]))("%s is collected as a secret by the plan's masking", (field) => {
    const out = new Set<string>();
    collectSecrets({ [field]: "s3cret-material", name: "visible" }, out);
    expect([...out]).toEqual(["s3cret-material"]);
  });

  test("type-specific fields: a Key Vault secret's value, but not every value", () => {
    expect(isSecretField("value", "azure-native:keyvault:Secret")).toBe(true);
    expect(isSecretField("value", "azure-native:network:NetworkSecurityGroup")).toBe(false);
    // Every API version of the type (issue 15), and the azuread password's `value`.
    expect(isSecretField("value", "azure-native:keyvault/v20230701:Secret")).toBe(true);
    expect(isSecretField("value", "azuread:index/applicationPassword:ApplicationPassword")).toBe(true);
    expect(isSecretField("ADMINPASSWORD")).toBe(true);
    expect(isSecretField("adminUsername")).toBe(false);
  });
});
