// `npm run db:migrate`: applies prisma/migrations to the database the environment
// selects (DATABASE_URL, else PGlite under DATA_DIR). The web and worker processes
// also do this at start-up; this is for deploy pipelines that migrate first.
import { readEnv } from "../app/server/config.server";
import { initDatabase } from "../app/server/db/init.server";

const database = await initDatabase(readEnv());
await database.close();
