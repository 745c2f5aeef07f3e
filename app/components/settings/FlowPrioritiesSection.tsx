import { Link, useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import type { Translate } from "~/i18n";
import { fieldError, SettingsForm, type SaveResult } from "./SettingsForm";

export interface FlowRowView {
  id: string;
  key: string;
  name: string;
  status: string;
  priority: number;
  version: number | null;
  reentryDays: number | null;
  reentryEditable: boolean;
  excludeAfterOrderHours: number | null;
  holdoutPercent: number | null;
  incrementPerEntry: { estimate: number; low: number; high: number } | null;
}

const COLUMNS = { xs: 1, md: "minmax(0, 2fr) 6rem 9rem 9rem 7rem minmax(0, 1.5fr) auto" } as const;
const text = (n: number | null) => (n === null ? "" : String(n));

/** One of a flow row's number fields: named as the action reads it, its error under it. */
function NumberCell(props: {
  name: "priority" | "reentryDays" | "excludeAfterOrderHours" | "holdoutPercent";
  id: string;
  label: string;
  initial: number | null;
  helpText?: string;
  t: Translate;
  result: SaveResult | undefined;
}) {
  const [value, setValue] = useState(text(props.initial));
  return (
    <TextField
      label={props.label}
      name={props.name}
      id={props.id}
      inputMode="numeric"
      value={value}
      onChange={setValue}
      autoComplete="off"
      helpText={props.helpText}
      error={fieldError(props.t, props.result, props.name)}
    />
  );
}

/** A row's cell that is read, not edited: its label over its value. */
function ReadOnlyCell({ label, children }: { label: string; children: ReactNode }) {
  return (
    <BlockStack gap="100">
      <Text as="span">{label}</Text>
      {children}
    </BlockStack>
  );
}

function FlowRow({ flow, t, money, shopHoldout }: { flow: FlowRowView; t: Translate; money: (n: number) => string; shopHoldout: number }) {
  const fetcher = useFetcher<SaveResult>();
  const result = fetcher.data?.intent === "flow" ? fetcher.data : undefined;
  const cell = { t, result };
  const inc = flow.incrementPerEntry;
  const status = flow.status === "on" ? "flows.on" : flow.status === "paused" ? "flows.paused" : "flows.off";
  return (
    <div data-flow={flow.key}>
      <Box paddingBlock="300" borderBlockStartWidth="025" borderColor="border">
        <SettingsForm fetcher={fetcher} intent="flow" t={t} label={t("settings.flows.save", { flow: flow.name })}>
          <input type="hidden" name="flowId" value={flow.id} />
          <InlineGrid columns={COLUMNS} gap="300" alignItems="start">
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {flow.name}
              </Text>
              <InlineStack gap="200">
                <Badge tone={flow.status === "on" ? "success" : flow.status === "paused" ? "attention" : undefined}>{t(status)}</Badge>
                {flow.version !== null && (
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t("settings.flows.version", { version: flow.version })}
                  </Text>
                )}
              </InlineStack>
            </BlockStack>
            <NumberCell
              {...cell}
              name="priority"
              id={`priority-${flow.key}`}
              label={t("settings.flows.priority")}
              initial={flow.priority}
            />
            {flow.reentryEditable ? (
              <NumberCell
                {...cell}
                name="reentryDays"
                id={`reentry-${flow.key}`}
                label={t("settings.flows.reentry")}
                initial={flow.reentryDays}
                helpText={t("settings.flows.reentryHelp")}
              />
            ) : (
              <ReadOnlyCell label={t("settings.flows.reentry")}>
                <Text as="span" tone="subdued">
                  {t("settings.flows.reentryFixed")}
                </Text>
              </ReadOnlyCell>
            )}
            <NumberCell
              {...cell}
              name="excludeAfterOrderHours"
              id={`exclude-${flow.key}`}
              label={t("settings.flows.exclude")}
              initial={flow.excludeAfterOrderHours}
              helpText={t("settings.flows.excludeHelp")}
            />
            <NumberCell
              {...cell}
              name="holdoutPercent"
              id={`holdout-${flow.key}`}
              label={t("settings.flows.holdout")}
              initial={flow.holdoutPercent}
              helpText={t("settings.flows.holdoutHelp", { percent: shopHoldout })}
            />
            <ReadOnlyCell label={t("settings.flows.increment")}>
              <Text as="span" tone={inc ? undefined : "subdued"} fontWeight={inc ? "semibold" : undefined}>
                {inc
                  ? t("settings.flows.incrementValue", { value: money(inc.estimate), low: money(inc.low), high: money(inc.high) })
                  : t("settings.flows.incrementNone")}
              </Text>
            </ReadOnlyCell>
          </InlineGrid>
        </SettingsForm>
      </Box>
    </div>
  );
}

export function FlowPrioritiesSection({
  t,
  flows,
  money,
  shopHoldout,
  suggestion,
  incrementDays,
  flowsUrl,
}: {
  t: Translate;
  flows: FlowRowView[];
  money: (n: number) => string;
  shopHoldout: number;
  /** Flow names in the order the measured increments suggest, or null. */
  suggestion: string[] | null;
  incrementDays: number;
  flowsUrl: string;
}) {
  const order = useFetcher<SaveResult>();
  const ordered = order.data?.intent === "order" && order.data.ok;
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("settings.flows.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("settings.flows.body")}
          </Text>
          <Text as="p" variant="bodySm">
            <Link to={flowsUrl}>{t("settings.flows.manage")}</Link>
          </Text>
        </BlockStack>
        {suggestion && !ordered && (
          <Banner tone="info" title={t("settings.flows.orderTitle")}>
            <BlockStack gap="200">
              <Text as="p">{t("settings.flows.orderBody", { days: incrementDays, order: suggestion.join(" › ") })}</Text>
              <order.Form method="post">
                <input type="hidden" name="intent" value="order" />
                <Button submit loading={order.state !== "idle"}>
                  {t("settings.flows.orderAction")}
                </Button>
              </order.Form>
            </BlockStack>
          </Banner>
        )}
        {ordered && (
          <div role="status">
            <Banner tone="success">{t("settings.flows.ordered")}</Banner>
          </div>
        )}
        <div>
          {flows.map((f) => (
            // Keyed by version: a new version (this row's save, or the reordering) resets the row's fields.
            <FlowRow key={`${f.id}-${f.version}-${f.priority}`} flow={f} t={t} money={money} shopHoldout={shopHoldout} />
          ))}
        </div>
      </BlockStack>
    </Card>
  );
}
