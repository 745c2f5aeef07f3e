// The shop-wide sections of the settings page: schedule (time zone, quiet hours per
// channel), frequency caps, measurement, opt-in and retention. Each section is saved
// on its own, audited with its before/after values in the same transaction.
import type { Prisma, Shop } from "@prisma/client";
import { parseFrequencyCaps } from "~/domain/arbitration/caps";
import type { FrequencyCaps } from "~/domain/arbitration/types";
import { shopExperimentDefaults, type ExperimentSettings } from "~/domain/experiments";
import { storefrontEventDays } from "~/domain/privacy/retention";
import { rolloutThresholdsOf, type RolloutThresholds } from "~/domain/rollout";
import { db } from "../../db/client.server";
import { reattributeShop } from "../../measurement/attribution.server";
import { auditChange } from "./audit.server";
import { hhmm, minutesOf, type CapsInput, type MeasurementInput, type PrivacyInput, type ScheduleInput } from "./forms.server";

export interface QuietHoursView {
  on: boolean;
  start: string;
  end: string;
}

export interface ShopSettingsView {
  timezone: string;
  quiet: { email: QuietHoursView; sms: QuietHoursView };
  caps: FrequencyCaps;
  holdoutPercent: number;
  attributionEmailDays: number;
  attributionSmsDays: number;
  attributeOpens: boolean;
  doubleOptIn: boolean;
  storefrontEventDays: number;
  /** The A/B winner rule new experiments start with. */
  experiments: ExperimentSettings;
  /** The staged rollouts' go/no-go thresholds (fractions; the defaults unless changed). */
  rolloutThresholds: RolloutThresholds;
}

type ShopColumns = Pick<
  Shop,
  | "timezone"
  | "quietHoursStart"
  | "quietHoursEnd"
  | "quietHoursSmsStart"
  | "quietHoursSmsEnd"
  | "frequencyCaps"
  | "holdoutPercent"
  | "attributionEmailDays"
  | "attributionSmsDays"
  | "attributeOpens"
  | "doubleOptIn"
  | "storefrontEventDays"
  | "settings"
>;

// start == end means "no quiet hours" (as the journeys read the columns, shops.server.ts).
const quietView = (start: number, end: number): QuietHoursView => ({ on: start !== end, start: hhmm(start), end: hhmm(end) });
const DEFAULT_VIEW = { start: "21:00", end: "08:00" };

export function shopSettingsView(s: ShopColumns): ShopSettingsView {
  const email = quietView(s.quietHoursStart, s.quietHoursEnd);
  // Null SMS columns: SMS follows the email quiet hours.
  const sms = s.quietHoursSmsStart === null || s.quietHoursSmsEnd === null ? email : quietView(s.quietHoursSmsStart, s.quietHoursSmsEnd);
  return {
    timezone: s.timezone,
    quiet: { email: email.on ? email : { ...email, ...DEFAULT_VIEW }, sms: sms.on ? sms : { ...sms, ...DEFAULT_VIEW } },
    caps: parseFrequencyCaps(s.frequencyCaps),
    holdoutPercent: s.holdoutPercent,
    attributionEmailDays: s.attributionEmailDays,
    attributionSmsDays: s.attributionSmsDays,
    attributeOpens: s.attributeOpens,
    doubleOptIn: s.doubleOptIn,
    storefrontEventDays: storefrontEventDays(s.storefrontEventDays),
    experiments: shopExperimentDefaults(s.settings),
    rolloutThresholds: rolloutThresholdsOf(s.settings),
  };
}

/** Audit values: quiet hours as "21:00-08:00" or "off". */
const quietText = (q: QuietHoursView) => (q.on ? `${q.start}-${q.end}` : "off");
const scheduleValues = (v: ShopSettingsView) => ({
  timezone: v.timezone,
  emailQuietHours: quietText(v.quiet.email),
  smsQuietHours: quietText(v.quiet.sms),
});

async function change(
  shopId: string,
  actor: string,
  action: string,
  data: (before: ShopSettingsView, row: Shop) => Prisma.ShopUpdateInput,
  values: (v: ShopSettingsView) => Record<string, unknown>,
): Promise<{ before: ShopSettingsView; after: ShopSettingsView; changed: boolean }> {
  return db().$transaction(async (tx) => {
    // FOR UPDATE: two saves of one section do not interleave their before/after.
    await tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${shopId} FOR UPDATE`;
    const row = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
    const before = shopSettingsView(row);
    const after = shopSettingsView(await tx.shop.update({ where: { id: shopId }, data: data(before, row) }));
    const changed = await auditChange(tx, {
      shopId,
      actor,
      action,
      subjectType: "shop",
      subjectId: shopId,
      before: values(before),
      after: values(after),
    });
    return { before, after, changed };
  });
}

export async function saveSchedule(shopId: string, input: ScheduleInput, actor: string) {
  return change(
    shopId,
    actor,
    "settings.schedule_updated",
    () => ({
      timezone: input.timezone,
      quietHoursStart: input.emailQuiet ? minutesOf(input.emailQuietStart) : 0,
      quietHoursEnd: input.emailQuiet ? minutesOf(input.emailQuietEnd) : 0,
      // Stored explicitly from now on: SMS has quiet hours of its own (start == end: none).
      quietHoursSmsStart: input.smsQuiet ? minutesOf(input.smsQuietStart) : 0,
      quietHoursSmsEnd: input.smsQuiet ? minutesOf(input.smsQuietEnd) : 0,
    }),
    scheduleValues,
  );
}

export async function saveCaps(shopId: string, input: CapsInput, actor: string) {
  return change(
    shopId,
    actor,
    "settings.caps_updated",
    () => ({ frequencyCaps: input }),
    (v) => ({ emailCaps: v.caps.email, smsCaps: v.caps.sms }),
  );
}

/**
 * Holdout default and attribution. A change of a window or of open attribution
 * re-attributes every order of the shop afterwards (the figures must follow the rule
 * the merchant now reads them by).
 */
export async function saveMeasurement(shopId: string, input: MeasurementInput, actor: string) {
  const values = (v: ShopSettingsView) => ({
    holdoutPercent: v.holdoutPercent,
    attributionEmailDays: v.attributionEmailDays,
    attributionSmsDays: v.attributionSmsDays,
    attributeOpens: v.attributeOpens,
    abTest: v.experiments,
  });
  const experiments: ExperimentSettings = {
    metric: input.abMetric,
    minSample: input.abMinSample,
    minProbability: input.abMinProbabilityPercent / 100,
    minDays: input.abMinDays,
    maxDays: input.abMaxDays,
  };
  const r = await change(
    shopId,
    actor,
    "settings.measurement_updated",
    (_before, row) => ({
      holdoutPercent: input.holdoutPercent,
      attributionEmailDays: input.attributionEmailDays,
      attributionSmsDays: input.attributionSmsDays,
      attributeOpens: input.attributeOpens,
      settings: withExperiments(row.settings, experiments),
    }),
    values,
  );
  const rule = (v: ShopSettingsView) => [v.attributionEmailDays, v.attributionSmsDays, v.attributeOpens].join("/");
  const reattributed = rule(r.before) !== rule(r.after) ? await reattributeShop(shopId) : null;
  return { ...r, reattributed };
}

/** Shop.settings with the A/B defaults replaced, everything else kept. */
function withExperiments(settings: Prisma.JsonValue, experiments: ExperimentSettings): Prisma.InputJsonObject {
  const rest = settings && typeof settings === "object" && !Array.isArray(settings) ? (settings as Prisma.InputJsonObject) : {};
  return { ...rest, experiments: { ...experiments } };
}

/** The go/no-go thresholds every rollout of the shop is judged by from the next check on. */
export async function saveRolloutThresholds(shopId: string, input: RolloutThresholds, actor: string) {
  return change(
    shopId,
    actor,
    "settings.rollout_thresholds_updated",
    (_before, row) => {
      const rest = row.settings && typeof row.settings === "object" && !Array.isArray(row.settings) ? row.settings : {};
      return { settings: { ...(rest as Prisma.InputJsonObject), rolloutThresholds: { ...input } } };
    },
    // In the percent the merchant typed (2 points, 70 %), not the stored fractions.
    (v) => Object.fromEntries(Object.entries(v.rolloutThresholds).map(([k, x]) => [k, Math.round(x * 10_000) / 100])),
  );
}

export async function savePrivacy(shopId: string, input: PrivacyInput, actor: string) {
  return change(
    shopId,
    actor,
    "settings.privacy_updated",
    () => input,
    (v) => ({
      doubleOptIn: v.doubleOptIn,
      storefrontEventDays: v.storefrontEventDays,
    }),
  );
}
