// The evidence behind the home page's setup checklist, read from the shop's own rows
// (every query scoped by the shop), judged by app/domain/onboarding/checklist.ts.
import type { Shop } from "@prisma/client";
import { checklistItems, senderStatus, type ChecklistItem, type ChecklistItemKey, type DkimEvidence } from "~/domain/onboarding/checklist";
import { SUBSCRIBED_EVENTS } from "../../../../extensions/web-pixel/src/events";
import { now } from "../../clock.server";
import { db } from "../../db/client.server";

const DAY = 86_400_000;
/** The pixel counts as receiving when an event arrived in the last week. */
export const PIXEL_WINDOW_DAYS = 7;
/** A signup through the embed is rarer than a page view: a month of evidence. */
export const EMBED_WINDOW_DAYS = 30;

/**
 * What the sending settings page's DNS check last found of the sender's DKIM record
 * (ShopSending.dkimVerifiedAt, see recordDkimCheck); null when no key was generated.
 */
export async function loadDkimEvidence(shop: Shop): Promise<DkimEvidence | null> {
  const sending = await db().shopSending.findUnique({ where: { shopId: shop.id }, select: { dkimPublicKey: true, dkimVerifiedAt: true } });
  return sending?.dkimPublicKey ? { recordFound: sending.dkimVerifiedAt !== null } : null;
}

/**
 * Theme app embed: Shopify says whether an app embed is on only in the theme's
 * config/settings_data.json (Admin API `themes(roles: MAIN) { files }`, which needs
 * read_themes and which the demo's Admin API stand-in does not serve). The app sees
 * the embed at work instead: a signup submitted from the storefront widget through the
 * app proxy (an Event form_submitted with data.form = "signup_popup"). An embed that is
 * on but never used is therefore "not seen yet".
 */
async function embedSeen(shopId: string, since: Date, at: Date): Promise<boolean> {
  const row = await db().event.findFirst({
    where: {
      shopId,
      name: "form_submitted",
      source: "form",
      occurredAt: { gte: since, lte: at },
      data: { path: ["form"], equals: "signup_popup" },
    },
    select: { id: true },
  });
  return row !== null;
}

async function pixelSeen(shopId: string, since: Date, at: Date): Promise<boolean> {
  // A batch still waiting in the inbox counts: the worker may be behind, the pixel is not.
  const [stored, waiting] = await Promise.all([
    db().event.findFirst({
      where: { shopId, name: { in: [...SUBSCRIBED_EVENTS] }, source: "pixel", occurredAt: { gte: since, lte: at } },
      select: { id: true },
    }),
    db().pixelInbox.findFirst({ where: { shopId, receivedAt: { gte: since } }, select: { id: true } }),
  ]);
  return stored !== null || waiting !== null;
}

export interface Checklist {
  items: ChecklistItem[];
  flowsOn: number;
}

export async function loadChecklist(shop: Shop): Promise<Checklist> {
  const at = now();
  const [dkim, pixel, embed, flowsOn] = await Promise.all([
    loadDkimEvidence(shop),
    pixelSeen(shop.id, new Date(at.getTime() - PIXEL_WINDOW_DAYS * DAY), at),
    embedSeen(shop.id, new Date(at.getTime() - EMBED_WINDOW_DAYS * DAY), at),
    db().flow.count({ where: { shopId: shop.id, status: "on" } }),
  ]);
  return { items: checklistItems({ sender: senderStatus(shop, dkim), pixelSeen: pixel, embedSeen: embed, flowsOn }), flowsOn };
}

export interface ChecklistLink {
  url: string;
  external: boolean;
  label?: "home.setup.demoAction";
}

/**
 * Where each item is fixed. The pixel and the embed are set up in Shopify's admin (the
 * customer events page, the theme editor with the embed pre-selected), opened in a new
 * tab by the shop's own admin address, which works embedded or not; the demo has no
 * Shopify admin, so they lead to its storefront simulator, which sends both.
 */
export function checklistLinks(opts: {
  demo: boolean;
  shopDomain: string;
  apiKey: string;
  query: string;
}): Record<ChecklistItemKey, ChecklistLink> {
  const demoStorefront: ChecklistLink = { url: `/dev/storefront${opts.query}`, external: false, label: "home.setup.demoAction" };
  return {
    sender: { url: `/app/settings/sending${opts.query}`, external: false },
    pixel: opts.demo ? demoStorefront : { url: `https://${opts.shopDomain}/admin/settings/customer_events`, external: true },
    embed: opts.demo
      ? demoStorefront
      : {
          url: `https://${opts.shopDomain}/admin/themes/current/editor?context=apps&activateAppId=${encodeURIComponent(opts.apiKey)}/signup-popup`,
          external: true,
        },
    flow: { url: `/app/flows${opts.query}`, external: false },
  };
}
