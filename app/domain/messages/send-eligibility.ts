// Checks the outbox adds on top of the compliance rules (consent, pause, topics and
// the suppression list live in app/server/compliance/eligibility.server.ts).

export type OutboxSkipReason = "shop_not_installed" | "address_changed";

export interface OutboxCheckInput {
  channel: string;
  purpose: string;
  toAddress: string;
  shop: { installState: string };
  customer: { email: string | null; phone: string | null } | null;
}

export function outboxSkipReason(input: OutboxCheckInput): OutboxSkipReason | null {
  // An uninstalled (or redacted) shop has withdrawn our permission to act for it.
  if (input.shop.installState !== "installed") return "shop_not_installed";
  if (input.purpose !== "marketing" || !input.customer) return null;
  // Marketing consent was given for the address the customer has now, not one they replaced.
  const current = input.channel === "sms" ? input.customer.phone : input.customer.email;
  if (current && current.trim().toLowerCase() !== input.toAddress.trim().toLowerCase()) return "address_changed";
  return null;
}
