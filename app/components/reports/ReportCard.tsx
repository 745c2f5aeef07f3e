import { useLocation } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import type { Translate } from "~/i18n";

interface Props {
  title: string;
  /** The export route (…/export) and the table's id; no button without them. */
  exportPath?: string;
  table?: string;
  t: Translate;
  children: ReactNode;
}

/**
 * A report section: its title, its CSV export, its content. The export is a fetch,
 * not a link: inside Shopify admin App Bridge adds the session token to fetches only.
 */
export function ReportCard({ title, exportPath, table, t, children }: Props) {
  const location = useLocation();
  const [state, setState] = useState<"idle" | "busy" | "failed">("idle");
  const download = async () => {
    if (!exportPath || !table) return;
    setState("busy");
    const q = new URLSearchParams(location.search);
    q.set("table", table);
    try {
      const res = await fetch(`${exportPath}?${q}`);
      if (!res.ok) throw new Error(String(res.status));
      const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `${table}.csv`;
      const url = URL.createObjectURL(await res.blob());
      const a = Object.assign(document.createElement("a"), { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(url);
      setState("idle");
    } catch {
      setState("failed");
    }
  };
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {exportPath && table && (
            <InlineStack gap="200" blockAlign="center">
              {state === "failed" && (
                <Text as="span" tone="critical">
                  {t("report.exportFailed")}
                </Text>
              )}
              <Button
                size="slim"
                onClick={() => void download()}
                loading={state === "busy"}
                accessibilityLabel={`${t("report.export")}: ${title}`}
              >
                {t("report.export")}
              </Button>
            </InlineStack>
          )}
        </InlineStack>
        {children}
      </BlockStack>
    </Card>
  );
}
