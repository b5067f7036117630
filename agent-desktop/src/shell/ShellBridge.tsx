import { useEffect } from "react";
import { getOknoShell } from "./oknoShell.ts";

/**
 * Mounted with the signed-in layout: inside the Electron shell it connects the tray, the global shortcuts
 * and OS notifications to the app; in a browser it does nothing (and never downloads the wiring).
 */
export function ShellBridge() {
  useEffect(() => {
    const shell = getOknoShell();
    if (!shell) {
      return undefined;
    }
    let disconnect: (() => void) | undefined;
    let isUnmounted = false;
    void import("./connectShell.ts").then(({ connectShell }) => {
      if (!isUnmounted) {
        disconnect = connectShell(shell);
      }
    });
    return () => {
      isUnmounted = true;
      disconnect?.();
    };
  }, []);
  return null;
}
