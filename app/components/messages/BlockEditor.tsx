import { BlockStack, Box, Button, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { ContentBlock } from "~/domain/messages/message-content";
import type { Translate } from "~/i18n";
import { errorFor, type FocusedField } from "./field-insert";

interface Props {
  block: ContentBlock;
  index: number;
  count: number;
  /** e.g. "en.blocks[2]" */
  path: string;
  errors: { path: string; message: string }[];
  products: { handle: string; title: string }[];
  onChange: (block: ContentBlock) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  onFocusField: (field: FocusedField) => void;
  t: Translate;
}

function blockTitle(block: ContentBlock, t: Translate): string {
  if (block.type === "text") return t(block.style === "heading" ? "msgEditor.block.heading" : "msgEditor.block.text");
  return t(`msgEditor.block.${block.type}`);
}

/** One content block: its fields, and moving or removing it. */
export function BlockEditor({ block, index, count, path, errors, products, onChange, onMove, onRemove, onFocusField, t }: Props) {
  const id = (field: string) => `${path}.${field}`.replace(/[^\w-]/g, "_");
  const text = (field: string, label: string, value: string, set: (v: string) => void, multiline = false) => (
    <TextField
      id={id(field)}
      label={label}
      value={value}
      onChange={set}
      onFocus={() => onFocusField({ id: id(field), value, set })}
      multiline={multiline ? 3 : undefined}
      autoComplete="off"
      error={errorFor(errors, `${path}.${field}`)}
    />
  );
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {blockTitle(block, t)}
          </Text>
          <InlineStack gap="100">
            <Button
              size="slim"
              disabled={index === 0}
              onClick={() => onMove(-1)}
              accessibilityLabel={`${t("msgEditor.moveUp")}: ${blockTitle(block, t)}`}
            >
              ↑
            </Button>
            <Button
              size="slim"
              disabled={index === count - 1}
              onClick={() => onMove(1)}
              accessibilityLabel={`${t("msgEditor.moveDown")}: ${blockTitle(block, t)}`}
            >
              ↓
            </Button>
            <Button size="slim" tone="critical" variant="plain" onClick={onRemove}>
              {t("msgEditor.remove")}
            </Button>
          </InlineStack>
        </InlineStack>
        {block.type === "text" &&
          text("text", t("msgEditor.text"), block.text, (v) => onChange({ ...block, text: v }), block.style !== "heading")}
        {block.type === "image" && (
          <>
            <TextField
              id={id("src")}
              label={t("msgEditor.imageUrl")}
              value={block.src}
              onChange={(v) => onChange({ ...block, src: v })}
              autoComplete="off"
              type="url"
              error={errorFor(errors, `${path}.src`)}
            />
            {text("alt", t("msgEditor.imageAlt"), block.alt, (v) => onChange({ ...block, alt: v }))}
          </>
        )}
        {block.type === "button" && (
          <>
            {text("label", t("msgEditor.buttonLabel"), block.label, (v) => onChange({ ...block, label: v }))}
            <Select
              id={id("target")}
              label={t("msgEditor.buttonTarget")}
              value={block.target}
              options={(["recovery", "home", "product"] as const).map((v) => ({ value: v, label: t(`msgEditor.target.${v}`) }))}
              onChange={(v) => onChange({ ...block, target: v as typeof block.target })}
            />
            {block.target === "product" && (
              <Select
                id={id("productHandle")}
                label={t("msgEditor.product")}
                value={block.productHandle ?? ""}
                options={[{ value: "", label: "—" }, ...products.map((p) => ({ value: p.handle, label: p.title }))]}
                onChange={(v) => onChange({ ...block, productHandle: v || undefined })}
                error={errorFor(errors, `${path}.productHandle`)}
              />
            )}
          </>
        )}
        {block.type === "products" && (
          <>
            <Text as="p" tone="subdued">
              {t("msgEditor.block.productsNote")}
            </Text>
            {text("title", t("msgEditor.productsTitle"), block.title ?? "", (v) => onChange({ ...block, title: v || undefined }))}
          </>
        )}
        {block.type === "discount" && (
          <Text as="p" tone="subdued">
            {t("msgEditor.block.discountNote")}
          </Text>
        )}
        {block.type === "footer" && (
          <Text as="p" tone="subdued">
            {t("msgEditor.block.footerNote")}
          </Text>
        )}
        {errorFor(errors, path) && (
          <Text as="p" tone="critical">
            {errorFor(errors, path)}
          </Text>
        )}
      </BlockStack>
    </Box>
  );
}
