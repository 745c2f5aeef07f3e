import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Templates are plain files (app/templates/email) read at compile time, so the worker
// (tsx, from source) and the web build (Vite bundle, run from the repo root) find the
// same files.
let dir: string | undefined;

export function emailTemplateDir(): string {
  if (dir) return dir;
  const candidates = [
    path.resolve(process.cwd(), "app/templates/email"),
    fileURLToPath(new URL("../../../templates/email", import.meta.url)),
  ];
  const found = candidates.find((c) => fs.existsSync(path.join(c, "layout.mjml")));
  if (!found) throw new Error(`Email templates not found (looked in ${candidates.join(", ")})`);
  return (dir = found);
}

export function readTemplateFile(relative: string): string {
  return fs.readFileSync(path.join(emailTemplateDir(), relative), "utf8");
}

export type StringTable = { common: Record<string, string>; messages: Record<string, Record<string, string>> };

export function readStringTable(locale: string): StringTable {
  return JSON.parse(readTemplateFile(`strings/${locale}.json`)) as StringTable;
}
