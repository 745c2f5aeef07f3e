import tsconfigPaths from "vite-tsconfig-paths";
import { configDefaults, defineConfig, type Plugin } from "vitest/config";

// The test suite in three projects; a test file's name says which one it is in:
//   name.test.ts          unit: pure: no database, no server process, no browser, no app build
//   name.db.test.ts       db:   reaches the database layer in-process (PGlite in memory, or
//                               PostgreSQL with DATABASE_URL)
//   name.e2e.test.ts      e2e:  starts the built app (tests/support/app-process.ts)
//   name.browser.test.ts  e2e:  drives Chromium (and may start the built app)
// `npm test` runs all three; `npm run test:unit` etc. run one.

const suffixed = (suffixes: string[]) => suffixes.flatMap((s) => [`tests/**/*.${s}`, `app/**/*.${s}`]);

// What a project does not set up. A file in a lighter project than it needs fails on
// the import, naming the suffix it needs, rather than running without its setup (the
// database banner, or the app's build: an old build in build/ would be used silently).
interface Need {
  what: string;
  suffix: string;
  files: RegExp;
  packages: string[];
}
const NEEDS: Record<"database" | "builtApp" | "browser", Need> = {
  database: {
    what: "a database",
    suffix: ".db.test.ts",
    files: /\/(app\/server\/db\/client\.server|tests\/support\/db)\.ts$/,
    packages: ["@electric-sql/pglite", "pg", "@prisma/client", "@prisma/adapter-pg", "pglite-prisma-adapter"],
  },
  builtApp: { what: "the built app", suffix: ".e2e.test.ts", files: /\/tests\/support\/app-process\.ts$/, packages: [] },
  browser: { what: "a browser", suffix: ".browser.test.ts", files: /\/tests\/support\/browser\.ts$/, packages: ["playwright-core"] },
};

function refuse(project: string, needs: (keyof typeof NEEDS)[]): Plugin {
  return {
    name: `flowmate:${project}-project-refuses`,
    enforce: "pre",
    async resolveId(source, importer) {
      if (!importer) return null;
      for (const need of needs) {
        const { what, suffix, files, packages } = NEEDS[need];
        const refused =
          packages.includes(source) ||
          (!source.startsWith("\0") && files.test((await this.resolve(source, importer, { skipSelf: true }))?.id ?? ""));
        if (refused) {
          throw new Error(
            `${importer} imports ${source}, which needs ${what}; the ${project} test project has none: name the test file *${suffix}`,
          );
        }
      }
      return null;
    },
  };
}

export default defineConfig({
  // tsconfig's "~/*" paths; the Remix plugin of vite.config.ts stays out of test runs.
  plugins: [tsconfigPaths()],
  test: {
    environment: "node",
    testTimeout: 30_000,
    // The test harness runs the app in process as the demo does (see the file).
    setupFiles: ["tests/support/demo-mode.ts"],
    hookTimeout: 60_000,
    // Vitest's performance guide: pure files need no fresh worker each. The unit
    // project (the only one on threads) runs its files in one worker thread on the
    // modules it has loaded (mjml, liquidjs, the domain): a third of the CPU of a fork
    // per file. So a unit file that changes something global (env, timers, globals, the
    // app clock) puts it back. Vitest 3.2 takes a pool's isolation from the root config.
    poolOptions: { threads: { isolate: false } },
    // `npm test` runs the projects one after the other (groupOrder), each one file at a
    // time as before: run together, the unit pixel build would rewrite
    // extensions/web-pixel/dist while an e2e storefront test reads it.
    projects: [
      {
        extends: true,
        plugins: [refuse("unit", ["database", "builtApp", "browser"])],
        test: {
          name: "unit",
          include: suffixed(["test.ts"]),
          exclude: [...configDefaults.exclude, ...suffixed(["db.test.ts", "e2e.test.ts", "browser.test.ts"])],
          // Not isolated: see poolOptions.threads above.
          pool: "threads",
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        plugins: [refuse("db", ["builtApp", "browser"])],
        test: {
          name: "db",
          include: suffixed(["db.test.ts"]),
          pool: "forks",
          sequence: { groupOrder: 1 },
          globalSetup: ["tests/support/announce-database.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: suffixed(["e2e.test.ts", "browser.test.ts"]),
          pool: "forks",
          sequence: { groupOrder: 2 },
          globalSetup: ["tests/support/announce-database.ts", "tests/support/build-app.ts"],
        },
      },
    ],
  },
});
