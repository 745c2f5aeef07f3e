import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules",
      "build",
      "data",
      ".cache",
      ".scratch",
      ".scratch-*",
      "extensions/*/dist",
      "extensions/theme-widgets/assets",
      "screenshots",
    ],
  },
  js.configs.recommended,
  // Type-aware rules: a promise nobody awaits (no-floating-promises) or an async
  // function where a void callback is expected (no-misused-promises) loses errors silently.
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      // Stand-ins and fakes implement async interfaces with synchronous bodies: correct as written.
      "@typescript-eslint/require-await": "off",
      // Remix loaders and actions throw a Response to answer at once (404, 503, redirects).
      "@typescript-eslint/only-throw-error": ["error", { allow: [{ from: "lib", name: "Response" }] }],
    },
  },
  {
    // Plain JavaScript files are outside the TypeScript project.
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
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
