import type { RawQuery } from "./clients.server";

// The set-based part of a customer erasure (customers/redact): rows that carry the
// person's identifiers inside free text or JSON (dedupe keys, engine state, decision
// details, error texts, kept webhook payloads) are rewritten in place, so the facts
// they record (an event happened, a message was decided) survive without the person.

/** What identifies the person in text: strings (emails, phones, tokens, URLs) and numeric ids (Shopify ids). */
export interface Traces {
  strings: string[];
  numbers: string[];
}

export interface ErasureScope {
  shopId: string;
  shopDomain: string;
  /** The profile and the profiles merged into it. */
  customerIds: string[];
  clientIds: string[];
  messageIds: string[];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One case-insensitive ARE per kind; a numeric id only as a whole number (not inside a longer one). */
function patterns(t: Traces): { strings: string | null; numbers: string | null } {
  const strings = [...new Set(t.strings.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  const numbers = [...new Set(t.numbers.filter((n) => /^\d{4,}$/.test(n)))];
  return {
    strings: strings.length ? strings.map(escapeRegex).join("|") : null,
    numbers: numbers.length ? `(?<![0-9])(${numbers.join("|")})(?![0-9])` : null,
  };
}

/**
 * SQL that rewrites `col` (text, or jsonb with `json`) with every trace replaced: a
 * string by "redacted", a number by 0. Both keep JSON valid, inside a string or as a
 * bare number. Returns the expression and the condition "contains a trace".
 */
function scrub(col: string, json: boolean, p: { strings: string | null; numbers: string | null }, first: number) {
  const exprs: string[] = [];
  const conds: string[] = [];
  const params: string[] = [];
  let e = `${col}::text`;
  if (p.strings) {
    params.push(p.strings);
    const n = first + params.length - 1;
    e = `regexp_replace(${e}, $${n}, 'redacted', 'gi')`;
    conds.push(`${col}::text ~* $${n}`);
  }
  if (p.numbers) {
    params.push(p.numbers);
    const n = first + params.length - 1;
    e = `regexp_replace(${e}, $${n}, '0', 'g')`;
    conds.push(`${col}::text ~ $${n}`);
  }
  exprs.push(json ? `(${e})::jsonb` : e);
  return { expr: exprs[0]!, cond: conds.length ? `(${conds.join(" OR ")})` : "false", params };
}

/** Rewrites the traces in the rows that belong to the person (or, where rows are not linked, that contain a trace). */
export async function scrubTraces(q: RawQuery, scope: ErasureScope, traces: Traces): Promise<void> {
  const p = patterns(traces);
  if (!p.strings && !p.numbers) return;
  const { shopId, customerIds, clientIds, messageIds } = scope;

  // Event dedupe keys such as "customer:<id>" or "checkout:<token>:<time>": the event
  // stays (counts, attribution), keyed by its own row id instead.
  const ev = scrub(`"sourceId"`, false, p, 4);
  await q(
    `UPDATE "Event" SET "sourceId" = 'redacted:' || id::text
      WHERE "shopId" = $1 AND ("customerId" = ANY($2::text[]) OR "clientId" = ANY($3::text[])) AND ${ev.cond}`,
    [shopId, customerIds, clientIds, ...ev.params],
  );

  const state = scrub(`state`, true, p, 3);
  await q(
    `UPDATE "Enrollment" SET state = ${state.expr}, "contextKey" = NULL
      WHERE "shopId" = $1 AND "customerId" = ANY($2::text[])`,
    [shopId, customerIds, ...state.params],
  );

  const details = scrub(`details`, true, p, 3);
  await q(
    `UPDATE "Decision" SET details = ${details.expr}
      WHERE "shopId" = $1 AND "customerId" = ANY($2::text[]) AND ${details.cond}`,
    [shopId, customerIds, ...details.params],
  );

  const error = scrub(`error`, false, p, 3);
  await q(`UPDATE "Message" SET error = ${error.expr} WHERE "shopId" = $1 AND id = ANY($2::text[]) AND ${error.cond}`, [
    shopId,
    messageIds,
    ...error.params,
  ]);
  await q(`UPDATE "MessageEvent" SET url = NULL, data = NULL WHERE "shopId" = $1 AND "messageId" = ANY($2::text[])`, [shopId, messageIds]);

  // Not linked to a profile: found by their content, within the shop.
  const audit = scrub(`details`, true, p, 2);
  await q(`UPDATE "AuditLog" SET details = ${audit.expr} WHERE "shopId" = $1 AND ${audit.cond}`, [shopId, ...audit.params]);

  // Deliveries kept after failing (retrying, quarantined or rejected) lose a payload that
  // names the person; ones never tried yet are left to be processed (and erased again by then).
  const payload = scrub(`payload`, true, p, 2);
  const derr = scrub(`error`, false, p, 2 + payload.params.length);
  await q(
    `UPDATE "WebhookDelivery" SET payload = CASE WHEN ${payload.cond} THEN NULL ELSE payload END, error = ${derr.expr}
      WHERE "shopDomain" = $1 AND (status NOT IN ('received', 'processing') OR attempts > 0) AND (${payload.cond} OR ${derr.cond})`,
    [scope.shopDomain, ...payload.params, ...derr.params],
  );
}

/** Locks the profiles being erased (FOR UPDATE) so no other transaction writes them meanwhile. */
export async function lockCustomers(q: RawQuery, shopId: string, customerIds: string[]): Promise<void> {
  await q(`SELECT id FROM "Customer" WHERE "shopId" = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE`, [shopId, customerIds]);
}
