import { Prisma, type Customer } from "@prisma/client";
import { UNROUTED_EVENTS } from "~/domain/capture/pixel-wire";
import { normalizeEmail, normalizePhone } from "~/domain/identity/normalize";
import { refreshOrderAggregates } from "../db/sql/customers.server";
import { giveVisitorEvents } from "../db/sql/events.server";
import { lockCustomer } from "./customer-lock.server";
import { newProfileId } from "./profile-ids.server";

export type Tx = Prisma.TransactionClient;

export interface Identifiers {
  shopifyCustomerId?: bigint | null;
  email?: string | null;
  phone?: string | null;
  clientId?: string | null;
}

export interface ResolveOptions {
  /** Country for numbers written without a prefix (the shop's country). */
  defaultCountry?: string | null;
  /** Create a profile when nothing matches (false: only look up). */
  create?: boolean;
  at: Date;
}

function normalized(ids: Identifiers, country?: string | null) {
  return {
    shopifyCustomerId: ids.shopifyCustomerId ?? null,
    email: normalizeEmail(ids.email),
    phone: normalizePhone(ids.phone, country),
    clientId: ids.clientId?.trim() || null,
  };
}

/**
 * Finds (or creates) the one profile these identifiers belong to, merging profiles
 * that turn out to be the same person (the anonymous visitor who later checks out,
 * the form subscriber who later places an order). Two profiles that Shopify itself
 * knows as different customers are never merged.
 */
export async function resolveProfile(tx: Tx, shopId: string, raw: Identifiers, opts: ResolveOptions): Promise<Customer | null> {
  const ids = normalized(raw, opts.defaultCountry);
  const or: Prisma.CustomerWhereInput[] = [];
  if (ids.shopifyCustomerId !== null) or.push({ shopifyCustomerId: ids.shopifyCustomerId });
  if (ids.email) or.push({ email: ids.email });
  if (ids.phone) or.push({ phone: ids.phone });
  if (ids.clientId) {
    const ci = await tx.clientIdentity.findUnique({ where: { shopId_clientId: { shopId, clientId: ids.clientId } } });
    if (ci?.customerId) or.push({ id: ci.customerId });
  }
  const candidates = or.length
    ? await tx.customer.findMany({ where: { shopId, mergedIntoId: null, OR: or }, orderBy: { createdAt: "asc" } })
    : [];

  // A profile of another Shopify customer is another person, even when an email or phone
  // matches (an address that moved between customers; Shopify's own samples share one).
  const anotherCustomer = (c: Customer) =>
    ids.shopifyCustomerId !== null && c.shopifyCustomerId !== null && c.shopifyCustomerId !== ids.shopifyCustomerId;
  const ours = candidates.filter((c) => !anotherCustomer(c));
  let survivor: Customer | null =
    (ids.shopifyCustomerId !== null && ours.find((c) => c.shopifyCustomerId === ids.shopifyCustomerId)) ||
    ours.find((c) => c.shopifyCustomerId !== null) ||
    ours[0] ||
    null;

  if (!survivor) {
    if (!opts.create || (!ids.email && !ids.phone && ids.shopifyCustomerId === null)) return null;
    // Identifiers another customer holds stay with them (they are unique per shop).
    const held = candidates.filter(anotherCustomer);
    survivor = await createProfile(
      tx,
      shopId,
      {
        ...ids,
        email: held.some((c) => c.email === ids.email) ? null : ids.email,
        phone: held.some((c) => c.phone === ids.phone) ? null : ids.phone,
      },
      opts.at,
    );
  } else {
    for (const other of ours) {
      if (other.id === survivor.id) continue;
      // Shopify says these are two people: keep them apart, whatever else matches.
      if (other.shopifyCustomerId !== null && survivor.shopifyCustomerId !== null) continue;
      survivor = await mergeProfiles(tx, survivor, other, opts.at);
    }
    survivor = await attachIdentifiers(tx, survivor, ids);
  }
  if (ids.clientId) await linkClient(tx, shopId, ids.clientId, survivor.id, opts.at);
  return survivor;
}

async function createProfile(tx: Tx, shopId: string, ids: ReturnType<typeof normalized>, at: Date): Promise<Customer> {
  // ON CONFLICT DO NOTHING: a concurrent request may create the same person first.
  const created = await tx.customer.createManyAndReturn({
    data: [
      {
        id: newProfileId({ shopId, ...ids }),
        shopId,
        shopifyCustomerId: ids.shopifyCustomerId,
        email: ids.email,
        phone: ids.phone,
        createdAt: at,
        lastSeenAt: at,
      },
    ],
    skipDuplicates: true,
  });
  if (created[0]) return created[0];
  const or: Prisma.CustomerWhereInput[] = [];
  if (ids.shopifyCustomerId !== null) or.push({ shopifyCustomerId: ids.shopifyCustomerId });
  if (ids.email) or.push({ email: ids.email });
  if (ids.phone) or.push({ phone: ids.phone });
  const existing = await tx.customer.findFirst({ where: { shopId, OR: or }, orderBy: { createdAt: "asc" } });
  if (!existing) throw new Error("profile insert conflicted but no profile was found");
  return existing.mergedIntoId ? tx.customer.findUniqueOrThrow({ where: { id: existing.mergedIntoId } }) : existing;
}

/** Fills identifiers the survivor lacks; an identifier held by another Shopify customer stays there. */
async function attachIdentifiers(tx: Tx, c: Customer, ids: ReturnType<typeof normalized>): Promise<Customer> {
  const data: Prisma.CustomerUpdateInput = {};
  if (ids.shopifyCustomerId !== null && c.shopifyCustomerId === null) data.shopifyCustomerId = ids.shopifyCustomerId;
  if (ids.email && !c.email) data.email = ids.email;
  if (ids.phone && !c.phone) data.phone = ids.phone;
  if (Object.keys(data).length === 0) return c;
  for (const [field, value] of Object.entries(data)) {
    const taken = await tx.customer.findFirst({ where: { shopId: c.shopId, [field]: value, NOT: { id: c.id } }, select: { id: true } });
    if (taken) delete (data as Record<string, unknown>)[field];
  }
  return Object.keys(data).length ? tx.customer.update({ where: { id: c.id }, data }) : c;
}

async function linkClient(tx: Tx, shopId: string, clientId: string, customerId: string, at: Date): Promise<void> {
  await tx.clientIdentity.upsert({
    where: { shopId_clientId: { shopId, clientId } },
    create: { shopId, clientId, customerId, firstSeenAt: at, lastSeenAt: at },
    update: { customerId, lastSeenAt: at },
  });
  // The visitor's anonymous history becomes the customer's history, and its last day
  // is offered to the flows again now that someone can be messaged (a checkout started
  // before the email was typed, products browsed before signing up).
  await giveVisitorEvents(tx, shopId, clientId, customerId, [...UNROUTED_EVENTS], new Date(at.getTime() - 86_400_000));
}

const CONSENT_FIELDS = ["email", "sms"] as const;

/**
 * Folds `loser` into `survivor`: every row that pointed at the loser now points at the
 * survivor, the newest consent per channel wins, and the loser stays as a tombstone
 * (mergedIntoId) so an old id still resolves.
 */
export async function mergeProfiles(tx: Tx, survivor: Customer, loser: Customer, at: Date): Promise<Customer> {
  const shopId = survivor.shopId;
  const move = { where: { shopId, customerId: loser.id }, data: { customerId: survivor.id } };
  await tx.event.updateMany(move);
  await tx.clientIdentity.updateMany(move);
  await tx.order.updateMany(move);
  await tx.consentRecord.updateMany(move);
  await tx.message.updateMany(move);
  await tx.decision.updateMany(move);
  await tx.discountCode.updateMany(move);
  await tx.checkout.updateMany(move);
  await tx.cart.updateMany(move);
  // A journey cannot run twice for one person: the loser's active ones stop, logged.
  await tx.enrollment.updateMany({
    where: { shopId, customerId: loser.id, status: "active" },
    data: { status: "exited", exitReason: "profile_merged", finishedAt: at, nextWakeAt: null },
  });
  await tx.customer.update({
    where: { id: loser.id },
    data: { mergedIntoId: survivor.id, email: null, phone: null, shopifyCustomerId: null },
  });

  const data: Prisma.CustomerUpdateInput = {
    shopifyCustomerId: survivor.shopifyCustomerId ?? loser.shopifyCustomerId,
    email: survivor.email ?? loser.email,
    phone: survivor.phone ?? loser.phone,
    firstName: survivor.firstName ?? loser.firstName,
    lastName: survivor.lastName ?? loser.lastName,
    locale: survivor.locale ?? loser.locale,
    tags: [...new Set([...survivor.tags, ...loser.tags])],
    lastSeenAt: maxDate(survivor.lastSeenAt, loser.lastSeenAt),
    createdAt: survivor.createdAt < loser.createdAt ? survivor.createdAt : loser.createdAt,
  };
  // The newer consent per channel survives, judged on both rows as they stand under
  // their locks (the loser's taken by its update above, the survivor's now, before its
  // own update below: the order this merge always locked them in). The copies passed
  // in may predate an unsubscribe committed since, which must not be overwritten.
  const lockedLoser = await tx.customer.findFirstOrThrow({ where: { id: loser.id, shopId } });
  const lockedSurvivor = await lockCustomer(tx, shopId, survivor.id);
  for (const ch of CONSENT_FIELDS) {
    const s = lockedSurvivor[`${ch}ConsentUpdatedAt`];
    const l = lockedLoser[`${ch}ConsentUpdatedAt`];
    if (l && (!s || l > s)) {
      Object.assign(data, {
        [`${ch}ConsentState`]: lockedLoser[`${ch}ConsentState`],
        [`${ch}OptInLevel`]: lockedLoser[`${ch}OptInLevel`],
        [`${ch}ConsentSource`]: lockedLoser[`${ch}ConsentSource`],
        [`${ch}ConsentUpdatedAt`]: l,
      });
    }
  }
  await tx.customer.update({ where: { id: survivor.id }, data });
  await refreshOrderAggregates(tx, shopId, survivor.id);
  await tx.auditLog.create({
    data: {
      shopId,
      actor: "system",
      action: "customer.merged",
      subjectType: "customer",
      subjectId: survivor.id,
      details: { merged: loser.id },
      at,
    },
  });
  return tx.customer.findUniqueOrThrow({ where: { id: survivor.id } });
}

function maxDate(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
