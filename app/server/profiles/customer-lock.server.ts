import type { Customer } from "@prisma/client";
import { lockCustomerRow } from "../db/sql/customers.server";
import type { Tx } from "./identity.server";

// Consent is decided from the row and then written: two writers (a webhook worker, the
// shopper's unsubscribe click) that both read before either writes would let the one
// committing last win, older or not. So a consent writer locks the row before it
// reads it, and holds it to the end of its transaction.
//
// FOR NO KEY UPDATE is the lock the UPDATE that follows takes anyway, taken a few
// statements earlier: it adds no conflict a consent write did not already have (rows
// inserted elsewhere that point at the customer still pass their foreign-key checks).

/** Locks a customer's row for the rest of the transaction and reads it as committed now. */
export async function lockCustomer(tx: Tx, shopId: string, id: string): Promise<Customer> {
  await lockCustomerRow(tx, shopId, id);
  return tx.customer.findFirstOrThrow({ where: { id, shopId } });
}

/**
 * The same, for the profile that now answers for `id`: a merge that committed while we
 * waited made it a tombstone, and consent written there would be lost. The tombstone is
 * locked before its survivor, the order a merge itself locks them in.
 */
export async function lockLiveCustomer(tx: Tx, profile: Pick<Customer, "id" | "shopId">): Promise<Customer> {
  let c = await lockCustomer(tx, profile.shopId, profile.id);
  // Merges form short chains; the bound keeps a corrupt cycle from spinning.
  for (let hops = 0; c.mergedIntoId && hops < 5; hops++) c = await lockCustomer(tx, profile.shopId, c.mergedIntoId);
  return c;
}
