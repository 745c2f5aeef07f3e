import { useSearchParams } from "@remix-run/react";
import { Box, Button, InlineStack, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { Translate } from "~/i18n";

interface Props {
  period: { kind: "7" | "30" | "90" | "custom"; from: string; to: string };
  t: Translate;
}

/** The period in the query (period, from, to); the other parameters (language, Shopify's) stay. */
export function PeriodPicker({ period, t }: Props) {
  const [params, setParams] = useSearchParams();
  const [kind, setKind] = useState<string>(period.kind);
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const go = (next: Record<string, string>) => {
    const q = new URLSearchParams(params);
    for (const k of ["period", "from", "to"]) q.delete(k);
    for (const [k, v] of Object.entries(next)) q.set(k, v);
    setParams(q, { preventScrollReset: true });
  };
  const options = (["7", "30", "90", "custom"] as const).map((k) => ({ value: k, label: t(`report.period.${k}`) }));
  // On a phone the page has no side padding (cards run edge to edge): the form gets its own.
  return (
    <Box paddingInline={{ xs: "400", sm: "0" }}>
      <InlineStack gap="300" blockAlign="end" wrap>
        <div style={{ minWidth: 180 }}>
          <Select
            label={t("report.period.label")}
            options={options}
            value={kind}
            onChange={(v) => {
              setKind(v);
              if (v !== "custom") go({ period: v });
            }}
          />
        </div>
        {kind === "custom" && (
          <>
            <TextField label={t("report.period.from")} type="date" value={from} onChange={setFrom} autoComplete="off" />
            <TextField label={t("report.period.to")} type="date" value={to} onChange={setTo} autoComplete="off" />
            <Button onClick={() => go({ period: "custom", from, to })}>{t("report.period.apply")}</Button>
          </>
        )}
      </InlineStack>
    </Box>
  );
}
