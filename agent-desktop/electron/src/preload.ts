import { contextBridge, ipcRenderer } from "electron";
import { IPC, ShortcutAction, RequestStateMessage } from "./shell/ipc.ts";

/*
 * The whole surface the web app sees as `window.oknoShell`: it exists only inside the shell, so the app
 * checks for it and works the same in a browser tab without it.
 */
contextBridge.exposeInMainWorld("oknoShell", {
  setAgentState: (message: unknown) => ipcRenderer.send(IPC.agentState, message),
  notify: (message: unknown) => ipcRenderer.send(IPC.notify, message),
  onShortcut: (listener: (action: ShortcutAction) => void) => {
    ipcRenderer.on(IPC.shortcut, (_event, action: unknown) => {
      const parsed = ShortcutAction.safeParse(action);
      if (parsed.success) {
        listener(parsed.data);
      }
    });
  },
  onRequestState: (listener: (request: RequestStateMessage) => void) => {
    ipcRenderer.on(IPC.requestState, (_event, request: unknown) => {
      const parsed = RequestStateMessage.safeParse(request);
      if (parsed.success) {
        listener(parsed.data);
      }
    });
  },
});
