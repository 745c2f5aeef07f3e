import { parseFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { db } from "~/server/db/client.server";
import { updateExperimentSettings } from "~/server/experiments/experiment-settings.server";
import { saveFlowDefinition } from "~/server/journeys/flows.server";
import { PLANTED_AB } from "./effects";

// The A/B test of the demo's history (effects.ts, PLANTED_AB), started as a merchant
// starts one: a new version of the welcome series whose first email has two variants
// (saveFlowDefinition -> appendFlowVersion, which starts the Experiment row), then the
// test's settings changed on its row (updateExperimentSettings, audited). From then on
// the product runs it: the engine splits recipients (abDraw), the rollups count each
// variant's sends and clicks, and the daily evaluation, which the history runs at each
// shop-local midnight (simulate.server.ts), applies the winner rule and, when it
// declares a winner, makes the winner's version itself.

/** Variant b's subject: the welcome gift named up front, in the reader's language. */
export const GIFT_SUBJECT =
  '{% if locale == "pl" %}Prezent na powitanie: {{ discount.valueLabel }} zniżki na pierwsze zakupy' +
  "{% else %}A welcome gift: {{ discount.valueLabel }} off your first order{% endif %}";

/**
 * The winner rule of a small shop: a few hundred subscribers in three months give each
 * variant ~200 recipients, at ~2 a day, short of the default 500, so the demo's
 * merchant asks for 100 per variant (reached after ~6 weeks; the rule's other defaults
 * kept: P >= 90 %, at least 7 days) and lets the test run the whole 90 days.
 */
export const DEMO_TEST_SETTINGS = { metric: "click_rate", minSample: 100, maxDays: 90 } as const;

export async function startWelcomeSubjectTest(shopId: string): Promise<{ experimentId: string; version: number }> {
  const flow = await db().flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key: PLANTED_AB.flow } } });
  const active = await db().flowVersion.findUniqueOrThrow({ where: { id: flow.activeVersionId! } });
  const definition = withSubjectTest(parseFlowDefinition(active.definition));
  const version = await saveFlowDefinition(
    shopId,
    PLANTED_AB.flow,
    definition,
    "demo",
    "A/B test: the welcome gift in the first subject line",
  );
  const versionId = (await db().flow.findUniqueOrThrow({ where: { id: flow.id } })).activeVersionId!;
  const experiment = await db().experiment.findFirstOrThrow({ where: { shopId, flowId: flow.id, flowVersionId: versionId } });
  await updateExperimentSettings(shopId, experiment.id, DEMO_TEST_SETTINGS, "demo");
  return { experimentId: experiment.id, version };
}

function withSubjectTest(def: FlowDefinition): FlowDefinition {
  return parseFlowDefinition({
    ...def,
    steps: def.steps.map((s) =>
      s.id === PLANTED_AB.stepId && s.type === "send"
        ? {
            ...s,
            variants: [
              { key: PLANTED_AB.control, weight: 1, label: "Welcome" },
              { key: PLANTED_AB.challenger, weight: 1, subject: GIFT_SUBJECT, label: "Gift in the subject" },
            ],
          }
        : s,
    ),
  });
}
