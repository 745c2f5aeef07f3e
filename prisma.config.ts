import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { defineConfig } from "prisma/config";

// The schema's datasource needs a URL to parse, but with driver adapters the
// runtime never reads it: app/server/db/client.server.ts picks PGlite or pg.
process.env.DATABASE_URL ??= "postgresql://unused@localhost/driver-adapters-pick-the-database";

// Prisma 6.19 with the WASM engines works offline; the CLI (generate, migrate diff)
// talks to an in-memory PGlite. Migrations are applied by `npm run db:migrate`
// (scripts/migrate.ts), which records them in Prisma's own _prisma_migrations table.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    // Typed against an older driver-adapter-utils; same runtime contract.
    return new PrismaPGlite(new PGlite()) as unknown as SqlMigrationAwareDriverAdapterFactory;
  },
});
