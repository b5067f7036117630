import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";

/** Debian's Chromium (apt-get install chromium); playwright-core never downloads a browser here. */
export const CHROMIUM_BIN = "/usr/bin/chromium";

/**
 * Headless Chromium with fake microphones that are granted without a prompt. Loopback ICE candidates
 * are ignored unless allowed (shared/research/telephony.md §11, gotcha 2); media then flows browser to
 * browser over 127.0.0.1 with no relay.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: [
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      "--allow-loopback-in-peer-connection",
      "--autoplay-policy=no-user-gesture-required",
      // CI runs as root, where Chromium's sandbox cannot start.
      "--no-sandbox",
    ],
  });
}
