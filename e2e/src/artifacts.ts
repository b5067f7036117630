import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

/** e2e/artifacts/ (gitignored): screenshots of the key screens, kept by CI as test artifacts. */
export const ARTIFACTS_DIR = fileURLToPath(new URL("../artifacts/", import.meta.url));

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS_DIR}${name}.png`, fullPage: true });
}
