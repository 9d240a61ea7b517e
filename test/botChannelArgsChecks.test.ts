/** BotChannel's Args invariants, as a plain function (no mocks). */
import { checkBotChannelArgs } from "../components/botChannelArgsChecks";

describe("checkBotChannelArgs", () => {
  const ok = { botName: "pexipTeamsBot", appPasswordRotation: "1", connectorFqdn: "pexip-teamsconn-eu.teams.example.com" };
  test("valid arguments pass", () => {
    expect(checkBotChannelArgs(ok)).toEqual([]);
  });
  test("an invalid bot name is refused", () => {
    expect(checkBotChannelArgs({ ...ok, botName: "-bad name" })).toEqual([
      'botName "-bad name" must be 2-64 characters: letters, digits, _ . -, starting with a letter or digit',
    ]);
  });
  test("a label that starts like a date but is not one is refused; the expiry is the config phase's (no clock here)", () => {
    expect(checkBotChannelArgs({ ...ok, appPasswordRotation: "2026-13" })).toEqual(['appPasswordRotation "2026-13" starts like a date but is not one (use YYYY-MM or YYYY-MM-DD)']);
    expect(checkBotChannelArgs({ ...ok, appPasswordRotation: "2000-01" })).toEqual([]);
  });
  test("the previous label is checked too, and every problem is reported at once", () => {
    expect(checkBotChannelArgs({ ...ok, connectorFqdn: "Pexip.Example.com", appPasswordPrevious: "2026-02-30" })).toEqual([
      'connectorFqdn "Pexip.Example.com" must be a lower-case FQDN',
      'appPasswordPrevious "2026-02-30" starts like a date but is not one (use YYYY-MM or YYYY-MM-DD)',
    ]);
  });
});
