import { describe, expect, it } from "vitest";
import { diffRecords } from "./recordAudit.ts";

describe("diffRecords", () => {
  it("keeps only changed fields with before and after, ignoring bookkeeping", () => {
    expect(
      diffRecords(
        { id: "1", firstName: "Иван", phones: [{ phone: "+79120000000" }], updatedAt: "a", note: null },
        { id: "1", firstName: "Иван", phones: [{ phone: "+79120000001" }], updatedAt: "b", note: "VIP" },
      ),
    ).toEqual({
      phones: { before: [{ phone: "+79120000000" }], after: [{ phone: "+79120000001" }] },
      note: { before: null, after: "VIP" },
    });
  });

  it("lists each custom field as its own change", () => {
    expect(
      diffRecords(
        { firstName: "Иван", fields: { segment: "b2b", vip: false } },
        { firstName: "Иван", fields: { segment: "b2c", vip: false, region: "Москва" } },
      ),
    ).toEqual({
      "fields.segment": { before: "b2b", after: "b2c" },
      "fields.region": { before: null, after: "Москва" },
    });
  });

  it("records every field of a created or deleted record", () => {
    expect(diffRecords(null, { firstName: "Анна" })).toEqual({ firstName: { before: null, after: "Анна" } });
    expect(diffRecords({ firstName: "Анна" }, null)).toEqual({ firstName: { before: "Анна", after: null } });
  });
});
