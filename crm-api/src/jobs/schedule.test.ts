import { describe, expect, it } from "vitest";
import { dailyAt, runKey } from "./schedule.ts";

describe("dailyAt", () => {
  const nightly = dailyAt(3, 0, "Europe/Moscow");

  it("runs at 03:00 Moscow time, which is midnight UTC", () => {
    expect(nightly(new Date("2026-11-23T10:00:00Z")).toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(nightly(new Date("2026-11-23T23:59:59Z")).toISOString()).toBe("2026-11-24T00:00:00.000Z");
  });

  it("gives the next day's run when asked exactly at a run time, so a finished run never repeats itself", () => {
    expect(nightly(new Date("2026-11-24T00:00:00Z")).toISOString()).toBe("2026-11-25T00:00:00.000Z");
  });

  it("follows daylight saving time in zones that have it", () => {
    const noonBerlin = dailyAt(12, 0, "Europe/Berlin");
    expect(noonBerlin(new Date("2026-07-01T00:00:00Z")).toISOString()).toBe("2026-07-01T10:00:00.000Z");
    expect(noonBerlin(new Date("2026-12-01T00:00:00Z")).toISOString()).toBe("2026-12-01T11:00:00.000Z");
  });

  it("names each run by its time", () => {
    expect(runKey("duplicates.scan", new Date("2026-11-24T00:00:00Z"))).toBe(
      "duplicates.scan@2026-11-24T00:00:00.000Z",
    );
  });
});
