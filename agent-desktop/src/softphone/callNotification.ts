/**
 * An OS notification for a call that rings while the tab is in the background (another tab, minimised
 * window). Clicking it brings the desktop forward; it closes itself when the call is answered or ends.
 */
const open = new Map<string, Notification>();

export function canNotify(): boolean {
  return typeof Notification !== "undefined";
}

/** Asks once; browsers remember the answer. Called from a click (the softphone switch) where possible. */
export async function askNotificationPermission(): Promise<void> {
  if (canNotify() && Notification.permission === "default") {
    await Notification.requestPermission().catch(() => undefined);
  }
}

export function notifyIncomingCall(lineId: string, title: string, body: string): void {
  if (!canNotify() || Notification.permission !== "granted" || !document.hidden) {
    return;
  }
  const notification = new Notification(title, {
    body,
    tag: `okno-call-${lineId}`,
    requireInteraction: true,
  });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
  open.set(lineId, notification);
}

export function closeCallNotification(lineId: string): void {
  open.get(lineId)?.close();
  open.delete(lineId);
}
