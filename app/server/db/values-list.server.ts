/**
 * A multi-row `VALUES` list with one parameter per value: `($1, $2::jsonb), ($3, $4::jsonb)`.
 * `casts[i]` (e.g. "timestamptz", "jsonb") is appended to column i's placeholder.
 *
 * Bulk inserts of JSON bodies use this rather than `unnest($n::text[])`: inside an array
 * literal every quote is escaped by the driver and parsed back by the server, which
 * cost more than the insert itself.
 */
export function valuesList(
  rows: readonly (readonly unknown[])[],
  casts: readonly (string | null)[] = [],
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = row.map((value, i) => {
      params.push(value);
      const cast = casts[i];
      return cast ? `$${params.length}::${cast}` : `$${params.length}`;
    });
    return `(${placeholders.join(", ")})`;
  });
  return { sql: tuples.join(", "), params };
}
