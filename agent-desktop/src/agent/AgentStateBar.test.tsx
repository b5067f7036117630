import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useAuth } from "../auth/authStore.ts";
import { handleServerMessage } from "../socket.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { useAgentState } from "./agentStore.ts";
import { AgentStateBar } from "./AgentStateBar.tsx";
import { stubFetch } from "./testFetch.ts";

const ME = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const NOW = Date.parse("2026-03-05T10:00:00Z");
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const state = (over: object = {}) => ({
  userId: ME,
  state: "available",
  reason: null,
  note: null,
  since: ago(65),
  ...over,
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
  vi.setSystemTime(NOW);
  useAgentState.setState({ current: null, pbxError: null, busy: false });
  useAuth.setState({ status: "signedIn", me: { id: ME } as never });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("AgentStateBar", () => {
  it("shows the state with a timer that keeps running", async () => {
    stubFetch(() => ({ body: state() }));
    renderWithProviders(<AgentStateBar />);
    expect(await screen.findByText("Доступен")).toBeTruthy();
    expect(screen.getByTestId("agent-state-timer").textContent).toBe("1:05");
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(screen.getByTestId("agent-state-timer").textContent).toBe("1:08");
  });

  it("pauses for lunch through the API and warns when the PBX did not apply it", async () => {
    const calls = stubFetch(({ method }) =>
      method === "PUT"
        ? {
            body: {
              ...state({ state: "paused", reason: "lunch", since: ago(0) }),
              pbx: { applied: false, error: "queue member not found" },
            },
          }
        : { body: state() },
    );
    renderWithProviders(<AgentStateBar />);
    fireEvent.click(await screen.findByRole("button", { name: /Сменить статус: Доступен/ }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Обед" }));
    await waitFor(() => expect(screen.getByText("Пауза: Обед")).toBeTruthy());
    expect(calls.at(-1)).toEqual({
      method: "PUT",
      url: "/api/v1/agents/me/state",
      body: { state: "paused", reason: "lunch" },
    });
    expect(screen.getByTestId("agent-state-timer").textContent).toBe("0:00");
    expect(screen.getByRole("img", { name: "АТС не применила статус: queue member not found" })).toBeTruthy();
  });

  it("follows an agent.state push (the ACW timeout, another tab) and ignores other agents'", async () => {
    stubFetch(() => ({ body: state() }));
    renderWithProviders(<AgentStateBar />);
    await screen.findByText("Доступен");
    const push = (over: object) =>
      act(() =>
        handleServerMessage(
          JSON.stringify({
            type: "agent.state",
            agent: { ...state(over), fullName: "Петрова Анна", extension: "101" },
          }),
          0,
        ),
      );
    push({ userId: "2c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", state: "offline", since: ago(1) });
    expect(screen.getByText("Доступен")).toBeTruthy();
    push({ state: "acw", since: ago(10) });
    expect(screen.getByText("После звонка")).toBeTruthy();
    expect(screen.getByTestId("agent-state-timer").textContent).toBe("0:10");
  });
});
