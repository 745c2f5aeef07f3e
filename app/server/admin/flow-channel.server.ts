import { buildCatalogueFlow, isCatalogueKey } from "~/domain/flows";
import type { ChannelSources, EmailRestore, SendChannel } from "~/domain/flows/channel-switch";
import { validateFlowDefinition, type FlowDefinition, type SendStep } from "~/domain/journey";
import { isEmailTemplateKey } from "~/domain/messages/catalogue";
import { CONTENT_LOCALES, type ContentLocale } from "~/domain/messages/message-content";
import { readStringTable } from "../channels/email/template-files.server";
import { db } from "../db/client.server";

// What a send step switching channel on the flow page starts from: back to email, the
// email it had in the flow's newest version that had one, else the catalogue's email
// for that step; to SMS, the email's subject per locale (for an SMS text when the
// catalogue has none for the flow). Versions are read with the shop's id.

export async function channelSourcesFor(
  shopId: string,
  flowId: string,
  def: FlowDefinition,
  switches: readonly { stepId: string; to: SendChannel }[],
): Promise<Record<string, ChannelSources>> {
  if (switches.length === 0) return {};
  const needsHistory = switches.some((s) => s.to === "email");
  const versions = needsHistory
    ? await db().flowVersion.findMany({
        where: { flowId, shopId },
        orderBy: { version: "desc" },
        select: { definition: true },
      })
    : [];
  const history = versions.flatMap((v) => {
    const check = validateFlowDefinition(v.definition);
    return check.ok ? [check.definition] : [];
  });
  const catalogue = catalogueBuild(def);
  const fallbackEmailKey =
    [...def.steps, ...(catalogue?.steps ?? [])].find(
      (s): s is SendStep => s.type === "send" && s.channel === "email" && isEmailTemplateKey(s.templateKey),
    )?.templateKey ?? "welcome_1";
  const out: Record<string, ChannelSources> = {};
  for (const { stepId, to } of switches) {
    const step = def.steps.find((s): s is SendStep => s.id === stepId && s.type === "send");
    if (!step) continue;
    out[stepId] = {
      email: to === "email" ? (emailIn(history, stepId) ?? emailIn(catalogue ? [catalogue] : [], stepId)) : null,
      fallbackEmailKey,
      subjects: Object.fromEntries(CONTENT_LOCALES.map((l) => [l, subjectOf(step, l)])) as Record<ContentLocale, string>,
    };
  }
  return out;
}

/** The step as an email in the first definition that has it so (newest first). */
function emailIn(defs: readonly FlowDefinition[], stepId: string): EmailRestore | null {
  for (const d of defs) {
    const st = d.steps.find((s) => s.id === stepId);
    if (st?.type === "send" && st.channel === "email")
      return {
        templateKey: st.templateKey,
        ...(st.subject !== undefined ? { subject: st.subject } : {}),
        ...(st.content !== undefined ? { content: st.content } : {}),
      };
  }
  return null;
}

/** The catalogue's build of the flow from its stored settings, or null (a custom flow, settings it no longer reads). */
function catalogueBuild(def: FlowDefinition): FlowDefinition | null {
  const key = def.source?.catalogueKey;
  if (!key || !isCatalogueKey(key)) return null;
  try {
    return buildCatalogueFlow(key, def.source?.settings ?? {});
  } catch {
    return null;
  }
}

/** The email's subject line in a locale: its own content's, the step's, else the catalogue template's. */
function subjectOf(step: SendStep, locale: ContentLocale): string {
  const own = step.content?.[locale]?.subject ?? step.subject;
  if (own) return own;
  return readStringTable(locale).messages[step.templateKey]?.subject ?? "";
}
