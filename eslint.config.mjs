// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "data/**", "coverage/**", "bench/.cache/**"] },
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
