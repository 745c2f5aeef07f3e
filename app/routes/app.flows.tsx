import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { isCatalogueKey } from "~/domain/flows";
import { translator } from "~/i18n";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { loadFlows, toggleFlow } from "~/server/admin/flows.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  return { flows: await loadFlows(ctx.shop, ctx.locale), locale: ctx.locale };
};

const Toggle = z.object({ key: z.string().refine(isCatalogueKey, "unknown flow"), on: z.enum(["true", "false"]) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const parsed = Toggle.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message ?? "invalid" }, { status: 400 });
  await toggleFlow(ctx.shop, parsed.data.key, parsed.data.on === "true", ctx.demo ? "demo-merchant" : "merchant");
  return { ok: true };
};

export default function Flows() {
  const { flows, locale } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  const t = translator(locale);
  const int = new Intl.NumberFormat(locale === "pl" ? "pl-PL" : "en-US");
  return (
    <Page title={t("flows.title")} subtitle={t("flows.subtitle")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {flows.map((f) => (
              <Card key={f.key}>
                <InlineGrid columns={{ xs: 1, md: "2fr 1fr auto" }} gap="400" alignItems="center">
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
                  </BlockStack>
                  <InlineStack gap="400">
                    {(
                      [
                        ["flows.active", f.active],
                        ["flows.sent30", f.sent30],
                        ["flows.held30", f.held30],
                      ] as const
                    ).map(([label, value]) => (
                      <Box key={label}>
                        <Text as="p" variant="bodySm" tone="subdued">
                          {t(label)}
                        </Text>
                        <Text as="p" variant="headingMd">
                          {int.format(value)}
                        </Text>
                      </Box>
                    ))}
                  </InlineStack>
                  <Form method="post">
                    <input type="hidden" name="key" value={f.key} />
                    <input type="hidden" name="on" value={f.status === "on" ? "false" : "true"} />
                    <Button submit disabled={busy} variant={f.status === "on" ? "secondary" : "primary"}>
                      {t(f.status === "on" ? "flows.turnOff" : "flows.turnOn")}
                    </Button>
                  </Form>
                </InlineGrid>
              </Card>
            ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
