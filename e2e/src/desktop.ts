import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build, preview } from "vite";
import type { PreviewServer } from "vite";
import { freePort } from "./freePort.ts";

const DESKTOP_DIR = fileURLToPath(new URL("../../agent-desktop/", import.meta.url));

/** Newest modification time under `dir` (the desktop's sources, shared contracts), in ms. */
async function newestChange(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const times = await Promise.all(
    entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath, e.name))).mtimeMs),
  );
  return Math.max(0, ...times);
}

/**
 * Builds agent-desktop/dist with its own vite.config.ts when it is missing (CI from a clean clone) or
 * older than the sources, so the journeys never test a stale bundle.
 */
export async function ensureDesktopBuilt(): Promise<void> {
  const index = `${DESKTOP_DIR}dist/index.html`;
  const sources = Math.max(
    await newestChange(`${DESKTOP_DIR}src`),
    await newestChange(fileURLToPath(new URL("../../contracts/src/", import.meta.url))),
  );
  if (!existsSync(index) || (await stat(index)).mtimeMs < sources) {
    // Vitest sets NODE_ENV=test, which would bundle React's development build (and StrictMode effects).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await build({
        root: DESKTOP_DIR,
        configFile: `${DESKTOP_DIR}vite.config.ts`,
        mode: "production",
        logLevel: "warn",
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  }
}

export interface DesktopServer {
  url: string;
  close: () => Promise<void>;
}

/**
 * Where the browser opens the desktop: crm-api itself when it serves the built app (production layout),
 * else Vite's preview server over dist/ proxying /api (and the socket) to crm-api.
 */
export async function serveDesktop(crmApiUrl: string): Promise<DesktopServer> {
  await ensureDesktopBuilt();
  const root = await fetch(`${crmApiUrl}/`).catch(() => undefined);
  if (root?.ok && (root.headers.get("content-type") ?? "").includes("text/html")) {
    return { url: crmApiUrl, close: async () => undefined };
  }
  const port = await freePort();
  const server: PreviewServer = await preview({
    root: DESKTOP_DIR,
    configFile: false,
    logLevel: "warn",
    preview: {
      host: "127.0.0.1",
      port,
      strictPort: true,
      proxy: {
        // Closing a page resets its socket; that is not an error worth printing.
        "/api/v1/ws": {
          target: crmApiUrl,
          ws: true,
          configure: (proxy) => proxy.on("error", () => undefined),
        },
        "/api": { target: crmApiUrl },
      },
    },
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => server.close(),
  };
}

/** Signs `login` in (session cookie in a fresh browser context) and opens the desktop. */
export async function openDesktop(browser: Browser, desktopUrl: string, login: string): Promise<Page> {
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 1400, height: 900 } });
  const response = await context.request.post(`${desktopUrl}/api/v1/auth/login`, {
    data: { login, password: "demo" },
  });
  if (!response.ok()) {
    throw new Error(`login ${login}: HTTP ${response.status()} ${await response.text()}`);
  }
  const page = await context.newPage();
  if (process.env.E2E_DEBUG) {
    page.on("console", (message) => process.stderr.write(`[${login}] ${message.text()}\n`));
    page.on("pageerror", (error) => process.stderr.write(`[${login}] page error: ${error.message}\n`));
  }
  await page.goto(desktopUrl);
  return page;
}
