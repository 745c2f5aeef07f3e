// The home page's setup checklist: what a shop must have before its flows can earn
// anything, judged from evidence the server gathers (checklist.server.ts). Pure: the
// evidence comes in, the items go out, so each rule is tested without a database.

/** What the app knows about the sender's DNS (DKIM). null: nothing is known yet. */
export interface DkimEvidence {
  /** The DKIM record the settings page asked the merchant to publish was found in DNS. */
  recordFound: boolean;
}

export type SenderStatus = "missing" | "unverified" | "verified";

/**
 * The sender is set when the shop has a from address; it is verified only when the
 * DKIM record for it was found in DNS. Without DKIM data (no check has run) a set
 * sender is "set, not verified": the mail goes out, but may land in spam.
 */
export function senderStatus(shop: { senderEmail: string | null }, dkim: DkimEvidence | null): SenderStatus {
  if (!shop.senderEmail?.trim()) return "missing";
  return dkim?.recordFound ? "verified" : "unverified";
}

export const CHECKLIST_ITEMS = ["sender", "pixel", "embed", "flow"] as const;
export type ChecklistItemKey = (typeof CHECKLIST_ITEMS)[number];

export interface ChecklistEvidence {
  sender: SenderStatus;
  /** A storefront event from the web pixel arrived in the window (stored, or still in the inbox). */
  pixelSeen: boolean;
  /** A request from the theme app embed (the signup widget) arrived in the window. */
  embedSeen: boolean;
  /** Flows switched on. */
  flowsOn: number;
}

export interface ChecklistItem {
  key: ChecklistItemKey;
  done: boolean;
  /** A finer state for the sentence under the item: the sender's status, else done / todo. */
  state: SenderStatus | "done" | "todo";
}

export function checklistItems(e: ChecklistEvidence): ChecklistItem[] {
  const simple = (key: ChecklistItemKey, done: boolean): ChecklistItem => ({ key, done, state: done ? "done" : "todo" });
  return [
    { key: "sender", done: e.sender === "verified", state: e.sender },
    simple("pixel", e.pixelSeen),
    simple("embed", e.embedSeen),
    simple("flow", e.flowsOn > 0),
  ];
}
