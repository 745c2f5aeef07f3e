// The setup checklist: each item checked against the shop's real state (server side),
// with a link to where it is fixed. Once every item is done the card folds into one
// line with a button that opens it again.
import { Badge, BlockStack, Box, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import type { ChecklistItem, ChecklistItemKey } from "~/domain/onboarding/checklist";
import type { ChecklistLink } from "~/server/admin/home/checklist.server";
import type { MessageKey } from "~/i18n/en";
import type { Translate } from "~/i18n";

interface Props {
  items: ChecklistItem[];
  links: Record<ChecklistItemKey, ChecklistLink>;
  flowsOn: number;
  t: Translate;
}

function Mark({ done }: { done: boolean }) {
  const colour = done ? "var(--p-color-icon-success)" : "var(--p-color-icon-secondary)";
  return (
    <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false" style={{ flex: "none" }}>
      <circle
        cx="12"
        cy="12"
        r="10"
        fill={done ? colour : "none"}
        stroke={colour}
        strokeWidth="2"
        strokeDasharray={done ? undefined : "3 3"}
      />
      {done && <path d="M7.5 12.5l3 3 6-6.5" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />}
    </svg>
  );
}

function Item({ item, link, flowsOn, t }: { item: ChecklistItem; link: ChecklistLink; flowsOn: number; t: Translate }) {
  const detail = `home.setup.${item.key}.${item.state}` as MessageKey;
  return (
    <li data-testid={`setup-${item.key}`} data-done={item.done ? "true" : "false"} style={{ listStyle: "none" }}>
      <Box paddingBlock="300" borderBlockStartWidth="025" borderColor="border-secondary">
        <InlineStack gap="300" wrap={false} blockAlign="start">
          <Mark done={item.done} />
          <Box width="100%">
            <BlockStack gap="100">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {t(`home.setup.${item.key}.title` as MessageKey)}
                </Text>
                <Badge tone={item.done ? "success" : item.state === "unverified" ? "attention" : undefined}>
                  {item.done ? t("home.setup.done") : t("home.setup.todo")}
                </Badge>
              </InlineStack>
              <Text as="p" tone="subdued">
                {t(detail, { count: flowsOn })}
              </Text>
              <Box>
                <Button url={link.url} external={link.external} variant={item.done ? "plain" : "secondary"}>
                  {t(link.label ?? (`home.setup.${item.key}.action` as MessageKey))}
                </Button>
              </Box>
            </BlockStack>
          </Box>
        </InlineStack>
      </Box>
    </li>
  );
}

export function SetupChecklist({ items, links, flowsOn, t }: Props) {
  const done = items.filter((i) => i.done).length;
  const allDone = done === items.length;
  const [open, setOpen] = useState(!allDone);
  // Opening or folding the card removes the button just pressed: focus goes to what replaced it.
  const toggled = useRef(false);
  const section = useRef<HTMLElement>(null);
  const folded = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!toggled.current) return;
    if (open) section.current?.focus();
    else folded.current?.querySelector("button")?.focus();
  }, [open]);
  const toggle = (to: boolean) => {
    toggled.current = true;
    setOpen(to);
  };
  if (!open) {
    return (
      <Card>
        <div ref={folded}>
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              <Mark done />
              <Text as="p">{t("home.setup.allDone")}</Text>
            </InlineStack>
            <Button onClick={() => toggle(true)} ariaExpanded={false}>
              {t("home.setup.show")}
            </Button>
          </InlineStack>
        </div>
      </Card>
    );
  }
  return (
    <Card>
      <section id="setup-checklist" ref={section} tabIndex={-1} aria-labelledby="setup-checklist-title" data-testid="setup-checklist">
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingMd" id="setup-checklist-title">
              {t("home.setup.title")}
            </Text>
            <InlineStack gap="300" blockAlign="center">
              <Text as="span" tone="subdued">
                {t("home.setup.progress", { done, total: items.length })}
              </Text>
              {allDone && (
                <Button variant="plain" onClick={() => toggle(false)} ariaControls="setup-checklist" ariaExpanded>
                  {t("home.setup.hide")}
                </Button>
              )}
            </InlineStack>
          </InlineStack>
          <ProgressBar progress={(done / items.length) * 100} size="small" tone="success" />
          <ul style={{ margin: 0, padding: 0 }}>
            {items.map((item) => (
              <Item key={item.key} item={item} link={links[item.key]} flowsOn={flowsOn} t={t} />
            ))}
          </ul>
        </BlockStack>
      </section>
    </Card>
  );
}
