/** The application passwords' labels: which passwords exist, their logical names, their end dates (pure: no mocks). */
import { appPasswordEndDate, appPasswordEndDateProblem, appPasswordLabels, appPasswordResourceName } from "../components/appPassword";

describe("appPasswordEndDate", () => {
  test("date labels anchor the end date; others do not; impossible dates are refused", () => {
    expect(appPasswordEndDate("2026-11-15")).toBe("2028-11-15T00:00:00Z");
    expect(appPasswordEndDate("2026-02-rotation")).toBe("2028-02-01T00:00:00Z");
    expect(appPasswordEndDate("1")).toBeUndefined();
    expect(appPasswordEndDate("spring")).toBeUndefined();
    expect(() => appPasswordEndDate("2026-13")).toThrow(/not one/);
    expect(() => appPasswordEndDate("2026-02-30")).toThrow(/not one/);
    const now = new Date("2026-12-01T00:00:00Z");
    expect(appPasswordEndDateProblem("2027-01-10T00:00:00Z", now).warning).toMatch(/expires on 2027-01-10T00:00:00Z \(in 40 days\)/);
    expect(appPasswordEndDateProblem("2028-01-10T00:00:00Z", now)).toEqual({});
    expect(appPasswordEndDateProblem("2026-06-01T00:00:00Z", now).error).toMatch(/end date 2026-06-01T00:00:00Z is in the past: set appPasswordRotation to this month \(e.g. 2026-12\)/);
  });
});

describe("appPasswordLabels", () => {
  test("the current label, then the previous one while it is being retired; a previous equal to the current is one password", () => {
    expect(appPasswordLabels({ appPasswordRotation: "2026-11" })).toEqual(["2026-11"]);
    expect(appPasswordLabels({ appPasswordRotation: "2026-11", appPasswordPrevious: "1" })).toEqual(["2026-11", "1"]);
    expect(appPasswordLabels({ appPasswordRotation: "2026-11", appPasswordPrevious: "2026-11" })).toEqual(["2026-11"]);
  });
});

describe("appPasswordResourceName", () => {
  test("a slug of the label and a hash of it: stable per label, and a valid URN part for any label", () => {
    expect(appPasswordResourceName("bot", "1")).toBe("bot-password-1-6b86b2");
    expect(appPasswordResourceName("bot", "2026-11")).toBe("bot-password-2026-11-05e01b");
    expect(appPasswordResourceName("bot", "Spring Rotation 2027!")).toBe("bot-password-spring-rotation-2027-94e0b8");
    expect(appPasswordResourceName("bot", "!!!")).toBe("bot-password-x-e84c53");
    expect(appPasswordResourceName("bot", "a-very-long-label-that-goes-on-and-on")).toBe("bot-password-a-very-long-label-that-g-1c20d2");
  });
});
