// `npm run db:new-migration -- NAME`: writes prisma/migrations/<timestamp>_NAME/migration.sql
// with the SQL that turns the committed schema (git HEAD) into prisma/schema.prisma.
// (Prisma's `--from-migrations` needs a shadow database, which the offline WASM
// engine cannot drive through PGlite; diffing two schema files needs none.)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- snake_case_name");
  process.exit(2);
}
const previous = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "schema-")), "schema.prisma");
fs.writeFileSync(previous, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"]));
const sql = execFileSync(
  path.resolve("node_modules/.bin/prisma"),
  ["migrate", "diff", "--from-schema-datamodel", previous, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { encoding: "utf8" },
);
if (!sql.replace(/--.*$/gm, "").trim()) {
  console.log("prisma/schema.prisma has no changes against HEAD: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`wrote ${dir}/migration.sql`);
