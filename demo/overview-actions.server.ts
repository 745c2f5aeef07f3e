import type { Shop } from "@prisma/client";
import { advanceClock } from "~/server/clock.server";
import { mailTransport } from "~/server/channels/email/transport.server";
import { saveFlowSettings } from "~/server/journeys/flows.server";
import { checkRunningRollouts } from "~/server/journeys/rollouts.server";

/** The Overview page's demo buttons. Only reachable when demo mode is on. */
export async function runDemoAction(shop: Shop, intent: string): Promise<{ ok: boolean; message?: string }> {
  switch (intent) {
    case "advance-hour":
      advanceClock(3_600_000);
      return { ok: true };
    case "advance-day":
      advanceClock(86_400_000);
      return { ok: true };
    case "test-email": {
      await mailTransport().sendMail({
        from: `"${shop.senderName ?? shop.name}" <${shop.senderEmail ?? "hello@" + shop.domain}>`,
        to: shop.senderEmail ?? `owner@${shop.domain}`,
        subject: `Flowmate test email · ${shop.name}`,
        text: `This is a test email from Flowmate for ${shop.name}. If you can read it, mail delivery works.`,
        html: `<p>This is a test email from <strong>Flowmate</strong> for ${escapeHtml(shop.name)}.</p><p>If you can read it, mail delivery works.</p>`,
      });
      return { ok: true, message: "test-email" };
    }
    // A second version of the welcome series to stage (its first mail is the second
    // welcome mail, so the outbox tells the versions apart), until the flow editor saves versions.
    case "welcome-new-version":
      await saveFlowSettings(
        shop.id,
        "welcome",
        { templates: { email1: "welcome_2" } },
        "demo-merchant",
        "First email: what makes us different",
      );
      return { ok: true };
    // The worker's rollouts task now, instead of at its next five-minute pass.
    case "run-rollouts": {
      const r = await checkRunningRollouts();
      return { ok: true, message: `checked ${r.checked}, halted ${r.halted}` };
    }
    default:
      return { ok: false, message: `Unknown action: ${intent}` };
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
