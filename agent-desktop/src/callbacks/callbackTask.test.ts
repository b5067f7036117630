import { describe, expect, it } from "vitest";
import { callbackTaskBody, dueProblem, snoozePatch } from "./callbackTask.ts";

const now = new Date(2026, 2, 5, 12, 0).getTime();

describe("dueProblem", () => {
  it("accepts a time later today and the current minute", () => {
    expect(dueProblem({ date: "2026-03-05", time: "12:30" }, now)).toBeNull();
    expect(dueProblem({ date: "2026-03-05", time: "12:00" }, now)).toBeNull();
  });

  it("refuses a time already gone and a missing date or time", () => {
    expect(dueProblem({ date: "2026-03-05", time: "11:58" }, now)).toBe("inPast");
    expect(dueProblem({ date: "2026-03-04", time: "18:00" }, now)).toBe("inPast");
    expect(dueProblem({ date: "", time: "12:30" }, now)).toBe("required");
    expect(dueProblem({ date: "2026-03-05", time: "" }, now)).toBe("required");
  });
});

describe("callbackTaskBody", () => {
  it("reminds at the due time and sends no empty note", () => {
    const body = callbackTaskBody(
      { phone: "+79123456789", date: "2026-03-06", time: "09:15", note: "   " },
      { contactId: null, title: "Перезвонить: +7 (912) 345-67-89" },
    );
    const due = new Date(2026, 2, 6, 9, 15).toISOString();
    expect(body).toEqual({
      type: "callback",
      title: "Перезвонить: +7 (912) 345-67-89",
      description: null,
      dueAt: due,
      remindAt: due,
      phone: "+79123456789",
      contactId: null,
    });
  });
});

describe("snoozePatch", () => {
  const tenMinutesOn = new Date(now + 10 * 60_000).toISOString();

  it("moves only the reminder when the callback is due later than that", () => {
    const dueAt = new Date(now + 30 * 60_000).toISOString();
    expect(snoozePatch({ dueAt }, now)).toEqual({ remindAt: tenMinutesOn });
  });

  it("moves the due time too when it comes before the new reminder", () => {
    expect(snoozePatch({ dueAt: new Date(now).toISOString() }, now)).toEqual({
      remindAt: tenMinutesOn,
      dueAt: tenMinutesOn,
    });
  });

  it("moves only the reminder of a task without a due time", () => {
    expect(snoozePatch({ dueAt: null }, now)).toEqual({ remindAt: tenMinutesOn });
  });
});
