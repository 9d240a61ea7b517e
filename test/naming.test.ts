import {
  BOT_NAME_PATTERN, computerNamePrefix, deriveNames, EVENT_HUB_NAMESPACE_PATTERN, KEY_VAULT_NAME_PATTERN, packageBlobName, relativeRecordName, STORAGE_ACCOUNT_NAME_PATTERN,
} from "../components/naming";

describe("derived names follow the seed's patterns", () => {
  const n = deriveNames("pexip", "eu");

  test("resource groups", () => {
    expect(n.staticResourceGroup).toBe("pexip-TeamsConn-eu-static-RG");
    expect(n.resourceGroup).toBe("pexip-TeamsConn-eu-RG");
    expect(n.botResourceGroup).toBe("pexip-TeamsBotChan-RG");
  });

  test("app, bot, scale set and consent app", () => {
    expect(n.appDisplayName).toBe("pexipTeamsConn");
    expect(n.defaultBotName).toBe("pexipTeamsBot");
    expect(n.vmss).toBe("pexipeu");
    expect(n.consentApp("abcde")).toBe("pexip-pexip-cvi-abcde");
  });

  test("global names", () => {
    expect(n.keyVault("x1y2z")).toBe("pexipeu-kvx1y2z");
    expect(n.storageAccount("x1y2z")).toBe("pexipeulogsx1y2z");
    expect(n.packagesStorageAccount("x1y2z")).toBe("pexipeupkgx1y2z");
    expect(n.eventHubNamespace("x1y2z")).toBe("pexipeu-evh-x1y2z");
  });
});

describe("global names stay within Azure's limits at the extremes of baseName + regionCode (3-14 chars)", () => {
  const extremes: [string, string][] = [["a", "bc"], ["abcdefghi", "jklmn"], ["z9", "z"], ["abcdefghi", "0"]];
  test.each(extremes)("%s + %s", (base, region) => {
    const n = deriveNames(base, region);
    expect(n.keyVault("a1b2c")).toMatch(KEY_VAULT_NAME_PATTERN);
    expect(n.storageAccount("a1b2c")).toMatch(STORAGE_ACCOUNT_NAME_PATTERN);
    expect(n.packagesStorageAccount("a1b2c")).toMatch(STORAGE_ACCOUNT_NAME_PATTERN);
    // Two accounts from one suffix: the names must differ.
    expect(n.packagesStorageAccount("a1b2c")).not.toBe(n.storageAccount("a1b2c"));
    expect(n.eventHubNamespace("a1b2c")).toMatch(EVENT_HUB_NAMESPACE_PATTERN);
    expect(n.defaultBotName).toMatch(BOT_NAME_PATTERN);
  });

  test("the patterns reject what Azure rejects", () => {
    expect("ab").not.toMatch(KEY_VAULT_NAME_PATTERN);
    expect("a".repeat(25)).not.toMatch(KEY_VAULT_NAME_PATTERN);
    expect("a--b").not.toMatch(KEY_VAULT_NAME_PATTERN);
    expect("ab-").not.toMatch(KEY_VAULT_NAME_PATTERN);
    expect("a".repeat(25)).not.toMatch(STORAGE_ACCOUNT_NAME_PATTERN);
    expect("Abc").not.toMatch(STORAGE_ACCOUNT_NAME_PATTERN);
    expect("abcde").not.toMatch(EVENT_HUB_NAMESPACE_PATTERN);
    expect("abcdef-").not.toMatch(EVENT_HUB_NAMESPACE_PATTERN);
  });
});

describe("names of the scale set's instances and blobs", () => {
  test("the computer name prefix keeps 9 characters: with the 6 Azure appends, a Windows host name of at most 15", () => {
    expect(computerNamePrefix("pexipeu")).toBe("pexipeu");
    expect(computerNamePrefix("abcdefghijklmn")).toBe("abcdefghi");
    expect(computerNamePrefix("abcdefghijklmn").length + 6).toBe(15);
  });

  test("the connector package's blob is named by its version", () => {
    expect(packageBlobName("26.2")).toBe("teams-connector-26.2.zip");
    expect(packageBlobName("26.3")).toBe("teams-connector-26.3.zip");
  });
});

describe("relativeRecordName: the connector's A record in its Azure DNS zone", () => {
  test("the labels before the zone, case-folded; the zone's apex is @; a trailing dot on the zone is ignored", () => {
    expect(relativeRecordName("pexip-teamsconn-eu.teams.example.com", "teams.example.com")).toBe("pexip-teamsconn-eu");
    expect(relativeRecordName("A.B.Teams.Example.com", "teams.example.com.")).toBe("a.b");
    expect(relativeRecordName("teams.example.com", "Teams.Example.com")).toBe("@");
  });

  test("an FQDN outside the zone is refused, naming both (a suffix that is not a whole label is outside)", () => {
    expect(() => relativeRecordName("a.example.org", "example.com")).toThrow("connectorFqdn a.example.org is not in the DNS zone example.com");
    expect(() => relativeRecordName("a.myteams.example.com", "teams.example.com")).toThrow("connectorFqdn a.myteams.example.com is not in the DNS zone teams.example.com");
  });
});
