import { defineConfig } from "vitest/config";

// One config for the whole repository; each workspace is a project so `vitest --project crm-api` works.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "contracts", include: ["contracts/src/**/*.test.ts"] } },
      { test: { name: "db", include: ["db/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 } },
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
    ],
  },
});
