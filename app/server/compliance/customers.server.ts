import type { Customer } from "@prisma/client";
import type { Tx } from "../profiles/identity.server";

/**
 * The live profile behind an id a link or message carries. A profile merged into
 * another after the message was sent answers for the survivor, so an old
 * unsubscribe link keeps working. Null when the id is not a customer of that shop.
 */
export async function findLiveCustomer(tx: Tx, shopId: string, customerId: string): Promise<Customer | null> {
  let id: string | null = customerId;
  // Merges form short chains (a -> b -> c); a bound keeps a corrupt cycle from spinning.
  for (let hops = 0; id && hops < 5; hops++) {
    const c: Customer | null = await tx.customer.findFirst({ where: { id, shopId } });
    if (!c) return null;
    if (!c.mergedIntoId) return c;
    id = c.mergedIntoId;
  }
  return null;
}
