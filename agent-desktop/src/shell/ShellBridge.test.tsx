import type { AgentState } from "@okno/contracts";
import { cleanup, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useAgentState } from "../agent/agentStore.ts";
import { stubFetch } from "../agent/testFetch.ts";
import { useCalls } from "../calls/callStore.ts";
import { buildPush } from "../calls/testCalls.ts";
import { makeLine, type Line } from "../softphone/lines.ts";
import { useSoftphone } from "../softphone/softphoneStore.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import {
  getOknoShell,
  type AgentStateMessage,
  type RequestStateMessage,
  type ShortcutAction,
} from "./oknoShell.ts";
import { ShellBridge } from "./ShellBridge.tsx";

const USER = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const available: AgentState = {
  userId: USER,
  state: "available",
  reason: null,
  note: null,
  since: "2026-03-05T10:00:00+03:00",
};
const atLunch: AgentState = {
  ...available,
  state: "paused",
  reason: "lunch",
  since: "2026-03-05T13:00:00+03:00",
};

/** window.oknoShell as the preload exposes it, recording what the app sends and letting a test press keys. */
function installShell() {
  const shortcutListeners: ((action: ShortcutAction) => void)[] = [];
  const requestListeners: ((request: RequestStateMessage) => void)[] = [];
  const shell = {
    setAgentState: vi.fn<(message: AgentStateMessage) => void>(),
    notify: vi.fn(),
    onShortcut: (listener: (action: ShortcutAction) => void) => shortcutListeners.push(listener),
    onRequestState: (listener: (request: RequestStateMessage) => void) => requestListeners.push(listener),
  };
  Object.assign(window, { oknoShell: shell });
  return {
    shell,
    press: (action: ShortcutAction) => shortcutListeners.forEach((listener) => listener(action)),
    pick: (request: RequestStateMessage) => requestListeners.forEach((listener) => listener(request)),
  };
}

const lastState = (shell: ReturnType<typeof installShell>["shell"]) => shell.setAgentState.mock.lastCall?.[0];

/** Mounts the bridge and waits until it has connected (the wiring is a chunk of its own): the tray hears the state. */
async function mount(shell: ReturnType<typeof installShell>["shell"]) {
  const view = renderWithProviders(<ShellBridge />);
  await waitFor(() => expect(shell.setAgentState).toHaveBeenCalled());
  return view;
}

function line(patch: Partial<Line>): Line {
  return {
    ...makeLine({
      id: "line-1",
      direction: "in",
      number: "+79123456789",
      displayName: undefined,
      pbxCallId: undefined,
      now: 0,
    }),
    ...patch,
  };
}

beforeEach(() => {
  useAgentState.setState({ current: available, pbxError: null, busy: false });
  useCalls.setState({ cards: [] });
  useSoftphone.setState({
    lines: [],
    registration: { status: "registered", attempts: 0, reason: undefined },
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  Reflect.deleteProperty(window, "oknoShell");
  Reflect.deleteProperty(document, "hidden");
});

describe("getOknoShell", () => {
  it("is null in a plain browser and for a shell that lacks part of the API", () => {
    expect(getOknoShell()).toBeNull();
    Object.assign(window, { oknoShell: { notify: () => undefined } });
    expect(getOknoShell()).toBeNull();
  });

  it("returns the shell's API inside Electron", () => {
    const { shell } = installShell();
    expect(getOknoShell()).toBe(shell);
  });
});

describe("ShellBridge", () => {
  it("does nothing in a plain browser", () => {
    expect(() => renderWithProviders(<ShellBridge />)).not.toThrow();
  });

  it("shows the agent's state in the tray, with the pause reason in the tray's words and the call on", async () => {
    const { shell } = installShell();
    await mount(shell);
    expect(lastState(shell)).toEqual({ state: "available", since: available.since, onCall: false });
    useAgentState.setState({ current: atLunch });
    expect(lastState(shell)).toEqual({
      state: "paused",
      reason: "Обед",
      since: atLunch.since,
      onCall: false,
    });
    useAgentState.setState({ pbxError: "queue unreachable" });
    expect(shell.setAgentState).toHaveBeenCalledTimes(2);
    useCalls.getState().receive(buildPush());
    expect(lastState(shell)).toMatchObject({ state: "paused", onCall: true });
  });

  it("asks crm-api for the state picked in the tray, then tells the tray the state crm-api set", async () => {
    const { shell, pick } = installShell();
    const calls = stubFetch(({ method }) =>
      method === "PUT"
        ? {
            body: {
              ...available,
              state: "paused",
              reason: "break",
              since: "2026-03-05T14:00:00+03:00",
              pbx: null,
            },
          }
        : undefined,
    );
    await mount(shell);
    pick({ state: "paused", reason: "Перерыв" });
    await waitFor(() => expect(lastState(shell)).toMatchObject({ state: "paused", reason: "Перерыв" }));
    expect(calls).toEqual([
      { method: "PUT", url: "/api/v1/agents/me/state", body: { state: "paused", reason: "break" } },
    ]);
  });

  it("answers with the state that stands when crm-api refuses the change", async () => {
    const { shell, pick } = installShell();
    stubFetch(() => ({ status: 503, body: { error: { code: "unavailable", message: "try later" } } }));
    await mount(shell);
    expect(shell.setAgentState).toHaveBeenCalledTimes(1);
    pick({ state: "offline" });
    await waitFor(() => expect(shell.setAgentState).toHaveBeenCalledTimes(2));
    expect(lastState(shell)).toEqual({ state: "available", since: available.since, onCall: false });
  });

  it("answers, hangs up and mutes on the softphone from the global shortcuts", async () => {
    const { shell, press } = installShell();
    const answer = vi.fn(async () => undefined);
    const hangup = vi.fn(async () => undefined);
    const toggleMute = vi.fn();
    useSoftphone.setState({ lines: [line({})], answer, hangup, toggleMute });
    await mount(shell);
    press("answer");
    await waitFor(() => expect(answer).toHaveBeenCalledWith("line-1"));
    useSoftphone.setState({ lines: [line({ id: "line-2", status: "active" })] });
    press("mute");
    await waitFor(() => expect(toggleMute).toHaveBeenCalledWith("line-2"));
    press("hangup");
    await waitFor(() => expect(hangup).toHaveBeenCalledWith("line-2"));
  });

  it("raises an OS notification for an incoming call while the window lacks focus, once per call", async () => {
    const { shell } = installShell();
    const hasFocus = vi.spyOn(document, "hasFocus").mockReturnValue(false);
    await mount(shell);
    useCalls.getState().receive(buildPush());
    useCalls.getState().receive(buildPush({ state: "answered", answeredAt: "2026-03-05T10:00:05+03:00" }));
    expect(shell.notify).toHaveBeenCalledTimes(1);
    expect(shell.notify).toHaveBeenCalledWith({
      title: "Входящий звонок",
      body: "Иванова Мария Петровна",
      urgent: true,
    });
    hasFocus.mockReturnValue(true);
    useCalls.getState().receive(buildPush({ callId: "ast1:1700000000.99" }));
    expect(shell.notify).toHaveBeenCalledTimes(1);
  });

  it("leaves a hidden window's call to the registered softphone's own notification", async () => {
    const { shell } = installShell();
    vi.spyOn(document, "hasFocus").mockReturnValue(false);
    Object.defineProperty(document, "hidden", { value: true, configurable: true });
    vi.stubGlobal("Notification", { permission: "granted" });
    await mount(shell);
    useCalls.getState().receive(buildPush());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(shell.notify).not.toHaveBeenCalled();
    // Without a registered softphone (a desk phone on Asterisk) only the shell can tell the agent.
    useSoftphone.setState({ registration: { status: "offline", attempts: 0, reason: undefined } });
    useCalls.getState().receive(buildPush({ callId: "ast1:1700000000.99" }));
    await waitFor(() => expect(shell.notify).toHaveBeenCalledTimes(1));
  });

  it("tells the tray the agent is offline after logout, and ignores shortcuts then", async () => {
    const { shell, press } = installShell();
    const answer = vi.fn(async () => undefined);
    useSoftphone.setState({ lines: [line({})], answer });
    const view = await mount(shell);
    view.unmount();
    expect(lastState(shell)).toMatchObject({ state: "offline", onCall: false });
    press("answer");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answer).not.toHaveBeenCalled();
  });
});
