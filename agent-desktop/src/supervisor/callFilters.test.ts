import { describe, expect, it } from "vitest";
import { isRangeReversed, readFilters, toCallLogQuery, writeFilters } from "./callFilters.ts";

const AGENT = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

describe("call journal filters", () => {
  it("round-trips every filter through the URL in a fixed order", () => {
    const filters = {
      result: "missed" as const,
      direction: "in" as const,
      to: "2026-03-05",
      from: "2026-03-01",
      agentId: AGENT,
    };
    const url = writeFilters(filters).toString();
    expect(url).toBe(`agentId=${AGENT}&from=2026-03-01&to=2026-03-05&direction=in&result=missed`);
    expect(readFilters(new URLSearchParams(url))).toEqual(filters);
  });

  it("drops values a hand-edited link got wrong instead of sending them", () => {
    const search = new URLSearchParams(
      "agentId=42&from=2026-02-30&to=yesterday&direction=sideways&result=missed&sourceId=",
    );
    expect(readFilters(search)).toEqual({ result: "missed" });
  });

  it("turns the chosen days into the viewer's midnights, the last day included", () => {
    const query = toCallLogQuery({ from: "2026-03-01", to: "2026-03-05", direction: "out" }, 50);
    expect(Date.parse(query.get("from") ?? "")).toBe(new Date(2026, 2, 1).getTime());
    expect(Date.parse(query.get("to") ?? "")).toBe(new Date(2026, 2, 6).getTime());
    expect(query.get("direction")).toBe("out");
    expect(query.get("limit")).toBe("50");
    expect(query.has("cursor")).toBe(false);
  });

  it("asks for the next page with the cursor and the same filters", () => {
    const query = toCallLogQuery({ agentId: AGENT, result: "abandoned" }, 50, "opaque-cursor");
    expect(Object.fromEntries(query)).toEqual({
      limit: "50",
      cursor: "opaque-cursor",
      agentId: AGENT,
      result: "abandoned",
    });
  });

  it("notices a range whose end is before its start", () => {
    expect(isRangeReversed({ from: "2026-03-05", to: "2026-03-01" })).toBe(true);
    expect(isRangeReversed({ from: "2026-03-05", to: "2026-03-05" })).toBe(false);
    expect(isRangeReversed({ to: "2026-03-01" })).toBe(false);
  });
});
