import { BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import type { ContentBlock, LocaleContent } from "~/domain/messages/message-content";
import type { Translate } from "~/i18n";
import { BlockEditor } from "./BlockEditor";
import { errorFor, type FocusedField } from "./field-insert";

interface Props {
  locale: "en" | "pl";
  value: LocaleContent;
  onChange: (value: LocaleContent) => void;
  errors: { path: string; message: string }[];
  products: { handle: string; title: string }[];
  hasDiscount: boolean;
  onFocusField: (field: FocusedField) => void;
  t: Translate;
}

const NEW_BLOCKS: {
  key: string;
  make: () => ContentBlock;
  label:
    | "msgEditor.block.heading"
    | "msgEditor.block.text"
    | "msgEditor.block.image"
    | "msgEditor.block.button"
    | "msgEditor.block.products"
    | "msgEditor.block.discount"
    | "msgEditor.block.footer";
}[] = [
  { key: "heading", make: () => ({ type: "text", style: "heading", text: "" }), label: "msgEditor.block.heading" },
  { key: "text", make: () => ({ type: "text", style: "paragraph", text: "" }), label: "msgEditor.block.text" },
  { key: "image", make: () => ({ type: "image", src: "https://", alt: "" }), label: "msgEditor.block.image" },
  { key: "button", make: () => ({ type: "button", label: "", target: "home" }), label: "msgEditor.block.button" },
  { key: "products", make: () => ({ type: "products" }), label: "msgEditor.block.products" },
  { key: "discount", make: () => ({ type: "discount" }), label: "msgEditor.block.discount" },
  { key: "footer", make: () => ({ type: "footer" }), label: "msgEditor.block.footer" },
];

/** Subject, preheader and the blocks of one language. */
export function EmailEditor({ locale, value, onChange, errors, products, hasDiscount, onFocusField, t }: Props) {
  const blocks = value.blocks ?? [];
  const setBlocks = (next: ContentBlock[]) => onChange({ ...value, blocks: next });
  const field = (name: "subject" | "preheader", label: string, help?: string) => {
    const id = `${locale}_${name}`;
    const v = value[name] ?? "";
    const set = (s: string) => onChange({ ...value, [name]: s });
    return (
      <TextField
        id={id}
        label={label}
        helpText={help}
        value={v}
        onChange={set}
        onFocus={() => onFocusField({ id, value: v, set })}
        autoComplete="off"
        error={errorFor(errors, `${locale}.${name}`)}
      />
    );
  };
  const hasFooter = blocks.some((b) => b.type === "footer");
  return (
    <BlockStack gap="300">
      {field("subject", t("msgEditor.subject"))}
      {field("preheader", t("msgEditor.preheader"), t("msgEditor.preheaderHelp"))}
      <Text as="h2" variant="headingMd">
        {t("msgEditor.blocks")}
      </Text>
      {errorFor(errors, `${locale}.blocks`) && (
        <Text as="p" tone="critical">
          {errorFor(errors, `${locale}.blocks`)}
        </Text>
      )}
      {blocks.map((block, i) => (
        <BlockEditor
          key={i}
          block={block}
          index={i}
          count={blocks.length}
          path={`${locale}.blocks[${i}]`}
          errors={errors}
          products={products}
          t={t}
          onFocusField={onFocusField}
          onChange={(b) => setBlocks(blocks.map((x, j) => (j === i ? b : x)))}
          onRemove={() => setBlocks(blocks.filter((_, j) => j !== i))}
          onMove={(d) => {
            const next = [...blocks];
            const [moved] = next.splice(i, 1);
            next.splice(i + d, 0, moved!);
            setBlocks(next);
          }}
        />
      ))}
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {t("msgEditor.addBlock")}
        </Text>
        <InlineStack gap="100">
          {NEW_BLOCKS.filter((b) => (b.key !== "discount" || hasDiscount) && (b.key !== "footer" || !hasFooter)).map((b) => (
            <Button key={b.key} size="slim" onClick={() => setBlocks(footerLast([...blocks, b.make()]))}>
              {`+ ${t(b.label)}`}
            </Button>
          ))}
        </InlineStack>
      </BlockStack>
    </BlockStack>
  );
}

/** A new block goes above the footer, where a reader expects content. */
function footerLast(blocks: ContentBlock[]): ContentBlock[] {
  const footer = blocks.findIndex((b) => b.type === "footer");
  if (footer === -1 || footer === blocks.length - 1 || blocks.at(-1)?.type === "footer") return blocks;
  const added = blocks.at(-1)!;
  const rest = blocks.slice(0, -1);
  rest.splice(footer, 0, added);
  return rest;
}
