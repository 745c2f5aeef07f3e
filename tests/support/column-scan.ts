import zlib from "node:zlib";
import type { RawQuery } from "~/server/db/client.server";

export interface ColumnHit {
  table: string;
  column: string;
  needle: string;
}

interface Column {
  table: string;
  column: string;
  type: string;
}

// zstd frames start with this magic number (RFC 8878): the pixel inbox's compressed bodies.
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/**
 * Every column of every table in the schema, read from the catalog: a table or
 * column added later is scanned without anyone listing it here.
 */
async function allColumns(q: RawQuery): Promise<Column[]> {
  return q<Column>(
    `SELECT c.table_name AS "table", c.column_name AS "column", c.data_type AS "type"
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY 1, 2`,
  );
}

/**
 * Which needles occur (case-insensitively) in which columns. Every value is compared
 * as text: strings, json/jsonb, arrays, and numbers (a BigInt Shopify id is found as
 * its digits). bytea is decoded (zstd-decompressed when it is a zstd frame) first.
 */
export async function scanEveryColumn(q: RawQuery, needles: string[]): Promise<ColumnHit[]> {
  const lowered = needles.map((n) => n.toLowerCase());
  const hits: ColumnHit[] = [];
  for (const { table, column, type } of await allColumns(q)) {
    const ident = `"${table.replace(/"/g, '""')}"."${column.replace(/"/g, '""')}"`;
    const from = `"${table.replace(/"/g, '""')}"`;
    if (type === "bytea") {
      const rows = await q<{ v: Buffer | Uint8Array }>(`SELECT ${ident} AS v FROM ${from} WHERE ${ident} IS NOT NULL`);
      for (const { v } of rows) {
        const bytes = Buffer.from(v);
        const text = (bytes.subarray(0, 4).equals(ZSTD_MAGIC) ? zlib.zstdDecompressSync(bytes) : bytes).toString("utf8").toLowerCase();
        for (const [i, n] of lowered.entries()) if (text.includes(n)) hits.push({ table, column, needle: needles[i]! });
      }
      continue;
    }
    const found = await q<{ i: number }>(
      `SELECT n.i FROM unnest($1::text[]) WITH ORDINALITY AS n(needle, i)
        WHERE EXISTS (SELECT 1 FROM ${from} WHERE strpos(lower(${ident}::text), n.needle) > 0)`,
      [lowered],
    );
    for (const { i } of found) hits.push({ table, column, needle: needles[Number(i) - 1]! });
  }
  return dedupe(hits);
}

function dedupe(hits: ColumnHit[]): ColumnHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.table}.${h.column}:${h.needle}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
