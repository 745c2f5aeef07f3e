import type { FetcherWithComponents } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, InlineStack } from "@shopify/polaris";
import type { ReactNode } from "react";
import { isMessageKey, type Translate } from "~/i18n";

/** What the settings action answers for one section's save. */
export interface SaveResult {
  intent: string;
  ok: boolean;
  changed?: boolean;
  errors?: Record<string, string>;
  flowId?: string;
  notFound?: boolean;
  reattributed?: { attributed: number; changed: number } | null;
}

export type SettingsFetcher = FetcherWithComponents<SaveResult>;

/** A field's error, translated, for the `error` prop of a Polaris field. */
export function fieldError(t: Translate, result: SaveResult | undefined, field: string): string | undefined {
  const key = result && !result.ok ? result.errors?.[field] : undefined;
  if (!key) return undefined;
  return isMessageKey(key) ? t(key) : key;
}

/** One section's own form: saved on its own, its result shown beside its button. */
export function SettingsForm({
  fetcher,
  intent,
  t,
  children,
  label,
  extra,
}: {
  fetcher: SettingsFetcher;
  intent: string;
  t: Translate;
  children: ReactNode;
  label?: string;
  extra?: ReactNode;
}) {
  const result = fetcher.data?.intent === intent ? fetcher.data : undefined;
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" noValidate>
      <input type="hidden" name="intent" value={intent} />
      <BlockStack gap="300">
        {children}
        <InlineStack gap="300" blockAlign="center">
          <Button submit variant="primary" loading={busy} accessibilityLabel={label}>
            {t("settings.general.save")}
          </Button>
          <Box>
            <div role="status" aria-live="polite">
              {result && !busy && (
                <Banner tone={result.ok ? "success" : "critical"}>
                  {result.notFound
                    ? t("settings.general.notFound")
                    : result.ok
                      ? t(result.changed === false ? "settings.general.unchanged" : "settings.general.saved")
                      : t("settings.general.failed")}
                  {extra}
                </Banner>
              )}
            </div>
          </Box>
        </InlineStack>
      </BlockStack>
    </fetcher.Form>
  );
}
