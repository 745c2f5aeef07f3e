// What a failure of a work item looks like once stored or shown: one line, its class
// and code, and no customer personal data. Error messages quote their input (a JSON
// SyntaxError shows the text around the error, a constraint error the key), so
// addresses, phone numbers and long quoted snippets are masked.

const EMAIL = /[^\s"'<>@]+@[^\s"'<>@]+\.[a-z]{2,}/gi;
const PHONE = /\+?\d[\d\s().-]{6,}\d/g;
const LONG_QUOTE = /(["'`])[^"'`]{40,}\1/g;

export function failureText(err: unknown): string {
  if (!(err instanceof Error)) return "non-error thrown";
  const code = codeOf(err);
  const message = err.message
    .replace(/\s+/g, " ")
    .replace(EMAIL, "[email]")
    .replace(LONG_QUOTE, "$1[…]$1")
    .replace(PHONE, "[number]")
    .trim()
    .slice(0, 300);
  return `${err.name}${code ? ` ${code}` : ""}: ${message}`;
}

/** The error's code as the pg driver, Prisma or Node give it (err.code, err.meta.code, err.cause.code). */
export function codeOf(err: unknown, depth = 0): string | null {
  if (typeof err !== "object" || err === null || depth > 4) return null;
  const e = err as { code?: unknown; meta?: unknown; cause?: unknown; driverAdapterError?: unknown };
  if (typeof e.code === "string" && e.code !== "P2010") return e.code;
  for (const inner of [e.meta, e.cause, e.driverAdapterError]) {
    const code = codeOf(inner, depth + 1);
    if (code) return code;
  }
  return typeof e.code === "string" ? e.code : null;
}

// SQLSTATE classes about the server, not the row: connection (08), resources (53),
// operator intervention (57: shutdown, cancel), system errors (58), rollbacks (40:
// deadlocks, serialization; retried before they get here).
const INFRASTRUCTURE_SQLSTATE = /^(08|53|57|58|40)/;
const INFRASTRUCTURE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  // Prisma: cannot reach the server, server closed the connection, pool timeout,
  // transaction API error (a transaction that timed out because the database is slow).
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
  "P2028",
]);

/**
 * Whether a failure says the database or the network is down rather than that the
 * item is bad: such a failure never counts against an item (a PostgreSQL restart
 * must not quarantine a whole queue), the task backs off instead.
 */
export function isInfrastructureFailure(err: unknown): boolean {
  const code = codeOf(err);
  if (code && (INFRASTRUCTURE_CODES.has(code) || (code.length === 5 && INFRASTRUCTURE_SQLSTATE.test(code)))) return true;
  const message = err instanceof Error ? err.message : "";
  return /Connection terminated|connection (is )?closed|database is closed|PGlite is closed|Client has encountered a connection error|fetch failed/i.test(
    message,
  );
}
