// Global setup of the projects that use a database (db, e2e).
export default function announceDatabase() {
  // Say which database this run uses, so a CI log shows plainly that the suite ran
  // on PGlite and again on PostgreSQL.
  const url = process.env.DATABASE_URL;
  const target = url ? `PostgreSQL server (${new URL(url).host})` : "PGlite (embedded, in memory)";
  process.stdout.write(`\n[tests] database under test: ${target}\n`);
}
