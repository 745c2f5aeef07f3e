// CSV for the report exports (RFC 4180): a header row, comma separated, CRLF line ends,
// a field quoted when it holds a comma, a quote or a line break. Numbers are written
// unformatted (no thousands separators, a dot for decimals) so a spreadsheet in any
// language reads them as numbers; money always with 2 decimals.

/** A cell: text, a plain number, money (2 decimals), or empty. */
export type CsvCell = string | number | { money: number } | null;

/**
 * A text cell a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading
 * apostrophe (OWASP "CSV injection"): flow and step names can be the merchant's own
 * text. Numbers are never text cells here, so a negative number is left alone.
 */
function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(cell: CsvCell): string {
  let text: string;
  if (cell === null) text = "";
  else if (typeof cell === "number") text = Number.isFinite(cell) ? String(cell) : "";
  // Rounded to cents first, and never "-0.00".
  else if (typeof cell === "object") text = Number.isFinite(cell.money) ? (Math.round(cell.money * 100) / 100 || 0).toFixed(2) : "";
  else text = safeText(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header.map(field), ...rows.map((r) => r.map(field))].map((r) => r.join(",")).join("\r\n") + "\r\n";
}

/** Parses what toCsv writes (and any RFC 4180 text): for tests and for reading an export back. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A file name for a download: letters, digits, dot, dash and underscore only. */
export function csvFilename(...parts: string[]): string {
  const base = parts
    .map((p) =>
      p
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/ł/g, "l")
        .replace(/Ł/g, "L")
        .replace(/[^\w.-]+/g, "-")
        .replace(/^-+|-+$/g, ""),
    )
    .filter(Boolean)
    .join("_");
  return `${base || "report"}.csv`;
}
