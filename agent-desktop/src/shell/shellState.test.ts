import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n/i18n.ts";
import { toAgentStatePut, toShellState } from "./shellState.ts";

const since = "2026-03-05T13:00:00+03:00";
const userId = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

afterEach(() => setLanguage("ru"));

describe("toAgentStatePut", () => {
  it("reads the tray's Russian pause labels, English ones and crm-api's codes", () => {
    expect(toAgentStatePut({ state: "paused", reason: "Обед" })).toEqual({
      state: "paused",
      reason: "lunch",
    });
    expect(toAgentStatePut({ state: "paused", reason: "Training" })).toEqual({
      state: "paused",
      reason: "training",
    });
    expect(toAgentStatePut({ state: "paused", reason: "break" })).toEqual({
      state: "paused",
      reason: "break",
    });
  });

  it("keeps a pause label it does not know as the note of «Другое»", () => {
    expect(toAgentStatePut({ state: "paused", reason: "Совещание" })).toEqual({
      state: "paused",
      reason: "other",
      note: "Совещание",
    });
    expect(toAgentStatePut({ state: "paused" })).toEqual({ state: "paused", reason: "other" });
  });

  it("passes available and offline as they are, and asks nothing for after-call work", () => {
    expect(toAgentStatePut({ state: "available" })).toEqual({ state: "available" });
    expect(toAgentStatePut({ state: "offline" })).toEqual({ state: "offline" });
    expect(toAgentStatePut({ state: "acw" })).toBeNull();
  });
});

describe("toShellState", () => {
  it("sends the tray its Russian label even when the app is in English", () => {
    setLanguage("en");
    expect(toShellState({ userId, state: "paused", reason: "break", note: null, since }, false)).toEqual({
      state: "paused",
      reason: "Перерыв",
      since,
      onCall: false,
    });
  });

  it("is null until the app knows the state", () => {
    expect(toShellState(null, true)).toBeNull();
  });
});
