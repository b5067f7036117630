import { canNotify } from "../softphone/callNotification.ts";
import { getOknoShell } from "./oknoShell.ts";

export interface OutsideNotice {
  title: string;
  body: string;
  /** Same tag, same OS notification: a repeated reminder replaces the earlier one. */
  tag: string;
}

/**
 * An OS notification for something the agent must not miss while looking elsewhere. In the Electron shell
 * it goes through the shell whenever the window lacks focus (the agent types in 1C beside it), and the
 * browser's own Notification is not used there so it is not shown twice. In a browser tab it is the
 * Notification API, only while the tab is hidden, and only with the permission already granted. A click
 * brings the app forward. Returns whether a notification went out.
 */
export function notifyOutside(notice: OutsideNotice): boolean {
  const shell = getOknoShell();
  if (shell) {
    if (document.hasFocus()) {
      return false;
    }
    shell.notify({ title: notice.title, body: notice.body, urgent: true });
    return true;
  }
  if (!document.hidden || !canNotify() || Notification.permission !== "granted") {
    return false;
  }
  const notification = new Notification(notice.title, {
    body: notice.body,
    tag: notice.tag,
    requireInteraction: true,
  });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
  return true;
}
