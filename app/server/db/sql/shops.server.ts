import { DEFAULT_FREQUENCY_CAPS } from "~/domain/arbitration/caps";
import { DEFAULT_QUIET_HOURS } from "~/domain/arbitration/quiet-hours";
import type { FrequencyCaps, ShopSettings } from "~/domain/arbitration/types";
import { shopLinkHosts } from "~/domain/messages/shop-links";
import type { PrismaSql, RawQuery } from "./clients.server";

// Shop rows: the journeys' settings view, the catalogue backfill's claim, the list
// maintenance walks.

/** A shop's arbitration settings, install state, and what messages name it by. */
export type ShopRecord = ShopSettings & {
  installed: boolean;
  name: string;
  url: string;
  /** The hosts a message may link to (shop-links.ts). */
  linkHosts: ReadonlySet<string>;
};

const SHOP_COLUMNS = `id, name, domain, "primaryDomain", "storefrontHosts", timezone, locale, "quietHoursStart", "quietHoursEnd", "quietHoursSmsStart", "quietHoursSmsEnd", "frequencyCaps", "holdoutPercent", "installState"`;

function toShopRecord(r: Record<string, unknown>): ShopRecord {
  return {
    id: r.id as string,
    timezone: r.timezone as string,
    locale: r.locale as string,
    quietHours:
      r.quietHoursStart === r.quietHoursEnd
        ? null
        : {
            startMinute: Number(r.quietHoursStart ?? DEFAULT_QUIET_HOURS.startMinute),
            endMinute: Number(r.quietHoursEnd ?? DEFAULT_QUIET_HOURS.endMinute),
          },
    // SMS quiet hours of their own once the merchant set them (null columns: email's apply).
    ...(r.quietHoursSmsStart == null || r.quietHoursSmsEnd == null
      ? {}
      : {
          quietHoursByChannel: {
            sms:
              r.quietHoursSmsStart === r.quietHoursSmsEnd
                ? null
                : { startMinute: Number(r.quietHoursSmsStart), endMinute: Number(r.quietHoursSmsEnd) },
          },
        }),
    frequencyCaps: { ...DEFAULT_FREQUENCY_CAPS, ...((r.frequencyCaps as Partial<FrequencyCaps> | null) ?? {}) },
    holdoutPercent: Number(r.holdoutPercent ?? 0),
    installed: r.installState === "installed",
    name: r.name as string,
    url: `https://${(r.primaryDomain as string | null) ?? (r.domain as string)}`,
    linkHosts: shopLinkHosts({
      domain: r.domain as string,
      primaryDomain: r.primaryDomain as string | null,
      storefrontHosts: (r.storefrontHosts as string[] | null) ?? [],
    }),
  };
}

export async function loadShops(q: RawQuery, ids: string[]): Promise<Map<string, ShopRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await q<Record<string, unknown>>(`SELECT ${SHOP_COLUMNS} FROM "Shop" WHERE id = ANY($1::text[])`, [ids]);
  return new Map(rows.map((r) => [r.id as string, toShopRecord(r)]));
}

/** Every shop with its storefront-event retention (Shop.storefrontEventDays). */
export async function shopRetentionDays(q: RawQuery): Promise<{ id: string; storefrontEventDays: number }[]> {
  const rows = await q<{ id: string; storefrontEventDays: number }>(`SELECT id, "storefrontEventDays" FROM "Shop" ORDER BY id`);
  return rows.map((r) => ({ id: r.id, storefrontEventDays: Number(r.storefrontEventDays) }));
}

export async function allShopIds(q: RawQuery): Promise<string[]> {
  return (await q<{ id: string }>(`SELECT id FROM "Shop" ORDER BY id`)).map((r) => r.id);
}

/**
 * The longest-installed shop whose catalogue is not synced and whose backfill lease
 * is free, leased until `leaseUntil` (SKIP LOCKED: two workers take different shops).
 */
export async function claimCatalogBackfill(
  sql: PrismaSql,
  at: Date,
  leaseUntil: Date,
): Promise<{ id: string; domain: string; catalogSyncCursor: string | null } | null> {
  const claimed = await sql.$queryRaw<{ id: string; domain: string; catalogSyncCursor: string | null }[]>`
    UPDATE "Shop" SET "catalogSyncLeaseUntil" = ${leaseUntil}
    WHERE id = (
      SELECT id FROM "Shop"
      WHERE "installState" = 'installed' AND "catalogSyncedAt" IS NULL
        AND ("catalogSyncLeaseUntil" IS NULL OR "catalogSyncLeaseUntil" < ${at})
        AND NOT EXISTS (SELECT 1 FROM "Quarantine" q
                        WHERE q.kind = 'catalog-backfill' AND q."itemId" = "Shop".id AND q."quarantinedAt" IS NOT NULL)
      ORDER BY "installedAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, domain, "catalogSyncCursor"`;
  return claimed[0] ?? null;
}
