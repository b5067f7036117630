import { describe, expect, it } from "vitest";
import type { Line } from "./lines.ts";
import {
  applySessionState,
  focusedLine,
  hasFreeLine,
  linesToHold,
  makeLine,
  removeLine,
  sipfragStatus,
  updateLine,
} from "./lines.ts";

const incoming = (id: string, now = 1): Line =>
  makeLine({ id, direction: "in", number: "89123456789", displayName: undefined, pbxCallId: undefined, now });
const outgoing = (id: string, consultFor?: string): Line =>
  makeLine({
    id,
    direction: "out",
    number: "102",
    displayName: undefined,
    pbxCallId: undefined,
    consultFor,
    now: 2,
  });

describe("lines", () => {
  it("rings, then talks from the moment the session is established", () => {
    const lines = applySessionState([incoming("a")], "a", "Established", 500);
    expect(lines[0]).toMatchObject({ status: "active", answeredAt: 500 });
  });

  it("keeps a held line held when a re-INVITE re-establishes nothing new", () => {
    const held = updateLine(applySessionState([incoming("a")], "a", "Established", 5), "a", {
      status: "held",
    });
    expect(applySessionState(held, "a", "Established", 9)[0]?.status).toBe("held");
  });

  it("rejects a third call but takes a second one (call waiting)", () => {
    expect(hasFreeLine([incoming("a")])).toBe(true);
    expect(hasFreeLine([incoming("a"), outgoing("b")])).toBe(false);
    expect(hasFreeLine([incoming("a"), { ...outgoing("b"), status: "ended" }])).toBe(true);
  });

  it("holds the talking line before answering the waiting one", () => {
    const lines = [{ ...incoming("a"), status: "active" as const }, incoming("b", 3)];
    expect(linesToHold(lines, "b").map((line) => line.id)).toEqual(["a"]);
    expect(linesToHold(lines, "a")).toEqual([]);
  });

  it("shows the ringing call first, then the one being talked on", () => {
    const talking = { ...incoming("a"), status: "active" as const };
    expect(focusedLine([talking, incoming("b", 9)])?.id).toBe("b");
    expect(focusedLine([{ ...outgoing("c"), status: "held" as const }, talking])?.id).toBe("a");
    expect(focusedLine([])).toBeUndefined();
  });

  it("turns a consult call into an ordinary one when the customer's line goes away", () => {
    const lines = removeLine([incoming("a"), outgoing("b", "a")], "a");
    expect(lines).toHaveLength(1);
    expect(lines[0]?.consultFor).toBeUndefined();
  });
});

describe("sipfragStatus", () => {
  it("reads the status line of a REFER progress NOTIFY", () => {
    expect(sipfragStatus("SIP/2.0 200 OK\r\n")).toBe(200);
    expect(sipfragStatus("SIP/2.0 100 Trying")).toBe(100);
    expect(sipfragStatus("SIP/2.0 486 Busy Here")).toBe(486);
    expect(sipfragStatus("garbage")).toBeUndefined();
  });
});
