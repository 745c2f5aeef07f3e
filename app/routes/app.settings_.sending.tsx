import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { DkimCard } from "~/components/sending/DkimCard";
import { FeedbackAddressCard } from "~/components/sending/FeedbackAddressCard";
import { EmailProviderCard, SmsProviderCard } from "~/components/sending/ProviderCards";
import { SenderCard, TestSendCard } from "~/components/sending/SenderCard";
import { WarmupCard } from "~/components/sending/WarmupCard";
import { DkimForm, EmailProviderForm, fieldErrors, SenderForm, SmsProviderForm, WarmupForm } from "~/domain/sending/settings-schema";
import { translator } from "~/i18n";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { loadFeedbackAddress, rotateFeedbackAddress } from "~/server/admin/feedback-address.server";
import { sendTestEmail, TestSendRefused } from "~/server/admin/message-preview.server";
import {
  checkDnsRecords,
  generateDkimKey,
  loadSendingSettings,
  saveEmailProvider,
  saveSender,
  saveSmsProvider,
  SendingSettingsError,
  changeWarmupPlan,
  setWarmup,
} from "~/server/admin/sending-settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const [settings, feedback] = await Promise.all([loadSendingSettings(ctx.shop), loadFeedbackAddress(ctx.shop)]);
  // DNS answers slowly or not at all: the page renders first and the statuses stream in.
  return { settings, feedback, locale: ctx.locale, dnsStatus: checkDnsRecords(ctx.shop, settings.dkim) };
};

/** A new feedback address only with the confirmation the card asks for first. */
const FeedbackAddressForm = z.object({ intent: z.literal("feedback_address"), confirm: z.literal("yes") });

export type SendingActionData =
  | { intent: string; ok: true; sentTo?: string; changed?: boolean }
  | { intent: string; ok: false; errors: Record<string, string> }
  | { intent: string; ok: false; error: "secretsKeyMissing" | "warmupNotRunning" | "testRefused" | "invalid" }
  | { intent: string; ok: false; error: "testFailed"; reason: string };

type Parsed = { ok: true; run: () => Promise<void | { changed: boolean }> } | { ok: false; errors: Record<string, string> };

/** Parses the form with the intent's schema and binds the server call to the result. */
function handler<S extends z.ZodTypeAny>(schema: S, run: (data: z.infer<S>) => Promise<void | { changed: boolean }>) {
  return (form: Record<string, string>): Parsed => {
    const parsed = schema.safeParse(form);
    return parsed.success ? { ok: true, run: () => run(parsed.data) } : { ok: false, errors: fieldErrors(parsed.error) };
  };
}

export const action = async ({ request }: ActionFunctionArgs): Promise<Response | SendingActionData> => {
  const ctx = await requireAdmin(request);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const actor = ctx.demo ? "demo-merchant" : "merchant";
  const intent = form.intent ?? "";
  const handlers: Record<string, (form: Record<string, string>) => Parsed> = {
    sender: handler(SenderForm, (d) => saveSender(ctx.shop, d, actor)),
    email: handler(EmailProviderForm, (d) => saveEmailProvider(ctx.shop, d, actor)),
    sms: handler(SmsProviderForm, (d) => saveSmsProvider(ctx.shop, d, actor)),
    dkim: handler(DkimForm, (d) => generateDkimKey(ctx.shop, d, actor)),
    warmup: handler(WarmupForm, (d) =>
      d.warmup === "save" ? changeWarmupPlan(ctx.shop, d.ramp, actor) : setWarmup(ctx.shop, d.warmup === "start", actor, d.ramp),
    ),
    feedback_address: handler(FeedbackAddressForm, async () => void (await rotateFeedbackAddress(ctx.shop, actor))),
  };
  if (intent === "test") {
    const to = ctx.shop.senderEmail;
    if (!to) return { intent, ok: false, error: "testRefused" };
    try {
      await sendTestEmail(ctx.shop, "welcome_1", ctx.locale, to, actor);
    } catch (err) {
      if (err instanceof TestSendRefused) return { intent, ok: false, error: "testRefused" };
      // The provider refused or could not be reached: the merchant sees why, as the
      // provider said it (their own server and address), instead of an error page.
      const reason = err instanceof Error ? err.message.slice(0, 300) : String(err).slice(0, 300);
      return { intent, ok: false, error: "testFailed", reason };
    }
    return { intent, ok: true, sentTo: to };
  }
  const parse = handlers[intent];
  if (!parse) return Response.json({ intent, ok: false, error: "invalid" }, { status: 400 });
  const parsed = parse(form);
  if (!parsed.ok) return Response.json({ intent, ok: false, errors: parsed.errors }, { status: 400 });
  let outcome: void | { changed: boolean };
  try {
    outcome = await parsed.run();
  } catch (err) {
    if (err instanceof SendingSettingsError) return Response.json({ intent, ok: false, error: err.key }, { status: 409 });
    throw err;
  }
  return { intent, ok: true, ...(outcome ? { changed: outcome.changed } : {}) };
};

export default function SendingSettings() {
  const { settings, feedback, locale, dnsStatus } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as SendingActionData | undefined;
  const t = translator(locale);
  const resultFor = (intent: string) => (result?.intent === intent ? result : undefined);
  return (
    <Page title={t("sending.title")} subtitle={t("sending.subtitle")} backAction={{ content: t("sending.back"), url: "/app/settings" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <SenderCard t={t} values={settings.sender} result={resultFor("sender")} />
            <TestSendCard t={t} from={settings.sender.senderEmail} result={resultFor("test")} />
            <EmailProviderCard t={t} state={settings.email} secretsAvailable={settings.secretsAvailable} result={resultFor("email")} />
            <FeedbackAddressCard
              t={t}
              locale={locale}
              feedback={feedback}
              ownProvider={settings.email.smtpUrl.set}
              result={resultFor("feedback_address")}
            />
            <SmsProviderCard t={t} state={settings.sms} secretsAvailable={settings.secretsAvailable} result={resultFor("sms")} />
            <DkimCard
              t={t}
              dkim={settings.dkim}
              suggestedDomain={settings.suggestedDomain}
              dnsStatus={dnsStatus}
              result={resultFor("dkim")}
            />
            <WarmupCard t={t} warmup={settings.warmup} locale={locale} result={resultFor("warmup")} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
