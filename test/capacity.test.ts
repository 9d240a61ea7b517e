/** Who owns the scale set's instance count (pure: no mocks). */
import { capacityIgnoreChanges } from "../components/capacity";

test("capacityIgnoreChanges: Pexip Infinity's count is left alone after creation; Pulumi's is managed", () => {
  expect(capacityIgnoreChanges("infinity")).toEqual(["sku.capacity"]);
  expect(capacityIgnoreChanges("pulumi")).toEqual([]);
});
