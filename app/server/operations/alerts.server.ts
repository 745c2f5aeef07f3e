import {
  ALERT_REPEAT_MS,
  alertConditions,
  DEFAULT_FAILURE_STREAK,
  minutes,
  parseLagThresholds,
  type AlertCondition,
  type AlertSettings,
  type LateQueue,
} from "~/domain/operations/alert-rules";
import { alertEmailText } from "~/domain/operations/alert-text";
import { internalAddresses } from "../admin/message-preview.server";
import { mailTransport } from "../channels/email/transport.server";
import { forLog } from "../channels/outbox.server";
import { appBaseUrl, readEnv } from "../config.server";
import { database, db } from "../db/client.server";
import { claimAlert, releaseAlert } from "../db/sql/operations.server";
import { lateShops, QUEUE_TASKS } from "../db/sql/queue-health.server";
import { log } from "../log.server";
import type { TaskStats } from "../worker/task-runner.server";

// The worker's alert check (every minute, any number of workers): a queue whose oldest
// due item is older than its threshold, per shop, and a task failing N passes in a
// row. Each condition is logged at error level and emailed (a shop's lag to the shop's
// own addresses; failures, and lag of items no shop owns, to ALERT_EMAIL), at most once
// an hour across all workers: the AlertState row is claimed before anything is said.

export const RUNBOOK_PATH = "docs/runbooks/alerts.md";

export function alertSettings(env = readEnv()): AlertSettings & { operatorEmail: string | null } {
  return {
    lagThresholdsMs: parseLagThresholds(env.ALERT_LAG_MINUTES),
    failureStreak: env.ALERT_FAILURE_STREAK ?? DEFAULT_FAILURE_STREAK,
    operatorEmail: env.ALERT_EMAIL ?? null,
  };
}

export interface AlertCheckResult {
  conditions: number;
  fired: number;
  emailed: number;
}

export async function checkAlerts(opts: {
  at: Date;
  stats: TaskStats[];
  settings?: AlertSettings & { operatorEmail: string | null };
}): Promise<AlertCheckResult> {
  const settings = opts.settings ?? alertSettings();
  const late: LateQueue[] = [];
  for (const task of QUEUE_TASKS) {
    const threshold = settings.lagThresholdsMs[task];
    if (threshold === undefined) continue;
    for (const s of await lateShops(database().query, task, opts.at, new Date(opts.at.getTime() - threshold)))
      late.push({ task, shopId: s.shopId, oldestAgeMs: s.oldestAgeMs });
  }
  // An error line can quote an address (an SMTP reply): masked before it is logged or mailed.
  const streaks = opts.stats.map((s) => ({
    task: s.name,
    consecutiveFailures: s.consecutiveFailures,
    lastError: s.lastError && forLog(s.lastError),
  }));
  const conditions = alertConditions(late, streaks, settings);
  const result: AlertCheckResult = { conditions: conditions.length, fired: 0, emailed: 0 };
  for (const c of conditions) {
    const shopId = c.kind === "lag" ? c.shopId : null;
    const won = await claimAlert(database().query, { key: c.key, shopId, detail: describe(c), at: opts.at, repeatMs: ALERT_REPEAT_MS });
    if (!won) continue;
    result.fired++;
    log.error("alert", { alert: c.key, kind: c.kind, task: c.task, shopId, detail: describe(c), runbook: RUNBOOK_PATH });
    try {
      if (await emailAlert(c, settings.operatorEmail)) result.emailed++;
    } catch (err) {
      // Unsaid is worse than said twice: give the claim back so the next check tries again.
      await releaseAlert(database().query, c.key, opts.at, ALERT_REPEAT_MS);
      result.fired--;
      log.error("alert email failed; retrying at the next check", { alert: c.key, err: String(err) });
    }
  }
  return result;
}

function describe(c: AlertCondition): string {
  return c.kind === "lag"
    ? `oldest due item ${minutes(c.oldestAgeMs)} min old (threshold ${minutes(c.thresholdMs)} min)`
    : `${c.consecutiveFailures} failures in a row`;
}

/** True when a mail went out; false when there is nobody to tell (the error log line is the alert). */
async function emailAlert(c: AlertCondition, operatorEmail: string | null): Promise<boolean> {
  const shop = c.kind === "lag" && c.shopId ? await db().shop.findUnique({ where: { id: c.shopId } }) : null;
  const shopAddresses = shop ? internalAddresses(shop) : [];
  const to = shopAddresses.length > 0 ? shopAddresses : operatorEmail ? [operatorEmail] : [];
  if (to.length === 0) return false;
  const locale = shop?.locale === "pl" ? "pl" : "en";
  const base = appBaseUrl();
  const { subject, text } = alertEmailText(c, locale, `${base}/app/health`);
  await mailTransport().sendMail({
    from: { name: "Flowmate alerts", address: `no-reply@${new URL(base).hostname}` },
    to,
    subject,
    text,
    headers: { "X-Flowmate-Alert": c.key },
  });
  return true;
}
