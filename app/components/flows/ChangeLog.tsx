import { Form } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, InlineStack, List, Text } from "@shopify/polaris";
import { useState } from "react";
import type { DiffLine } from "~/domain/flows/definition-diff";
import type { Translate } from "~/i18n";

// The flow's versions, newest first: who, when, the note and what changed against the
// version before; any earlier version can be made active again after a confirmation.

export interface VersionEntry {
  version: number;
  active: boolean;
  createdAt: string;
  createdBy: string | null;
  note: string | null;
  diff: DiffLine[] | null;
}

export function ChangeLog(props: { history: VersionEntry[]; busy: boolean; when: (iso: string) => string; t: Translate }) {
  const { history, t } = props;
  const [confirming, setConfirming] = useState<number | null>(null);
  const who = (actor: string | null) =>
    actor === "system"
      ? t("flow.actor.system")
      : actor === "demo"
        ? t("flow.actor.demo")
        : actor === "merchant" || actor === "demo-merchant"
          ? t("flow.actor.merchant")
          : (actor ?? "—");
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("flow.history.title")}
        </Text>
        {history.map((v, i) => (
          <div key={v.version} data-version={v.version}>
            <BlockStack gap="200">
              {i > 0 && <Divider />}
              <InlineStack gap="200" blockAlign="center" align="space-between">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    {t("flow.history.version", { version: v.version })}
                  </Text>
                  {v.active && <Badge tone="success">{t("flow.history.active")}</Badge>}
                </InlineStack>
                {!v.active && confirming !== v.version && (
                  <Button onClick={() => setConfirming(v.version)} disabled={props.busy}>
                    {t("flow.history.rollback", { version: v.version })}
                  </Button>
                )}
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                {t("flow.history.by", { who: who(v.createdBy), when: props.when(v.createdAt) })}
              </Text>
              {v.note && <Text as="p">{v.note}</Text>}
              {v.diff === null ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("flow.history.first")}
                </Text>
              ) : v.diff.length === 0 ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("flow.diff.none")}
                </Text>
              ) : (
                <List type="bullet">
                  {v.diff.map((d, j) => (
                    <List.Item key={j}>
                      {d.before !== undefined || d.after !== undefined ? (
                        <span data-diff>
                          {d.label}: <s>{d.before}</s> → <strong>{d.after}</strong>
                        </span>
                      ) : (
                        <span data-diff>{d.label}</span>
                      )}
                    </List.Item>
                  ))}
                </List>
              )}
              {confirming === v.version && (
                <Box>
                  <Banner tone="warning">
                    <BlockStack gap="200">
                      <Text as="p">{t("flow.history.confirm", { version: v.version })}</Text>
                      <InlineStack gap="200">
                        <Form method="post">
                          <input type="hidden" name="intent" value="rollback" />
                          <input type="hidden" name="version" value={v.version} />
                          <Button submit variant="primary" disabled={props.busy}>
                            {t("flow.history.confirmYes")}
                          </Button>
                        </Form>
                        <Button onClick={() => setConfirming(null)}>{t("flow.history.confirmNo")}</Button>
                      </InlineStack>
                    </BlockStack>
                  </Banner>
                </Box>
              )}
            </BlockStack>
          </div>
        ))}
      </BlockStack>
    </Card>
  );
}
