import { describe, expect, it } from "vitest";
import type { RegistrationEvent, RegistrationState } from "./registration.ts";
import { applyRegistrationEvent, initialRegistration, nextReconnectDelay } from "./registration.ts";

const run = (events: RegistrationEvent[], from: RegistrationState = initialRegistration) =>
  events.reduce(applyRegistrationEvent, from);

describe("registration state", () => {
  it("shows registered after start and a 200 to REGISTER", () => {
    expect(run([{ type: "start" }, { type: "registered" }]).status).toBe("registered");
  });

  it("says reconnecting after a network drop, counts retries and clears them once registered again", () => {
    const dropped = run([
      { type: "start" },
      { type: "registered" },
      { type: "transportLost", reason: "WebSocket closed" },
    ]);
    expect(dropped).toEqual({ status: "reconnecting", attempts: 0, reason: "WebSocket closed" });
    const retried = run([{ type: "retrying" }, { type: "retrying" }], dropped);
    expect(retried.attempts).toBe(2);
    expect(run([{ type: "registered" }], retried)).toEqual({
      status: "registered",
      attempts: 0,
      reason: undefined,
    });
  });

  it("stays failed on rejected credentials instead of retrying them", () => {
    const failed = run([{ type: "start" }, { type: "rejected", reason: "403 Forbidden" }]);
    expect(failed.status).toBe("failed");
    expect(run([{ type: "transportLost", reason: "closed" }], failed).status).toBe("failed");
  });

  it("does not report a drop after the agent switched the phone off", () => {
    const off = run([{ type: "start" }, { type: "registered" }, { type: "stop" }]);
    expect(run([{ type: "transportLost", reason: "closed" }], off).status).toBe("offline");
  });

  it("re-registers when the registrar lets the binding lapse", () => {
    expect(run([{ type: "start" }, { type: "registered" }, { type: "unregistered" }]).status).toBe(
      "reconnecting",
    );
  });
});

describe("nextReconnectDelay", () => {
  it("backs off from 1 s to at most 30 s", () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(nextReconnectDelay)).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });
});
