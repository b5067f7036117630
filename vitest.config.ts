import { defineConfig } from "vitest/config";

// One config for the whole repository; each workspace is a project so `vitest --project crm-api` works.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "contracts", include: ["contracts/src/**/*.test.ts"] } },
      { test: { name: "scripts-kb", include: ["scripts-kb/src/**/*.test.ts"] } },
      { test: { name: "db", include: ["db/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 } },
      {
        // Component tests render into happy-dom; pure modules run there too at no cost.
        test: {
          name: "agent-desktop",
          include: ["agent-desktop/src/**/*.test.{ts,tsx}"],
          environment: "happy-dom",
        },
      },
      // The Electron shell's main-process logic, tested without the Electron binary.
      { test: { name: "electron-shell", include: ["agent-desktop/electron/src/**/*.test.ts"] } },
      { test: { name: "cti-bridge", include: ["cti-bridge/src/**/*.test.ts"], testTimeout: 30_000 } },
      {
        test: {
          name: "crm-api",
          include: ["crm-api/src/**/*.test.ts"],
          // Each test file migrates its own database; PGlite start-up and migrations take a moment.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // Browser journeys: Debian's Chromium + Kamailio + crm-api, started by the tests themselves.
          name: "e2e",
          include: ["e2e/journeys/**/*.test.ts", "e2e/reliability/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
