import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules", "build", "data", ".cache", ".scratch", ".scratch-*", "extensions/*/dist", "extensions/theme-widgets/assets", "screenshots"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Domain code is pure: time, randomness and IO come in as arguments.
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@prisma/*", "~/server/*", "../server/*", "node:*"] }],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "Pass `now` in." },
        { object: "Math", property: "random", message: "Pass `random` in." },
        { object: "process", property: "env", message: "Domain code reads no environment." },
      ],
    },
  },
);
