import zlib from "node:zlib";
import { topLevelArraySpans } from "~/domain/shared/json-bounds";
import type { RawQuery } from "../db/sql/clients.server";
import { lockShopInboxRows, rewriteInboxRow, deleteInboxRow } from "../db/sql/pixel-inbox.server";
import { lockQuarantinedPixelPayloads, rewriteQuarantinePayload } from "../db/sql/quarantine.server";

// Pixel requests not yet turned into events sit compressed in the inbox (or, when
// poisonous, in the quarantine): a column scan cannot see the email or client id inside.
// An erasure therefore opens them and drops every request that names the person.

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const ZSTD_FAST = { params: { [zlib.constants.ZSTD_c_compressionLevel]: -3 } };

/** Waits for any worker expanding this shop's inbox to commit, and keeps the rest from being expanded meanwhile. */
export async function holdShopPixelInbox(q: RawQuery, shopId: string): Promise<void> {
  await lockShopInboxRows(q, shopId);
}

/** Drops the shop's waiting and set-aside pixel requests that contain any of `traces`. Returns how many were dropped. */
export async function dropPixelRequestsNaming(q: RawQuery, shopId: string, traces: readonly string[]): Promise<number> {
  const needles = traces.filter((t) => t.length >= 3).map((t) => t.toLowerCase());
  if (needles.length === 0) return 0;
  let dropped = 0;
  for (const row of await lockShopInboxRows(q, shopId)) {
    const text = row.bodyZstd ? zlib.zstdDecompressSync(row.bodyZstd).toString("utf8") : (row.body ?? "");
    const kept = withoutRequestsNaming(text, needles);
    if (kept === null) continue;
    dropped += kept.dropped;
    if (kept.text === null) await deleteInboxRow(q, String(row.id));
    else await rewriteInboxRow(q, row.id, zlib.zstdCompressSync(Buffer.from(kept.text, "utf8"), ZSTD_FAST));
  }
  for (const row of await lockQuarantinedPixelPayloads(q, shopId)) {
    const bytes = Buffer.from(row.payload);
    const zstd = ZSTD_MAGIC.every((b, i) => bytes[i] === b);
    const kept = withoutRequestsNaming((zstd ? zlib.zstdDecompressSync(bytes) : bytes).toString("utf8"), needles);
    if (kept === null) continue;
    dropped += kept.dropped;
    const payload = kept.text === null ? null : Buffer.from(kept.text, "utf8");
    await rewriteQuarantinePayload(q, row.id, payload && zstd ? zlib.zstdCompressSync(payload, ZSTD_FAST) : payload);
  }
  return dropped;
}

/**
 * The row's `[[receivedAtMs, batch], ...]` without the entries naming a needle, cut
 * from the text (never parsed: a set-aside row may not survive a parse). Null when
 * nothing is dropped; text null when nothing is left. A row that is not an array
 * (an old single-batch row) is dropped whole if it names a needle.
 */
function withoutRequestsNaming(text: string, needles: readonly string[]): { text: string | null; dropped: number } | null {
  const names = (s: string) => {
    const lower = s.toLowerCase();
    return needles.some((n) => lower.includes(n));
  };
  const spans = topLevelArraySpans(text);
  if (!spans) return names(text) ? { text: null, dropped: 1 } : null;
  const entries = spans.map(([from, to]) => text.slice(from, to));
  const kept = entries.filter((e) => !names(e));
  if (kept.length === entries.length) return null;
  return { text: kept.length ? `[${kept.join(",")}]` : null, dropped: entries.length - kept.length };
}
