import { Await, Form, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, FormLayout, InlineStack, Text } from "@shopify/polaris";
import { Suspense } from "react";
import type { Translate } from "~/i18n";
import type { DnsRecord, RecordStatus } from "~/domain/sending/dns-records";
import { Field, ResultBanner, type Result } from "./form-bits";

const TONE: Record<RecordStatus, "success" | "critical" | "warning" | undefined> = {
  found: "success",
  missing: "critical",
  mismatch: "warning",
  unchecked: undefined,
};

function StatusBadge({ t, status }: { t: Translate; status: RecordStatus | "checking" }) {
  return <Badge tone={status === "checking" ? undefined : TONE[status]}>{t(`sending.dkim.status.${status}`)}</Badge>;
}

export function DkimCard(props: {
  t: Translate;
  dkim: { domain: string; selector: string; records: DnsRecord[] } | null;
  suggestedDomain: string;
  dnsStatus: Promise<Record<string, RecordStatus>>;
  result: Result;
}) {
  const { t, dkim, result } = props;
  const busy = useNavigation().state !== "idle";
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("sending.dkim.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("sending.dkim.help")}
        </Text>
        <ResultBanner t={t} result={result} />
        <Text as="p" fontWeight="semibold">
          {dkim ? t("sending.dkim.signing", { domain: dkim.domain, selector: dkim.selector }) : t("sending.dkim.none")}
        </Text>
        {dkim && (
          <BlockStack gap="300">
            {dkim.records.map((r) => (
              <Box key={r.kind} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                <BlockStack gap="150">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h3" variant="headingSm">
                      {t(`sending.dkim.record.${r.kind}`)} · {r.type}
                    </Text>
                    <span data-testid={`dns-status-${r.kind}`}>
                      <Suspense fallback={<StatusBadge t={t} status="checking" />}>
                        <Await resolve={props.dnsStatus} errorElement={<StatusBadge t={t} status="unchecked" />}>
                          {(statuses) => <StatusBadge t={t} status={statuses[r.kind] ?? "unchecked"} />}
                        </Await>
                      </Suspense>
                    </span>
                  </InlineStack>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {t("sending.dkim.name")}
                  </Text>
                  <code style={{ overflowWrap: "anywhere", fontSize: 13 }}>{r.name}</code>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {t("sending.dkim.value")}
                  </Text>
                  <code data-testid={`dns-value-${r.kind}`} style={{ overflowWrap: "anywhere", fontSize: 13 }}>
                    {r.value}
                  </code>
                </BlockStack>
              </Box>
            ))}
          </BlockStack>
        )}
        <Form method="post" data-testid="dkim-form">
          <input type="hidden" name="intent" value="dkim" />
          <BlockStack gap="300">
            <FormLayout>
              <FormLayout.Group>
                <Field
                  t={t}
                  name="domain"
                  label={t("sending.dkim.domain")}
                  initial={dkim?.domain ?? props.suggestedDomain}
                  result={result}
                />
                <Field t={t} name="selector" label={t("sending.dkim.selector")} initial={dkim?.selector ?? "flowmate"} result={result} />
              </FormLayout.Group>
            </FormLayout>
            <div>
              <Button submit disabled={busy}>
                {dkim ? t("sending.dkim.regenerate") : t("sending.dkim.generate")}
              </Button>
            </div>
          </BlockStack>
        </Form>
      </BlockStack>
    </Card>
  );
}
