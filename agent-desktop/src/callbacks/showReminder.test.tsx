import { Notifications, notifications } from "@mantine/notifications";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "../agent/testFetch.ts";
import { handleServerMessage } from "../socket.ts";
import { useSoftphone } from "../softphone/softphoneStore.ts";
import { renderWithProviders } from "../ui/renderWithProviders.tsx";
import { buildReminder, buildTask, TASK_ID } from "./testCallbacks.ts";

const NOW = new Date("2026-03-05T11:30:00Z");

function pushReminder(reminder = buildReminder()) {
  handleServerMessage(JSON.stringify({ type: "task.reminder", reminder }), 0);
}

/** The popup as an agent finds it: the region named after the task. */
async function findPopup(title = "Перезвонить: Иванова Мария Петровна") {
  return within(await screen.findByRole("group", { name: `Напоминание: ${title}` }));
}

/** A browser Notification that records what the page showed. */
class FakeNotification {
  static permission: NotificationPermission = "granted";
  static shown: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
  close() {
    this.closed = true;
  }
}

function setHidden(hidden: boolean) {
  Object.defineProperty(document, "hidden", { value: hidden, configurable: true });
}

beforeEach(() => {
  renderWithProviders(<Notifications />);
  FakeNotification.shown = [];
  vi.stubGlobal("Notification", FakeNotification);
});

afterEach(() => {
  notifications.clean();
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  Reflect.deleteProperty(document, "hidden");
  Reflect.deleteProperty(window, "oknoShell");
});

describe("task.reminder", () => {
  it("pops the client's name, the task's number and the note, and «Позвонить» dials that number", async () => {
    const dial = vi.fn(async () => undefined);
    useSoftphone.setState({ registration: { status: "registered", attempts: 0, reason: undefined }, dial });
    stubFetch(() => undefined);
    pushReminder(buildReminder({ phone: "+79031234567" }));
    const popup = await findPopup();
    expect(popup.getByText("Иванова Мария Петровна")).toBeTruthy();
    expect(popup.getByText("+7 (903) 123-45-67")).toBeTruthy();
    expect(popup.getByText("Уточнить размеры кухни")).toBeTruthy();
    expect(screen.getByText("Пора перезвонить")).toBeTruthy();
    expect(screen.getByTestId("callback-reminder").getAttribute("data-task-id")).toBe(TASK_ID);
    fireEvent.click(popup.getByRole("button", { name: "Позвонить" }));
    await waitFor(() => expect(dial).toHaveBeenCalledWith("+79031234567"));
    await waitFor(() => expect(screen.queryByTestId("callback-reminder")).toBeNull());
  });

  it("dials the contact's first number when the task has none", async () => {
    const dial = vi.fn(async () => undefined);
    useSoftphone.setState({ registration: { status: "registered", attempts: 0, reason: undefined }, dial });
    pushReminder({ ...buildReminder({ phone: null, type: "task", title: "Отправить договор" }) });
    const popup = await findPopup("Отправить договор");
    expect(screen.getByText("Напоминание: Отправить договор")).toBeTruthy();
    fireEvent.click(popup.getByRole("button", { name: "Позвонить" }));
    await waitFor(() => expect(dial).toHaveBeenCalledWith("+79123456789"));
  });

  it("«Отложить» moves the reminder ten minutes on, and the due time with it when it has come", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    const later = "2026-03-05T11:40:00.000Z";
    const calls = stubFetch(({ method }) =>
      method === "PATCH" ? { body: buildTask({ remindAt: later, dueAt: later }) } : undefined,
    );
    pushReminder(buildReminder({ dueAt: "2026-03-05T11:30:00Z", remindAt: "2026-03-05T11:30:00Z" }));
    const popup = await findPopup();
    fireEvent.click(popup.getByRole("button", { name: "Отложить" }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual({
      method: "PATCH",
      url: `/api/v1/tasks/${TASK_ID}`,
      body: { remindAt: later, dueAt: later },
    });
    await waitFor(() => expect(screen.queryByTestId("callback-reminder")).toBeNull());
    expect(screen.getByText(/^Напомню в \d\d:40$/)).toBeTruthy();
  });

  it("keeps the popup when crm-api refuses the snooze", async () => {
    stubFetch(() => ({ status: 500, body: { error: { code: "internal", message: "boom" } } }));
    pushReminder();
    const popup = await findPopup();
    fireEvent.click(popup.getByRole("button", { name: "Отложить" }));
    await waitFor(() =>
      expect(popup.getByRole("button", { name: "Отложить" }).hasAttribute("disabled")).toBe(false),
    );
    expect(screen.getByTestId("callback-reminder")).toBeTruthy();
  });

  it("also shows an OS notification while the tab is hidden, whose click brings the app forward", async () => {
    setHidden(true);
    const focus = vi.spyOn(window, "focus").mockImplementation(() => undefined);
    pushReminder();
    await findPopup();
    expect(FakeNotification.shown).toHaveLength(1);
    const shown = FakeNotification.shown[0]!;
    expect(shown.title).toBe("Пора перезвонить: Иванова Мария Петровна");
    expect(shown.options.body).toContain("+7 (912) 345-67-89");
    expect(shown.options.requireInteraction).toBe(true);
    shown.onclick?.();
    expect(focus).toHaveBeenCalled();
    expect(shown.closed).toBe(true);
  });

  it("shows no OS notification while the agent looks at the tab, nor without permission", async () => {
    pushReminder();
    await findPopup();
    setHidden(true);
    FakeNotification.permission = "denied";
    pushReminder(buildReminder({ id: "7b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e" }));
    await waitFor(() => expect(screen.getAllByTestId("callback-reminder")).toHaveLength(2));
    FakeNotification.permission = "granted";
    expect(FakeNotification.shown).toEqual([]);
  });

  it("goes through the Electron shell instead when the window lacks focus", async () => {
    const notify = vi.fn();
    Object.assign(window, {
      oknoShell: { notify, setAgentState: vi.fn(), onShortcut: vi.fn(), onRequestState: vi.fn() },
    });
    vi.spyOn(document, "hasFocus").mockReturnValue(false);
    setHidden(true);
    pushReminder();
    await findPopup();
    expect(notify).toHaveBeenCalledWith({
      title: "Пора перезвонить: Иванова Мария Петровна",
      body: "+7 (912) 345-67-89\nПерезвонить: Иванова Мария Петровна\nУточнить размеры кухни",
      urgent: true,
    });
    expect(FakeNotification.shown).toEqual([]);
  });
});
