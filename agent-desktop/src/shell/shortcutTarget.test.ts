import { describe, expect, it } from "vitest";
import { makeLine, type Line } from "../softphone/lines.ts";
import { shortcutTarget } from "./shortcutTarget.ts";

function line(id: string, patch: Partial<Line>): Line {
  return {
    ...makeLine({
      id,
      direction: "in",
      number: "+79123456789",
      displayName: undefined,
      pbxCallId: undefined,
      now: 0,
    }),
    ...patch,
  };
}

describe("shortcutTarget", () => {
  it("answers the ringing call, and does nothing without one", () => {
    const lines = [line("a", { status: "active" }), line("b", { status: "incoming" })];
    expect(shortcutTarget("answer", lines)).toEqual({ command: "answer", lineId: "b" });
    expect(shortcutTarget("answer", [line("a", { status: "active" })])).toBeNull();
  });

  it("hangs up the consult call before the held customer it is about", () => {
    const lines = [
      line("customer", { status: "held" }),
      line("consult", { status: "active", consultFor: "customer" }),
    ];
    expect(shortcutTarget("hangup", lines)).toEqual({ command: "hangup", lineId: "consult" });
  });

  it("declines a call ringing beside a held one rather than drop the held client", () => {
    const lines = [line("held", { status: "held" }), line("ringing", { status: "incoming" })];
    expect(shortcutTarget("hangup", lines)).toEqual({ command: "reject", lineId: "ringing" });
    expect(shortcutTarget("hangup", [line("held", { status: "held" })])).toEqual({
      command: "hangup",
      lineId: "held",
    });
  });

  it("hangs up a call still being dialled, and mutes only a call in progress", () => {
    expect(shortcutTarget("hangup", [line("out", { status: "dialing" })])).toEqual({
      command: "hangup",
      lineId: "out",
    });
    expect(shortcutTarget("mute", [line("out", { status: "dialing" })])).toBeNull();
    expect(shortcutTarget("hangup", [])).toBeNull();
  });
});
