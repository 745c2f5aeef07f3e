import crypto from "node:crypto";
import { Prisma, type Shop, type ShopSending } from "@prisma/client";
import { z } from "zod";
import { PostalAddress } from "~/domain/messages/email-context";
import { recordStatus, sendingDnsRecords, type DnsRecord, type RecordStatus } from "~/domain/sending/dns-records";
import { maskSecret } from "~/domain/sending/mask";
import type { DkimForm, EmailProviderForm, SenderForm, SmsProviderForm } from "~/domain/sending/settings-schema";
import {
  DEFAULT_WARMUP_PLAN,
  DEFAULT_WARMUP_RAMP,
  localDay,
  rampDayNumber,
  warmupAllowance,
  warmupSchedule,
  type WarmupRamp,
} from "~/domain/sending/warmup";
import { now } from "../clock.server";
import { appBaseUrl } from "../config.server";
import { db } from "../db/client.server";
import { secretContext } from "../channels/shop-sending.server";
import { shopSmsSettings } from "../channels/sms/shop-settings.server";
import { storedWarmupPlan, warmupPlanOf, warmupRampOf } from "../channels/warmup.server";
import { decryptSecret, encryptSecret, secretsAvailable } from "../security/secrets.server";
import { dnsReachable, lookupTxt } from "./dns-check.server";

// Settings -> Sending: who the shop's mail is from, which providers carry it, its DKIM
// key and warm-up ramp. Every change writes an AuditLog row in the same transaction,
// with the before/after values; a secret appears there only as "changed".

type Tx = Prisma.TransactionClient;
type SecretField = "smtpUrl" | "smsAccountSid" | "smsAuthToken" | "dkimPrivateKey";
const COLUMN = {
  smtpUrl: "smtpUrlSecret",
  smsAccountSid: "smsAccountSidSecret",
  smsAuthToken: "smsAuthTokenSecret",
  dkimPrivateKey: "dkimPrivateKeySecret",
} as const satisfies Record<SecretField, keyof ShopSending>;

export class SendingSettingsError extends Error {
  constructor(readonly key: "secretsKeyMissing" | "warmupNotRunning") {
    super(key);
  }
}

/** The SPF mechanism of the app's own mail servers, named after the app's host. */
export function spfInclude(): string {
  return `_spf.${new URL(appBaseUrl()).hostname}`;
}

function masked(sending: ShopSending | null, field: SecretField): { set: boolean; masked: string | null; readable: boolean } {
  const blob = sending?.[COLUMN[field]];
  if (!blob) return { set: false, masked: null, readable: true };
  try {
    return { set: true, masked: maskSecret(decryptSecret(blob, secretContext(sending.shopId, field))), readable: true };
  } catch {
    return { set: true, masked: "••••", readable: false };
  }
}

export interface DkimView {
  domain: string;
  selector: string;
  createdAt: string | null;
  records: DnsRecord[];
}

export async function loadSendingSettings(shopRef: Pick<Shop, "id">) {
  const [shop, sending] = await Promise.all([
    db().shop.findUniqueOrThrow({ where: { id: shopRef.id } }),
    db().shopSending.findUnique({ where: { shopId: shopRef.id } }),
  ]);
  const address = PostalAddress.safeParse(shop.postalAddress ?? {});
  const sms = shopSmsSettings(shop);
  const today = localDay(now(), shop.timezone);
  const plan = warmupPlanOf(sending);
  return {
    secretsAvailable: secretsAvailable(),
    sender: {
      senderName: shop.senderName ?? "",
      senderEmail: shop.senderEmail ?? "",
      replyTo: shop.replyTo ?? "",
      ...Object.fromEntries(
        (["company", "address1", "address2", "zip", "city", "country", "countryCodeV2"] as const).map((k) => [
          k,
          (address.success ? address.data[k] : null) ?? "",
        ]),
      ),
    } as Record<keyof SenderForm, string>,
    email: { smtpUrl: masked(sending, "smtpUrl") },
    sms: {
      accountSid: masked(sending, "smsAccountSid"),
      authToken: masked(sending, "smsAuthToken"),
      fromNumber: sms.fromNumber ?? "",
      messagingServiceSid: sms.messagingServiceSid ?? "",
    },
    dkim: sending?.dkimPublicKey && sending.dkimDomain && sending.dkimSelector ? dkimView(sending) : null,
    suggestedDomain: shop.senderEmail?.split("@")[1] ?? "",
    warmup: {
      startDay: sending?.warmupStartDay ?? null,
      today,
      allowanceToday: warmupAllowance(plan, sending?.warmupStartDay ?? null, today),
      sentToday: sending?.warmupDay === today ? sending.warmupSent : 0,
      schedule: sending?.warmupStartDay && plan ? warmupSchedule(plan, sending.warmupStartDay) : [],
      dayNumber: sending?.warmupStartDay ? rampDayNumber(sending.warmupStartDay, today) : null,
      ramp: rampView(sending, plan),
    },
  };
}
export type SendingSettingsView = Awaited<ReturnType<typeof loadSendingSettings>>;

/**
 * The ramp the warm-up form starts from: the stored one, the default when none is
 * stored, or (a bare array of allowances from before ramps could be shaped) its first
 * day, growth and last day as a custom ramp.
 */
function rampView(sending: ShopSending | null, plan: number[] | null): WarmupRamp & { mode: "default" | "custom" } {
  const stored = warmupRampOf(sending);
  const ramp: WarmupRamp | null =
    stored ??
    (plan && plan.length > 0 && plan.join() !== DEFAULT_WARMUP_PLAN.join()
      ? {
          firstDay: plan[0]!,
          growth: plan.length > 1 ? Math.round((plan[1]! / plan[0]!) * 100) / 100 : DEFAULT_WARMUP_RAMP.growth,
          target: plan.at(-1)!,
        }
      : null);
  if (!ramp || sameRamp(ramp, DEFAULT_WARMUP_RAMP)) return { mode: "default", ...DEFAULT_WARMUP_RAMP };
  return { mode: "custom", ...ramp };
}

const sameRamp = (a: WarmupRamp, b: WarmupRamp) => a.firstDay === b.firstDay && a.growth === b.growth && a.target === b.target;

function dkimView(sending: ShopSending): DkimView {
  return {
    domain: sending.dkimDomain!,
    selector: sending.dkimSelector!,
    createdAt: sending.dkimCreatedAt?.toISOString() ?? null,
    records: sendingDnsRecords({
      domain: sending.dkimDomain!,
      selector: sending.dkimSelector!,
      publicKeyPem: sending.dkimPublicKey!,
      spfInclude: spfInclude(),
    }),
  };
}

/**
 * Each record's status as DNS answers now: "unchecked" for all when DNS cannot be
 * asked (offline), never an error. Slow (a lookup each), so the page streams it in.
 */
export async function checkDnsRecords(shopRef: Pick<Shop, "id">, dkim: DkimView | null): Promise<Record<string, RecordStatus>> {
  if (!dkim) return {};
  const reachable = await dnsReachable(dkim.domain).catch(() => false);
  const published = reachable
    ? await Promise.all(dkim.records.map((r) => lookupTxt(r.name).catch(() => null)))
    : dkim.records.map(() => null);
  const statuses = Object.fromEntries(dkim.records.map((r, i) => [r.kind, recordStatus(r, published[i]!)]));
  await recordDkimCheck(shopRef.id, statuses.dkim);
  return statuses;
}

/**
 * Keeps what DNS said of the DKIM record, for the home page's checklist ("sender
 * verified"): found sets the time, missing or changed clears it, unchecked (no DNS)
 * leaves the last answer.
 */
export async function recordDkimCheck(shopId: string, dkim: RecordStatus | undefined): Promise<void> {
  if (dkim === undefined || dkim === "unchecked") return;
  await db().shopSending.updateMany({
    where: { shopId, ...(dkim === "found" ? { dkimVerifiedAt: null } : { dkimVerifiedAt: { not: null } }) },
    data: { dkimVerifiedAt: dkim === "found" ? now() : null },
  });
}

async function audit(tx: Tx, shopId: string, actor: string, action: string, details: Prisma.InputJsonObject) {
  await tx.auditLog.create({ data: { shopId, actor, action, subjectType: "shop", subjectId: shopId, details, at: now() } });
}

function requireSecretsKey(): void {
  if (!secretsAvailable()) throw new SendingSettingsError("secretsKeyMissing");
}

async function upsertSending(tx: Tx, shopId: string, data: Prisma.ShopSendingUncheckedUpdateInput) {
  return tx.shopSending.upsert({
    where: { shopId },
    create: { shopId, ...(data as Omit<Prisma.ShopSendingUncheckedCreateInput, "shopId">) },
    update: data,
  });
}

export async function saveSender(shop: Shop, input: SenderForm, actor: string): Promise<void> {
  const { senderName, senderEmail, replyTo, ...address } = input;
  const postalAddress = Object.fromEntries(Object.entries(address).filter(([, v]) => v !== null));
  await db().$transaction(async (tx) => {
    const before = await tx.shop.findUniqueOrThrow({
      where: { id: shop.id },
      select: { senderName: true, senderEmail: true, replyTo: true, postalAddress: true },
    });
    await tx.shop.update({ where: { id: shop.id }, data: { senderName, senderEmail, replyTo, postalAddress } });
    await audit(tx, shop.id, actor, "settings.sender_updated", {
      before: { ...before, postalAddress: before.postalAddress ?? null },
      after: { senderName, senderEmail, replyTo, postalAddress },
    });
  });
}

export async function saveEmailProvider(shop: Shop, input: z.infer<typeof EmailProviderForm>, actor: string): Promise<void> {
  if (!input.clear && !input.smtpUrl) return; // nothing typed: the stored URL stays
  if (!input.clear) requireSecretsKey();
  await db().$transaction(async (tx) => {
    const before = await tx.shopSending.findUnique({ where: { shopId: shop.id } });
    const value = input.clear ? null : encryptSecret(input.smtpUrl!, secretContext(shop.id, "smtpUrl"));
    await upsertSending(tx, shop.id, { smtpUrlSecret: value });
    await audit(tx, shop.id, actor, "settings.email_provider_updated", {
      smtpUrl: input.clear ? (before?.smtpUrlSecret ? "removed" : "unchanged") : "changed",
      before: { provider: before?.smtpUrlSecret ? "shop" : "app_default" },
      after: { provider: value ? "shop" : "app_default" },
    });
  });
}

export async function saveSmsProvider(shop: Shop, input: z.infer<typeof SmsProviderForm>, actor: string): Promise<void> {
  const secrets = input.clear ? {} : { smsAccountSid: input.accountSid, smsAuthToken: input.authToken };
  if (Object.values(secrets).some(Boolean)) requireSecretsKey();
  await db().$transaction(async (tx) => {
    const before = await tx.shopSending.findUnique({ where: { shopId: shop.id } });
    // Shop.settings holds other sections (rollout thresholds, experiments): read and
    // written back under the row's lock, as their own saves do, so none is lost.
    await tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${shop.id} FOR UPDATE`;
    const current = await tx.shop.findUniqueOrThrow({ where: { id: shop.id }, select: { settings: true } });
    const settings: Prisma.JsonObject =
      current.settings && typeof current.settings === "object" && !Array.isArray(current.settings) ? current.settings : {};
    const senderBefore = shopSmsSettings({ settings: current.settings });
    const senderAfter = input.clear
      ? senderBefore
      : {
          ...(input.fromNumber ? { fromNumber: input.fromNumber } : {}),
          ...(input.messagingServiceSid ? { messagingServiceSid: input.messagingServiceSid } : {}),
        };
    const data: Prisma.ShopSendingUncheckedUpdateInput = input.clear
      ? { smsAccountSidSecret: null, smsAuthTokenSecret: null }
      : {
          ...(input.accountSid ? { smsAccountSidSecret: encryptSecret(input.accountSid, secretContext(shop.id, "smsAccountSid")) } : {}),
          ...(input.authToken ? { smsAuthTokenSecret: encryptSecret(input.authToken, secretContext(shop.id, "smsAuthToken")) } : {}),
        };
    const after = await upsertSending(tx, shop.id, data);
    await tx.shop.update({ where: { id: shop.id }, data: { settings: { ...settings, sms: senderAfter } } });
    const change = (field: "smsAccountSidSecret" | "smsAuthTokenSecret") =>
      before?.[field] === after[field] ? "unchanged" : after[field] ? "changed" : "removed";
    await audit(tx, shop.id, actor, "settings.sms_provider_updated", {
      accountSid: change("smsAccountSidSecret"),
      authToken: change("smsAuthTokenSecret"),
      before: { ...senderBefore, provider: before?.smsAccountSidSecret ? "shop" : "app_default" },
      after: { ...senderAfter, provider: after.smsAccountSidSecret && after.smsAuthTokenSecret ? "shop" : "app_default" },
    });
  });
}

/** A new RSA 2048 key pair for the domain; the private key is stored encrypted, the old one replaced. */
export async function generateDkimKey(shop: Shop, input: z.infer<typeof DkimForm>, actor: string): Promise<void> {
  requireSecretsKey();
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  await db().$transaction(async (tx) => {
    const before = await tx.shopSending.findUnique({ where: { shopId: shop.id } });
    await upsertSending(tx, shop.id, {
      dkimDomain: input.domain,
      dkimSelector: input.selector,
      dkimPublicKey: publicKey,
      dkimPrivateKeySecret: encryptSecret(privateKey, secretContext(shop.id, "dkimPrivateKey")),
      dkimCreatedAt: now(),
    });
    await audit(tx, shop.id, actor, "settings.dkim_key_generated", {
      privateKey: "changed",
      before: before?.dkimDomain ? { domain: before.dkimDomain, selector: before.dkimSelector } : null,
      after: { domain: input.domain, selector: input.selector },
    });
  });
}

/** Starts a ramp today (shop-local; the default one unless given), or ends the ramp: no daily limit. */
export async function setWarmup(shop: Shop, start: boolean, actor: string, ramp: WarmupRamp = DEFAULT_WARMUP_RAMP): Promise<void> {
  const today = localDay(now(), shop.timezone);
  const plan = storedWarmupPlan(ramp);
  await db().$transaction(async (tx) => {
    const before = await tx.shopSending.findUnique({ where: { shopId: shop.id } });
    const after = start
      ? { warmupStartDay: today, warmupPlan: plan, warmupDay: null, warmupSent: 0 }
      : { warmupStartDay: null, warmupPlan: Prisma.DbNull, warmupDay: null, warmupSent: 0 };
    await upsertSending(tx, shop.id, after);
    await audit(tx, shop.id, actor, start ? "settings.warmup_started" : "settings.warmup_stopped", {
      before: { startDay: before?.warmupStartDay ?? null, plan: before?.warmupPlan ?? null },
      after: { startDay: after.warmupStartDay, plan: start ? plan : null },
    });
  });
}

/**
 * A running ramp takes a new shape. Its start day and today's count stay: the day
 * number is kept and today's allowance is the new plan's figure for that day (what was
 * sent today already counts against it). Nothing running: refused, since a plan
 * without a start day would limit nothing.
 */
export async function changeWarmupPlan(shop: Shop, ramp: WarmupRamp, actor: string): Promise<{ changed: boolean }> {
  const today = localDay(now(), shop.timezone);
  const plan = storedWarmupPlan(ramp);
  return db().$transaction(async (tx) => {
    // FOR UPDATE: a second save waits for this one, so before/after never interleave. A
    // dispatcher batch that read the row before this commits still counts by the old
    // plan (its slot UPDATE waits on this lock, then checks today's count); the next reads the new one.
    const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "ShopSending" WHERE "shopId" = ${shop.id} FOR UPDATE`;
    const before = row ? await tx.shopSending.findUnique({ where: { shopId: shop.id } }) : null;
    if (!before?.warmupStartDay) throw new SendingSettingsError("warmupNotRunning");
    const beforeDays = warmupPlanOf(before);
    const beforeRamp = warmupRampOf(before);
    if (beforeDays?.join() === plan.days.join() && beforeRamp && sameRamp(beforeRamp, ramp)) return { changed: false };
    await tx.shopSending.update({ where: { shopId: shop.id }, data: { warmupPlan: plan } });
    const day = rampDayNumber(before.warmupStartDay, today);
    await audit(tx, shop.id, actor, "settings.warmup_plan_changed", {
      startDay: before.warmupStartDay,
      day,
      before: {
        ramp: beforeRamp,
        plan: beforeDays,
        allowanceToday: warmupAllowance(beforeDays, before.warmupStartDay, today),
      },
      after: {
        ramp: { ...ramp },
        plan: plan.days,
        allowanceToday: warmupAllowance(plan.days, before.warmupStartDay, today),
      },
    });
    return { changed: true };
  });
}
