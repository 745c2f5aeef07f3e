import { Badge, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { CriterionResult, StageVerdict, Threshold } from "~/domain/rollout";
import type { Translate } from "~/i18n";
import type { RolloutFormats } from "./format";

export interface StageView {
  percent: number;
  /** A window started by the merchant's resume (the check judges from the last one on). */
  resumed: boolean;
  from: string;
  to: string;
  current: boolean;
  entered: { new: number; base: number };
  verdict: StageVerdict;
  criteria: CriterionResult[];
}

const STATE_TONE = { pass: "success", breach: "critical", not_enough_data: undefined } as const;
const VERDICT_TONE = { go: "success", no_go: "critical", waiting: "attention" } as const;

export function thresholdText(t: Threshold, f: RolloutFormats, tr: Translate): string {
  return t.kind === "points"
    ? tr("rollout.criteria.pointsHigher", { points: f.points(t.value) })
    : tr("rollout.criteria.relativeLower", { share: f.share(t.value) });
}

/** One stage's go/no-go criteria: both versions' rates with their samples, the threshold, the state. */
export function CriteriaTable({ stage, f, t }: { stage: StageView; f: RolloutFormats; t: Translate }) {
  const value = (rate: number | null, n: number) =>
    rate === null ? t("rollout.criteria.noRate") : t("rollout.criteria.sample", { value: f.rate(rate), n: f.int(n) });
  const rows = stage.criteria.map((c) => [
    t(`rollout.criteria.${c.key}`),
    value(c.newValue, c.newSample),
    value(c.baseValue, c.baseSample),
    `${thresholdText(c.threshold, f, t)}; ${t("rollout.criteria.minSample", { n: f.int(c.minSample) })}`,
    <Badge key={c.key} tone={STATE_TONE[c.state]}>
      {t(`rollout.state.${c.state}`)}
    </Badge>,
  ]);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("rollout.criteria.heading", { percent: stage.percent })}
          </Text>
          <Badge tone={VERDICT_TONE[stage.verdict]}>{t(`rollout.verdict.${stage.verdict}`)}</Badge>
          {stage.current && <Badge>{t("rollout.criteria.current")}</Badge>}
          {stage.resumed && <Badge tone="attention">{t("rollout.criteria.resumed")}</Badge>}
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("rollout.criteria.window", {
            from: f.time(stage.from),
            to: f.time(stage.to),
            newEntered: f.int(stage.entered.new),
            baseEntered: f.int(stage.entered.base),
          })}
        </Text>
        <DataTable
          columnContentTypes={["text", "text", "text", "text", "text"]}
          headings={[
            t("rollout.criteria.criterion"),
            t("rollout.criteria.new"),
            t("rollout.criteria.base"),
            t("rollout.criteria.threshold"),
            t("rollout.criteria.state"),
          ]}
          rows={rows}
        />
      </BlockStack>
    </Card>
  );
}
