// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "data/**",
      "coverage/**",
      "bench/.cache/**",
      // The Electron shell's wiring needs Electron's types, installed only in that folder (its own
      // `npm run typecheck`); its logic in electron/src/shell is linted and tested here.
      "agent-desktop/electron/src/main.ts",
      "agent-desktop/electron/src/preload.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: "error",
      curly: "error",
      "no-console": "error",
      // Fastify plugins and handlers are async by contract even when they await nothing.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Matchers such as expect.any() are typed any; row fixtures in tests are loosely typed on purpose.
    files: ["**/*.test.ts", "**/test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
    },
  },
  {
    // Workspace boundaries: only @okno/contracts crosses them (STYLE.md, "Sharing types").
    files: ["contracts/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@okno/*", "../../*"], message: "contracts imports nothing of ours" }] },
      ],
    },
  },
  {
    // scripts-kb is pure and shared (crm-api and agent-desktop import it): contracts only, no I/O.
    files: ["scripts-kb/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@okno/*", "!@okno/contracts", "../../*"],
              message: "scripts-kb imports only contracts",
            },
            { group: ["node:*", "knex", "pg", "fastify"], message: "scripts-kb does no I/O" },
          ],
        },
      ],
    },
  },
  {
    // The agent desktop runs in a browser and talks to crm-api over HTTP: of ours it imports only the
    // shared pure packages (STYLE.md, "Sharing types").
    files: ["agent-desktop/src/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@okno/*",
                "!@okno/contracts",
                "!@okno/scripts-kb",
                "**/crm-api/**",
                "**/db/**",
                "**/cti-bridge/**",
              ],
              message: "agent-desktop imports only @okno/contracts and @okno/scripts-kb",
            },
            { group: ["node:*"], message: "agent-desktop runs in a browser" },
          ],
        },
      ],
      // Build-time configuration is read in one place, like process.env in the services.
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.type='MetaProperty'][property.name='env']",
          message: "read config.ts",
        },
      ],
    },
  },
  {
    files: ["agent-desktop/src/config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["agent-desktop/src/**/*.test.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
    },
  },
  {
    // The service worker is plain JavaScript in its own global scope.
    files: ["agent-desktop/public/sw.js"],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    // The bridge speaks HTTP to crm-api and never imports it (they run as separate services too).
    files: ["cti-bridge/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@okno/crm-api", "@okno/db", "**/crm-api/**", "**/db/**"],
              message: "cti-bridge talks to crm-api over HTTP",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["crm-api/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@okno/cti-bridge", "**/cti-bridge/**"], message: "crm-api never imports the bridge" },
          ],
        },
      ],
    },
  },
  {
    // Configuration is read from the environment in one place per service.
    files: ["crm-api/src/**/*.ts", "db/src/**/*.ts", "cti-bridge/src/**/*.ts"],
    ignores: ["**/config.ts", "**/*.test.ts", "**/test/**", "**/testDb.ts", "**/main.ts", "**/*Cli.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "read config.ts" },
      ],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
