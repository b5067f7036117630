import { describe, expect, it } from "vitest";
import { applyAgentPush, mergeBoard } from "./applyBoard.ts";
import { AGENT_ID, buildBoardCall, buildBoardItem } from "./testSupervisor.ts";

const pushOf = (over: object = {}) => {
  const { userId, fullName, extension, state, reason, note, since } = buildBoardItem();
  return { userId, fullName, extension, state, reason, note, since, ...over };
};

describe("applyAgentPush", () => {
  it("changes the agent's state and keeps their calls and counts", () => {
    const board = [buildBoardItem({ calls: [buildBoardCall()] })];
    const { items, isKnown } = applyAgentPush(
      board,
      pushOf({ state: "acw", since: "2026-03-05T13:05:00+03:00" }),
    );
    expect(isKnown).toBe(true);
    expect(items[0]).toMatchObject({ state: "acw", since: "2026-03-05T13:05:00+03:00", answeredToday: 7 });
    expect(items[0]?.calls).toHaveLength(1);
  });

  it("compares instants, not strings, when a push is older than the state shown", () => {
    // 09:55Z on the board; 12:54+03:00 is 09:54Z: older despite sorting after it as text.
    const board = [buildBoardItem()];
    const { items } = applyAgentPush(board, pushOf({ state: "offline", since: "2026-03-05T12:54:00+03:00" }));
    expect(items[0]?.state).toBe("available");
  });

  it("reports an agent the board does not list", () => {
    const { isKnown } = applyAgentPush([], pushOf());
    expect(isKnown).toBe(false);
  });
});

describe("mergeBoard", () => {
  it("takes the fresh calls and counts but keeps a state a push made newer", () => {
    const shown = [buildBoardItem({ state: "paused", reason: "break", since: "2026-03-05T10:01:00Z" })];
    const loaded = [
      buildBoardItem({ since: "2026-03-05T09:55:00Z", calls: [buildBoardCall()], answeredToday: 8 }),
      buildBoardItem({ userId: "2c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", fullName: "Козлов Иван" }),
    ];
    const merged = mergeBoard(shown, loaded);
    expect(merged.map((a) => a.userId)).toEqual([AGENT_ID, "2c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"]);
    expect(merged[0]).toMatchObject({ state: "paused", reason: "break", answeredToday: 8 });
    expect(merged[0]?.calls).toHaveLength(1);
  });
});
