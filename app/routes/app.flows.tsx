import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { isCatalogueKey } from "~/domain/flows";
import { translator } from "~/i18n";
import { SmsEstimate } from "~/components/flows/SmsEstimate";
import { localeTag } from "~/i18n/locale-tag";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { loadFlows, toggleFlow } from "~/server/admin/flows.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const flows = await loadFlows(ctx.shop, ctx.locale);
  // "Turn on" of a flow that sends SMS lands here first: the estimate, then a confirmed submit.
  const confirm = new URL(request.url).searchParams.get("confirm");
  const confirming = flows.find((f) => f.key === confirm && f.status !== "on" && f.smsEstimate);
  return { flows, locale: ctx.locale, confirmKey: confirming?.key ?? null };
};

const Toggle = z.object({
  key: z.string().refine(isCatalogueKey, "unknown flow"),
  on: z.enum(["true", "false"]),
  confirmSmsCost: z.enum(["true", "false"]).optional(),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const parsed = Toggle.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message ?? "invalid" }, { status: 400 });
  const result = await toggleFlow(ctx.shop, parsed.data.key, parsed.data.on === "true", ctx.demo ? "demo-merchant" : "merchant", {
    confirmSmsCost: parsed.data.confirmSmsCost === "true",
  });
  if (!result.ok && result.reason === "invalid_definition")
    return Response.json({ error: result.errors, reason: result.reason }, { status: 400 });
  if (!result.ok)
    return Response.json(
      { error: "This flow sends SMS: turn it on with confirmSmsCost=true after its cost estimate was shown.", reason: result.reason },
      { status: 400 },
    );
  // Leave the confirmation view (the rest of the query, e.g. the language, stays).
  const url = new URL(request.url);
  if (url.searchParams.has("confirm")) {
    url.searchParams.delete("confirm");
    return redirect(`${url.pathname}${url.search}`);
  }
  return { ok: true };
};

export default function Flows() {
  const { flows, locale, confirmKey } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as { error?: string; reason?: string } | undefined;
  const location = useLocation();
  const busy = useNavigation().state !== "idle";
  const t = translator(locale);
  const int = new Intl.NumberFormat(localeTag(locale));
  const withConfirm = (key: string | null) => {
    const q = new URLSearchParams(location.search);
    if (key) q.set("confirm", key);
    else q.delete("confirm");
    const s = q.toString();
    return `${location.pathname}${s ? `?${s}` : ""}`;
  };
  const confirming = flows.find((f) => f.key === confirmKey);
  const lang = new URLSearchParams(location.search).get("lang");
  const languageQuery = lang ? `?lang=${lang}` : "";
  return (
    <Page title={t("flows.title")} subtitle={t("flows.subtitle")}>
      <Layout>
        {failed?.error && (
          <Layout.Section>
            <Banner tone="critical">
              {failed.reason === "sms_cost_unconfirmed"
                ? t("flows.sms.confirmRequired")
                : failed.reason === "invalid_definition"
                  ? t("flow.cannotTurnOn", { errors: failed.error })
                  : failed.error}
            </Banner>
          </Layout.Section>
        )}
        {confirming?.smsEstimate && (
          <Layout.Section>
            <div data-testid="sms-confirmation">
              <Banner tone="warning" title={t("flows.sms.confirm.title", { flow: confirming.name })}>
                <BlockStack gap="300">
                  <Text as="p">{t("flows.sms.confirm.body")}</Text>
                  <SmsEstimate estimate={confirming.smsEstimate} locale={locale} t={t} />
                  <InlineStack gap="200" blockAlign="center">
                    <Form method="post">
                      <input type="hidden" name="key" value={confirming.key} />
                      <input type="hidden" name="on" value="true" />
                      <input type="hidden" name="confirmSmsCost" value="true" />
                      <Button submit variant="primary" disabled={busy}>
                        {t("flows.sms.confirm.accept")}
                      </Button>
                    </Form>
                    <Button url={withConfirm(null)}>{t("flows.sms.confirm.cancel")}</Button>
                  </InlineStack>
                </BlockStack>
              </Banner>
            </div>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="300">
            {flows.map((f) => (
              <div key={f.key} data-flow={f.key}>
                <Card>
                  <BlockStack gap="300">
                    <InlineGrid columns={{ xs: 1, md: "minmax(0, 2fr) auto auto" }} gap="400" alignItems="center">
                      <BlockStack gap="100">
                        <InlineStack gap="200" blockAlign="center">
                          <Text as="h2" variant="headingMd">
                            {f.name}
                          </Text>
                          <Badge tone={f.status === "on" ? "success" : f.status === "paused" ? "attention" : undefined}>
                            {t(f.status === "on" ? "flows.on" : f.status === "paused" ? "flows.paused" : "flows.off")}
                          </Badge>
                        </InlineStack>
                        <Text as="p" tone="subdued">
                          {f.description}
                        </Text>
                        <Text as="p" variant="bodySm" tone="subdued">
                          {t("flows.priority")} {f.priority} · {t("flows.version")} {f.version} · {t("flows.rollout")} {f.rolloutPercent}%
                        </Text>
                        {f.id && (
                          <InlineStack gap="300">
                            <Text as="p" variant="bodySm">
                              <Link to={`/app/flows/${f.id}${languageQuery}`}>{t("flow.open")}</Link>
                            </Text>
                            <Text as="p" variant="bodySm">
                              <Link to={`/app/flows/${f.id}/report${languageQuery}`}>{t("flows.report")}</Link>
                            </Text>
                          </InlineStack>
                        )}
                      </BlockStack>
                      <InlineStack gap="400">
                        {(
                          [
                            ["flows.active", f.active],
                            ["flows.sent30", f.sent30],
                            ["flows.heldOut30", f.heldOut30],
                            ["flows.deferred30", f.deferred30],
                            ["flows.skipped30", f.skipped30],
                          ] as const
                        ).map(([label, value]) => (
                          <div key={label} data-counter={label}>
                            <Text as="p" variant="bodySm" tone="subdued">
                              {t(label)}
                            </Text>
                            <Text as="p" variant="headingMd">
                              {int.format(value)}
                            </Text>
                          </div>
                        ))}
                      </InlineStack>
                      {/* A steady width, so the statistics line up whatever the button says. */}
                      <Box minWidth="96px">
                        <InlineStack align="end">
                          {f.status !== "on" && f.smsEstimate ? (
                            // A flow that sends SMS goes live only after its cost estimate was shown and confirmed.
                            <Button url={withConfirm(f.key)} variant="primary" disabled={busy}>
                              {t("flows.turnOn")}
                            </Button>
                          ) : (
                            <Form method="post">
                              <input type="hidden" name="key" value={f.key} />
                              <input type="hidden" name="on" value={f.status === "on" ? "false" : "true"} />
                              <Button submit disabled={busy} variant={f.status === "on" ? "secondary" : "primary"}>
                                {t(f.status === "on" ? "flows.turnOff" : "flows.turnOn")}
                              </Button>
                            </Form>
                          )}
                        </InlineStack>
                      </Box>
                    </InlineGrid>
                    {f.smsEstimate && (
                      <Box background="bg-surface-secondary" borderRadius="200" padding="300">
                        <SmsEstimate estimate={f.smsEstimate} locale={locale} t={t} />
                      </Box>
                    )}
                  </BlockStack>
                </Card>
              </div>
            ))}
            <Text as="p" variant="bodySm" tone="subdued">
              {t("flows.countersNote")}
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
