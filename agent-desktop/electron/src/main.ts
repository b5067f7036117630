import {
  app,
  BrowserWindow,
  globalShortcut,
  ipcMain,
  Menu,
  Notification,
  shell,
  Tray,
  nativeImage,
} from "electron";
import path from "node:path";
import { trayView } from "./shell/agentTray.ts";
import { readShellConfig } from "./shell/config.ts";
import { AgentStateMessage, IPC, NotifyMessage } from "./shell/ipc.ts";
import { decideNavigation, grantPermission } from "./shell/permissions.ts";
import { registerShortcuts } from "./shell/shortcuts.ts";

/*
 * Wiring only: every decision lives in ./shell (tested without Electron). Bundled by esbuild, because a
 * sandboxed preload cannot require local files. The window shows the agent desktop served by the Okno
 * server; the shell adds what a browser tab cannot: a tray with the agent state, global shortcuts, and
 * notifications that do not depend on the tab being open.
 */

const config = readShellConfig(process.env);
let window: BrowserWindow | null = null;
let tray: Tray | null = null;
let agent: AgentStateMessage | null = null;

function icon(name: string) {
  return nativeImage.createFromPath(path.join(import.meta.dirname, "..", "icons", `${name}.png`));
}

function refreshTray(): void {
  if (!tray) {
    return;
  }
  const view = trayView(agent, new Date());
  tray.setImage(icon(view.icon));
  tray.setToolTip(view.tooltip);
  const template = view.items.map((item) =>
    item.separator
      ? { type: "separator" as const }
      : {
          label: item.label,
          enabled: item.enabled ?? true,
          type: item.checked === undefined ? ("normal" as const) : ("radio" as const),
          checked: item.checked ?? false,
          click: () => {
            if (item.request) {
              window?.webContents.send(IPC.requestState, item.request);
            } else if (item.command === "show") {
              window?.show();
            } else if (item.command === "quit") {
              app.quit();
            }
          },
        },
  );
  tray.setContextMenu(Menu.buildFromTemplate(template));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: "Окно",
    webPreferences: {
      preload: path.join(import.meta.dirname, "preload.cjs"),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  win.webContents.session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const media = "mediaTypes" in details ? (details.mediaTypes ?? []) : [];
    callback(grantPermission(permission, contents.getURL(), config.appUrl, media));
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (decideNavigation(url, config.appUrl) === "external") {
      void shell.openExternal(url);
    }
    return { action: "deny" };
  });
  win.webContents.on("will-navigate", (event, url) => {
    const decision = decideNavigation(url, config.appUrl);
    if (decision !== "stay") {
      event.preventDefault();
      if (decision === "external") {
        void shell.openExternal(url);
      }
    }
  });
  // Closing the window hides it: calls keep ringing in the tray until the agent quits.
  win.on("close", (event) => {
    if (!quitting) {
      event.preventDefault();
      win.hide();
    }
  });
  void win.loadURL(config.appUrl);
  return win;
}

let quitting = false;
app.on("before-quit", () => {
  quitting = true;
});

await app.whenReady();
window = createWindow();
tray = new Tray(icon("tray-offline"));
tray.on("click", () => window?.show());
refreshTray();
setInterval(refreshTray, 1000);

const taken = registerShortcuts(globalShortcut, config.shortcuts, (action) =>
  window?.webContents.send(IPC.shortcut, action),
);
if (taken.length > 0) {
  new Notification({
    title: "Окно",
    body: `Сочетания клавиш заняты другой программой: ${taken.join(", ")}`,
  }).show();
}

ipcMain.on(IPC.agentState, (_event, payload: unknown) => {
  const parsed = AgentStateMessage.safeParse(payload);
  if (parsed.success) {
    agent = parsed.data;
    refreshTray();
  }
});

ipcMain.on(IPC.notify, (_event, payload: unknown) => {
  const parsed = NotifyMessage.safeParse(payload);
  if (!parsed.success) {
    return;
  }
  const note = new Notification({
    title: parsed.data.title,
    body: parsed.data.body,
    urgency: parsed.data.urgent ? "critical" : "normal",
    timeoutType: parsed.data.urgent ? "never" : "default",
  });
  note.on("click", () => {
    window?.show();
    window?.focus();
  });
  note.show();
});

app.on("will-quit", () => globalShortcut.unregisterAll());
