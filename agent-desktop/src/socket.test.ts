import { PROTOCOL_VERSION } from "@okno/contracts";
import { beforeEach, describe, expect, it } from "vitest";
import { useCalls } from "./calls/callStore.ts";
import { buildPush } from "./calls/testCalls.ts";
import { useChanges } from "./changes.ts";
import { handleServerMessage, nextDelay, useConnection } from "./socket.ts";

const USER = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

beforeEach(() => {
  useCalls.setState({ cards: [] });
  useConnection.setState({ needsReload: false });
  useChanges.setState({ versions: {} });
});

describe("handleServerMessage", () => {
  it("pops the card of a `call` message", () => {
    handleServerMessage(JSON.stringify({ type: "call", call: buildPush() }), 0);
    expect(useCalls.getState().cards[0]?.callId).toBe("ast1:1700000000.12");
  });

  it("asks for a reload when crm-api speaks another protocol version", () => {
    handleServerMessage(
      JSON.stringify({ type: "hello", protocolVersion: PROTOCOL_VERSION, userId: USER }),
      0,
    );
    expect(useConnection.getState().needsReload).toBe(false);
    handleServerMessage(
      JSON.stringify({ type: "hello", protocolVersion: PROTOCOL_VERSION + 1, userId: USER }),
      0,
    );
    expect(useConnection.getState().needsReload).toBe(true);
  });

  it("counts entity changes so open lists refetch", () => {
    const changed = {
      type: "entity.changed",
      entity: "tasks",
      id: USER,
      action: "updated",
      at: "2026-03-05T10:00:00+03:00",
    };
    handleServerMessage(JSON.stringify(changed), 0);
    handleServerMessage(JSON.stringify(changed), 0);
    expect(useChanges.getState().versions.tasks).toBe(2);
  });

  it("drops frames that are not JSON or not a known message", () => {
    handleServerMessage("{not json", 0);
    handleServerMessage(JSON.stringify({ type: "call", call: { callId: 1 } }), 0);
    expect(useCalls.getState().cards).toEqual([]);
  });
});

describe("nextDelay", () => {
  it("doubles from one second up to thirty, never below half of it", () => {
    expect(nextDelay(0, () => 1)).toBe(1000);
    expect(nextDelay(3, () => 1)).toBe(8000);
    expect(nextDelay(10, () => 1)).toBe(30_000);
    expect(nextDelay(10, () => 0)).toBe(15_000);
  });
});
