// Settings -> Sending over the database and real SMTP servers: secrets encrypted and
// masked, a shop's own SMTP server used, DKIM signatures that verify, the warm-up ramp
// deferring what is over the day's allowance to the next day, every change audited.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { maskSecret } from "~/domain/sending/mask";
import { DEFAULT_WARMUP_PLAN, localDay } from "~/domain/sending/warmup";
import {
  generateDkimKey,
  loadSendingSettings,
  saveEmailProvider,
  saveSender,
  saveSmsProvider,
  setWarmup,
  checkDnsRecords,
  changeWarmupPlan,
  SendingSettingsError,
} from "~/server/admin/sending-settings.server";
import { sendTestEmail } from "~/server/admin/message-preview.server";
import { dispatchDueMessages, type DispatchResult } from "~/server/channels/dispatch.server";
import { closeMailTransport } from "~/server/channels/email/transport.server";
import { secretContext } from "~/server/channels/shop-sending.server";
import { shopSmsProvider } from "~/server/channels/sms/shop-provider.server";
import { disableDemoMode, enableDemoMode } from "~/server/config.server";
import { now, resetClock, setClock } from "~/server/clock.server";
import { decryptSecret, encryptSecret, SecretsKeyMissing } from "~/server/security/secrets.server";
import { fieldErrors, SenderForm } from "~/domain/sending/settings-schema";
import { useTestDatabase } from "../support/db";
import { verifyDkim } from "../support/dkim-verify";
import { createCustomer, createShop, enqueueEmail } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";
import { TWILIO_SID, TWILIO_TOKEN, twilioDouble } from "../support/twilio-double";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let appSmtp: SmtpTestServer; // the app's default provider (SMTP_URL)
let shopSmtp: SmtpTestServer; // a shop's own

beforeAll(async () => {
  appSmtp = await startSmtpTestServer();
  shopSmtp = await startSmtpTestServer();
  process.env.SMTP_URL = `smtp://127.0.0.1:${appSmtp.port}`;
});
afterAll(async () => {
  closeMailTransport();
  await appSmtp?.close();
  await shopSmtp?.close();
});
afterEach(() => resetClock());

async function drain(workerId: string): Promise<DispatchResult[]> {
  const results: DispatchResult[] = [];
  for (;;) {
    const r = await dispatchDueMessages(workerId, 20);
    results.push(r);
    if (r.claimed === 0 && r.unknown === 0) return results;
  }
}
const total = (rs: DispatchResult[], k: keyof DispatchResult) => rs.reduce((n, r) => n + r[k], 0);
const audits = (shopId: string) => prisma().auditLog.findMany({ where: { shopId }, orderBy: { id: "asc" } });

describe("secrets at rest", () => {
  it("round-trips through AES-256-GCM, bound to its shop and field, and shows only the last 4 characters", () => {
    const url = "smtp://user:s3cret-password@smtp.example.com:587";
    const blob = encryptSecret(url, "shop:a:smtpUrl");
    expect(blob).not.toContain("s3cret");
    expect(encryptSecret(url, "shop:a:smtpUrl")).not.toBe(blob); // a fresh IV each time
    expect(decryptSecret(blob, "shop:a:smtpUrl")).toBe(url);
    expect(() => decryptSecret(blob, "shop:b:smtpUrl")).toThrow(); // copied into another shop's row
    const tampered = blob.slice(0, -2) + (blob.endsWith("A") ? "BB" : "AA");
    expect(() => decryptSecret(tampered, "shop:a:smtpUrl")).toThrow();
    expect(maskSecret(url)).toBe("••••:587");
    expect(maskSecret("short")).toBe("••••");
    expect(maskSecret(null)).toBeNull();
  });

  it("outside the demo, without FLOWMATE_SECRETS_KEY, refuses to store a secret; with it, stores", async () => {
    const shop = await createShop(prisma());
    disableDemoMode();
    try {
      delete process.env.FLOWMATE_SECRETS_KEY;
      expect(() => encryptSecret("x", "c")).toThrow(SecretsKeyMissing);
      await expect(saveEmailProvider(shop, { smtpUrl: "smtp://a:b@h:25" }, "merchant")).rejects.toMatchObject({
        key: "secretsKeyMissing",
      });
      expect(await prisma().shopSending.count({ where: { shopId: shop.id } })).toBe(0);
      process.env.FLOWMATE_SECRETS_KEY = Buffer.alloc(32, 7).toString("base64");
      await saveEmailProvider(shop, { smtpUrl: "smtp://a:b@h:25" }, "merchant");
      const row = await prisma().shopSending.findUniqueOrThrow({ where: { shopId: shop.id } });
      expect(decryptSecret(row.smtpUrlSecret!, secretContext(shop.id, "smtpUrl"))).toBe("smtp://a:b@h:25");
    } finally {
      delete process.env.FLOWMATE_SECRETS_KEY;
      enableDemoMode();
    }
  });
});

describe("sender identity", () => {
  it("validates the form with errors per field", () => {
    const r = SenderForm.safeParse({ senderName: "", senderEmail: "nope", address1: "x", zip: "1", city: "c", countryCodeV2: "POL" });
    expect(r.success).toBe(false);
    const fields = fieldErrors(r.error!);
    expect(fields).toMatchObject({
      senderName: "sending.error.required",
      senderEmail: "sending.error.email",
      countryCodeV2: "sending.error.countryCode",
    });
  });

  it("saves the sender and address, audited with before and after, and the next email is from them", async () => {
    const shop = await createShop(prisma());
    const input = SenderForm.parse({
      senderName: "Palarnia Kawy",
      senderEmail: "sklep@palarnia.example",
      replyTo: "",
      address1: "ul. Długa 5",
      zip: "31-147",
      city: "Kraków",
      countryCodeV2: "pl",
    });
    await saveSender(shop, input, "merchant");
    const saved = await prisma().shop.findUniqueOrThrow({ where: { id: shop.id } });
    expect(saved).toMatchObject({ senderName: "Palarnia Kawy", senderEmail: "sklep@palarnia.example", replyTo: null });
    expect(saved.postalAddress).toEqual({ address1: "ul. Długa 5", zip: "31-147", city: "Kraków", countryCodeV2: "PL" });
    const [entry] = await audits(shop.id);
    expect(entry).toMatchObject({ actor: "merchant", action: "settings.sender_updated" });
    expect(entry!.details).toMatchObject({
      before: { senderName: "Kawa & Co.", senderEmail: "hello@kawa.example.com" },
      after: { senderName: "Palarnia Kawy", senderEmail: "sklep@palarnia.example" },
    });

    const before = appSmtp.received.length;
    await sendTestEmail(saved, "welcome_1", "pl", "sklep@palarnia.example", "merchant");
    const mail = appSmtp.received[before]!;
    expect(mail.parsed.from?.value[0]).toMatchObject({ name: "Palarnia Kawy", address: "sklep@palarnia.example" });
    expect(mail.parsed.html).toContain("ul. Długa 5");
  });
});

describe("a shop's own providers", () => {
  it("sends through the shop's own SMTP server while other shops keep the app's; the URL is never shown or audited", async () => {
    const own = await createShop(prisma());
    const other = await createShop(prisma());
    const url = `smtp://127.0.0.1:${shopSmtp.port}`;
    await saveEmailProvider(own, { smtpUrl: url }, "merchant");

    const view = await loadSendingSettings(own);
    expect(view.email.smtpUrl).toEqual({ set: true, masked: maskSecret(url), readable: true });
    expect(JSON.stringify(view)).not.toContain(url);
    const row = await prisma().shopSending.findUniqueOrThrow({ where: { shopId: own.id } });
    expect(row.smtpUrlSecret).not.toContain("127.0.0.1");
    const logged = JSON.stringify((await audits(own.id)).map((a) => a.details));
    expect(logged).not.toContain(String(shopSmtp.port));
    expect(logged).toContain('"smtpUrl":"changed"');

    const a = await enqueueEmail(prisma(), own.id, await createCustomer(prisma(), own.id));
    const b = await enqueueEmail(prisma(), other.id, await createCustomer(prisma(), other.id));
    const [shopBefore, appBefore] = [shopSmtp.received.length, appSmtp.received.length];
    await drain("w-own");
    expect(shopSmtp.received.slice(shopBefore).map((m) => m.parsed.messageId)).toEqual([`<${a.id}@flowmate.${own.domain}>`]);
    expect(appSmtp.received.slice(appBefore).map((m) => m.parsed.messageId)).toEqual([`<${b.id}@flowmate.${other.domain}>`]);

    // Back to the app's service.
    await saveEmailProvider(own, { smtpUrl: null, clear: "true" }, "merchant");
    const c = await enqueueEmail(prisma(), own.id, await createCustomer(prisma(), own.id));
    await drain("w-own");
    expect(appSmtp.received.at(-1)!.parsed.messageId).toBe(`<${c.id}@flowmate.${own.domain}>`);
  });

  it("stores Twilio credentials encrypted, masks them, keeps them when left empty and uses the shop's account", async () => {
    const shop = await createShop(prisma());
    const sid = `AC${"a1".repeat(16)}`;
    const token = "T".repeat(28) + "9z8y";
    await saveSmsProvider(shop, { accountSid: sid, authToken: token, fromNumber: "+48500100200", messagingServiceSid: null }, "merchant");
    let view = await loadSendingSettings(shop);
    expect(view.sms.accountSid.masked).toBe("••••a1a1");
    expect(view.sms.authToken.masked).toBe("••••9z8y");
    expect(view.sms.fromNumber).toBe("+48500100200");
    expect(JSON.stringify(view)).not.toContain(token);
    // The number changes; the credentials, left empty, stay.
    await saveSmsProvider(shop, { accountSid: null, authToken: null, fromNumber: "+48500100300", messagingServiceSid: null }, "merchant");
    view = await loadSendingSettings(shop);
    expect(view.sms).toMatchObject({ fromNumber: "+48500100300", accountSid: { set: true }, authToken: { set: true } });
    const logged = JSON.stringify((await audits(shop.id)).map((a) => a.details));
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(sid);
    expect((await audits(shop.id)).at(-1)!.details).toMatchObject({
      accountSid: "unchanged",
      authToken: "unchanged",
      before: { fromNumber: "+48500100200" },
      after: { fromNumber: "+48500100300" },
    });

    // The shop's account is the one the SMS sender calls, on Twilio's wire: the double
    // knows the app's account and the shop's; the request names and signs the shop's.
    const twilio = twilioDouble({ [TWILIO_SID]: TWILIO_TOKEN, [sid]: token });
    await twilio.start();
    const saved = { ...process.env };
    Object.assign(process.env, twilio.env());
    try {
      const sent = await (await shopSmsProvider(shop.id))!.send({ to: "+48600700800", body: "hi", from: "+48500100300" });
      expect(sent.providerId).toMatch(/^SM/);
      expect(sent.status).toBe("queued");
    } finally {
      for (const k of Object.keys(twilio.env())) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await twilio.close();
    }
    expect(twilio.received).toMatchObject([
      {
        path: `/2010-04-01/Accounts/${sid}/Messages.json`,
        authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString("base64")}`,
      },
    ]);
    expect(Object.fromEntries(twilio.received[0]!.form)).toMatchObject({ To: "+48600700800", From: "+48500100300", Body: "hi" });
  });
});

describe("DKIM", () => {
  it("generates a key, shows the DNS records and signs outgoing mail with a signature that verifies", async () => {
    const shop = await createShop(prisma());
    await generateDkimKey(shop, { domain: "kawa.example.com", selector: "fm1" }, "merchant");
    const view = await loadSendingSettings(shop);
    const records = view.dkim!.records;
    expect(records.map((r) => r.name)).toEqual(["fm1._domainkey.kawa.example.com", "kawa.example.com", "_dmarc.kawa.example.com"]);
    expect(records[0]!.value).toMatch(/^v=DKIM1; k=rsa; p=MIIBIjAN/); // RSA 2048 SPKI
    expect(records[1]!.value).toMatch(/^v=spf1 include:\S+ ~all$/);
    // Offline (this machine has no DNS): "could not check", never an error.
    const statuses = await checkDnsRecords(shop, view.dkim);
    expect(Object.keys(statuses).sort()).toEqual(["dkim", "dmarc", "spf"]);
    for (const s of Object.values(statuses)) expect(["unchecked", "missing", "found", "mismatch"]).toContain(s);

    const row = await prisma().shopSending.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(row.dkimPrivateKeySecret).not.toContain("PRIVATE KEY");
    expect(JSON.stringify((await audits(shop.id)).at(-1)!.details)).not.toContain("PRIVATE");

    const m = await enqueueEmail(prisma(), shop.id, await createCustomer(prisma(), shop.id));
    await drain("w-dkim");
    const mail = appSmtp.received.find((r) => r.parsed.messageId === `<${m.id}@flowmate.${shop.domain}>`)!;
    const result = verifyDkim(mail.raw, row.dkimPublicKey!);
    expect(result).toMatchObject({ domain: "kawa.example.com", selector: "fm1", bodyHashOk: true, signatureOk: true });
    expect(result.signedHeaders).toEqual(expect.arrayContaining(["from", "subject", "to", "message-id"]));

    // A changed byte of the body breaks it: the check can fail.
    const raw = mail.raw.toString("binary");
    const i = raw.indexOf("\r\n\r\n") + 10;
    const broken = Buffer.from(raw.slice(0, i) + (raw[i] === "x" ? "y" : "x") + raw.slice(i + 1), "binary");
    expect(verifyDkim(broken, row.dkimPublicKey!).bodyHashOk).toBe(false);
    // Another shop's (or no) key: not signed.
    const plain = await createShop(prisma());
    const p = await enqueueEmail(prisma(), plain.id, await createCustomer(prisma(), plain.id));
    await drain("w-dkim");
    const unsigned = appSmtp.received.find((r) => r.parsed.messageId === `<${p.id}@flowmate.${plain.domain}>`)!;
    expect(unsigned.parsed.headers.has("dkim-signature")).toBe(false);
  });
});

describe("warm-up", () => {
  it("sends up to the day's allowance, defers the rest to the next shop-local day with a reason, and sends them then", async () => {
    const shop = await createShop(prisma(), { timezone: "Europe/Warsaw" });
    setClock(new Date("2026-12-07T10:00:00Z")); // 11:00 in Warsaw
    await setWarmup(shop, true, "merchant");
    expect((await audits(shop.id)).at(-1)).toMatchObject({ action: "settings.warmup_started" });
    const day1 = DEFAULT_WARMUP_PLAN[0]!; // 50
    const messages = [];
    for (let i = 0; i < day1 + 7; i++)
      messages.push(await enqueueEmail(prisma(), shop.id, await createCustomer(prisma(), shop.id), { nextAttemptAt: now() }));
    const ids = messages.map((m) => m.id);

    const first = await drain("w-warm");
    expect(total(first, "sent")).toBe(day1);
    expect(total(first, "deferred")).toBe(7);
    const waiting = await prisma().message.findMany({ where: { id: { in: ids }, status: "pending" } });
    expect(waiting).toHaveLength(7);
    const midnightWarsaw = new Date("2026-12-07T23:00:00Z");
    for (const w of waiting) {
      expect(w.nextAttemptAt).toEqual(midnightWarsaw);
      expect(w.error).toBe("warmup_limit");
      expect(w.attempts).toBe(0); // a wait, not a failed attempt
    }
    const decisions = await prisma().decision.findMany({ where: { messageId: { in: waiting.map((w) => w.id) } } });
    expect(decisions).toHaveLength(7);
    expect(decisions[0]).toMatchObject({ outcome: "defer", reason: "warmup_limit" });
    expect(decisions[0]!.details).toMatchObject({ allowance: day1, day: "2026-12-07" });
    const view = await loadSendingSettings(shop);
    expect(view.warmup).toMatchObject({ today: "2026-12-07", allowanceToday: day1, sentToday: day1 });

    // Still the same day: nothing more goes.
    setClock(new Date("2026-12-07T22:59:00Z"));
    expect(total(await drain("w-warm"), "sent")).toBe(0);
    // The next local day: the rest goes out (day 2 allows 100).
    setClock(new Date("2026-12-07T23:00:30Z"));
    expect(localDay(now(), "Europe/Warsaw")).toBe("2026-12-08");
    expect(total(await drain("w-warm"), "sent")).toBe(7);
    expect(await prisma().message.count({ where: { id: { in: ids }, status: "sent" } })).toBe(day1 + 7);
    expect((await loadSendingSettings(shop)).warmup).toMatchObject({ allowanceToday: 100, sentToday: 7 });
  });

  it("an edited plan keeps the day count: day 2's new allowance (minus what went today) goes out, the rest waits for midnight", async () => {
    const shop = await createShop(prisma(), { timezone: "Europe/Warsaw" });
    const enqueue = async (n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++)
        ids.push((await enqueueEmail(prisma(), shop.id, await createCustomer(prisma(), shop.id), { nextAttemptAt: now() })).id);
      return ids;
    };
    const ramp = { firstDay: 20, growth: 1.5, target: 500 }; // 20, 30, 45, 68, ...
    setClock(new Date("2026-12-07T10:00:00Z"));
    await expect(changeWarmupPlan(shop, ramp, "merchant")).rejects.toThrow(SendingSettingsError);
    await setWarmup(shop, true, "merchant"); // the default ramp: 50, 100, ...

    // Day 2 (Warsaw): 10 emails go under the default plan, then the merchant edits the plan.
    setClock(new Date("2026-12-08T09:00:00Z"));
    const early = await enqueue(10);
    expect(total(await drain("w-plan"), "sent")).toBe(10);
    expect(await changeWarmupPlan(shop, ramp, "merchant")).toEqual({ changed: true });
    expect(await changeWarmupPlan(shop, ramp, "merchant")).toEqual({ changed: false });
    const audit = (await audits(shop.id)).filter((a) => a.action === "settings.warmup_plan_changed");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: "merchant",
      details: {
        startDay: "2026-12-07",
        day: 2,
        before: { allowanceToday: 100, plan: [...DEFAULT_WARMUP_PLAN] },
        after: { ramp, allowanceToday: 30, plan: [20, 30, 45, 68, 101, 152, 228, 342, 500] },
      },
    });
    const view = (await loadSendingSettings(shop)).warmup;
    expect(view).toMatchObject({
      startDay: "2026-12-07",
      dayNumber: 2,
      allowanceToday: 30,
      sentToday: 10,
      ramp: { mode: "custom", ...ramp },
    });

    // 40 more: the new day-2 allowance is 30, 10 of it taken, so 20 go and 20 wait.
    const later = await enqueue(40);
    const second = await drain("w-plan");
    expect(total(second, "sent")).toBe(20);
    expect(total(second, "deferred")).toBe(20);
    const waiting = await prisma().message.findMany({ where: { id: { in: later }, status: "pending" } });
    expect(waiting).toHaveLength(20);
    for (const w of waiting) {
      expect(w.nextAttemptAt).toEqual(new Date("2026-12-08T23:00:00Z")); // the next Warsaw midnight
      expect(w.error).toBe("warmup_limit");
    }
    expect(await prisma().message.count({ where: { id: { in: [...early, ...later] }, status: { notIn: ["sent", "pending"] } } })).toBe(0);

    // Day 3 starts at Warsaw midnight: its allowance (45) takes all 20 that waited.
    setClock(new Date("2026-12-08T22:59:00Z"));
    expect(total(await drain("w-plan"), "sent")).toBe(0);
    setClock(new Date("2026-12-08T23:00:30Z"));
    expect(total(await drain("w-plan"), "sent")).toBe(20);
    expect((await loadSendingSettings(shop)).warmup).toMatchObject({ dayNumber: 3, allowanceToday: 45, sentToday: 20 });
  });
});
