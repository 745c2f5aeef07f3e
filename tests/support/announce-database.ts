// Global setup of the projects that use a database (db, e2e).
export default function announceDatabase() {
  // Say which database this run uses, so a CI log shows plainly that the suite ran
  // on PGlite and again on PostgreSQL. Once per run, though both projects ask.
  if (process.env.FLOWMATE_TESTS_ANNOUNCED) return;
  process.env.FLOWMATE_TESTS_ANNOUNCED = "1";
  const url = process.env.DATABASE_URL;
  const target = url ? `PostgreSQL server (${new URL(url).host})` : "PGlite (embedded, in memory)";
  process.stdout.write(`\n[tests] database under test: ${target}\n`);
}
