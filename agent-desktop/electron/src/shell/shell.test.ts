import { describe, expect, it } from "vitest";
import { formatElapsed, trayView } from "./agentTray.ts";
import { readShellConfig } from "./config.ts";
import { AgentStateMessage } from "./ipc.ts";
import { decideNavigation, grantPermission } from "./permissions.ts";
import { DEFAULT_SHORTCUTS, parseShortcuts, registerShortcuts, type GlobalShortcutApi } from "./shortcuts.ts";

const APP = "http://127.0.0.1:8080";

describe("tray", () => {
  it("shows the state, the pause reason and a running timer", () => {
    const state = AgentStateMessage.parse({
      state: "paused",
      reason: "Обед",
      since: "2026-11-23T10:00:00.000Z",
    });
    const view = trayView(state, new Date("2026-11-23T10:05:07.000Z"));
    expect(view.icon).toBe("tray-paused");
    expect(view.tooltip).toBe("Окно — Пауза — Обед · 5:07");
    expect(view.items[0]).toEqual({ label: "Пауза — Обед · 5:07", enabled: false });
    const checked = view.items.filter((i) => i.checked).map((i) => i.label);
    expect(checked).toEqual(["Пауза: Обед"]);
  });

  it("offers every state change as a request to crm-api, and says when a call is on", () => {
    const view = trayView(
      AgentStateMessage.parse({ state: "available", since: "2026-11-23T09:00:00Z", onCall: true }),
      new Date("2026-11-23T10:02:03Z"),
    );
    expect(view.tooltip).toBe("Окно — Доступен · 1:02:03 · идёт звонок");
    expect(view.items.flatMap((i) => (i.request ? [i.request] : []))).toEqual([
      { state: "available" },
      { state: "paused", reason: "Обед" },
      { state: "paused", reason: "Перерыв" },
      { state: "paused", reason: "Обучение" },
      { state: "paused", reason: "Другое" },
      { state: "offline" },
    ]);
  });

  it("is offline before the app has reported anything", () => {
    const view = trayView(null, new Date());
    expect(view.icon).toBe("tray-offline");
    expect(view.tooltip).toBe("Окно — Не в сети");
  });

  it("never shows a negative timer when clocks disagree", () => {
    expect(formatElapsed(-5000)).toBe("0:00");
  });

  it("rejects a state message from the page that is not one of ours", () => {
    expect(AgentStateMessage.safeParse({ state: "busy", since: "2026-11-23T09:00:00Z" }).success).toBe(false);
    expect(AgentStateMessage.safeParse({ state: "available", since: "вчера" }).success).toBe(false);
  });
});

describe("global shortcuts", () => {
  it("keeps the defaults and applies valid overrides", () => {
    const { shortcuts, problems } = parseShortcuts("answer=Ctrl+Shift+F9");
    expect(problems).toEqual([]);
    expect(shortcuts).toEqual({ ...DEFAULT_SHORTCUTS, answer: "Ctrl+Shift+F9" });
  });

  it("reports every bad override at once", () => {
    const { problems } = parseShortcuts("answer=F9,hangup=Hyper+X,dance=Ctrl+D,mute=Ctrl+Alt+A");
    expect(problems).toEqual([
      "answer: needs at least one modifier (Ctrl, Alt, Shift…)",
      'hangup: unknown modifier "Hyper"',
      "dance: unknown action (expected answer, hangup, mute)",
    ]);
  });

  it("refuses two actions on one combination", () => {
    const { problems } = parseShortcuts("mute=CommandOrControl+Alt+A");
    expect(problems).toEqual(["mute: same shortcut as answer"]);
  });

  it("registers each action and names those another program holds", () => {
    const registered = new Map<string, () => void>();
    const api: GlobalShortcutApi = {
      register: (accelerator, callback) => {
        if (accelerator === DEFAULT_SHORTCUTS.mute) {
          return false;
        }
        registered.set(accelerator, callback);
        return true;
      },
      unregisterAll: () => registered.clear(),
    };
    const pressed: string[] = [];
    const taken = registerShortcuts(api, DEFAULT_SHORTCUTS, (action) => pressed.push(action));
    expect(taken).toEqual(["mute"]);
    registered.get(DEFAULT_SHORTCUTS.answer)?.();
    registered.get(DEFAULT_SHORTCUTS.hangup)?.();
    expect(pressed).toEqual(["answer", "hangup"]);
  });
});

describe("permissions and navigation", () => {
  it("grants the app's own page the microphone and notifications only", () => {
    expect(grantPermission("media", `${APP}/calls`, APP, ["audio"])).toBe(true);
    expect(grantPermission("notifications", `${APP}/`, APP)).toBe(true);
    expect(grantPermission("media", `${APP}/`, APP, ["audio", "video"])).toBe(false);
    expect(grantPermission("geolocation", `${APP}/`, APP)).toBe(false);
    expect(grantPermission("media", "https://evil.example/", APP, ["audio"])).toBe(false);
  });

  it("keeps the window on the app and sends other links to the system browser", () => {
    expect(decideNavigation(`${APP}/contacts/1`, APP)).toBe("stay");
    expect(decideNavigation("https://yandex.ru/maps", APP)).toBe("external");
    expect(decideNavigation("tel:+74951234567", APP)).toBe("external");
    expect(decideNavigation("file:///etc/passwd", APP)).toBe("deny");
    expect(decideNavigation("javascript:alert(1)", APP)).toBe("deny");
    expect(decideNavigation("not a url", APP)).toBe("deny");
  });
});

describe("configuration", () => {
  it("defaults to the local server", () => {
    expect(readShellConfig({}).appUrl).toBe(APP);
  });

  it("names every bad variable", () => {
    expect(() => readShellConfig({ OKNO_URL: "ftp://x", OKNO_SHORTCUTS: "answer=F1" })).toThrow(
      /OKNO_URL: must be http\(s\), got ftp:\nOKNO_SHORTCUTS: answer: needs at least one modifier/,
    );
  });
});
