import type { ComplianceKey } from "~/i18n/compliance";
import type { LinkSubjectContext } from "../link-subject.server";
import { pageModel } from "./page-model.server";
import { renderShopperPage } from "./page-shell.server";
import { PreferenceForm, TopicOptions } from "./topic-options.server";

/** Notice keys a change can leave on the page. */
export type PreferenceNotice = "saved" | "pausedNow" | "resumed" | "resubscribed" | "unsubscribedAll";

export function preferencesPage(s: LinkSubjectContext, token: string, now: Date, notice?: PreferenceNotice): Response {
  const m = pageModel(s);
  const { t } = m;
  const action = `/preferences/${token}`;
  const c = s.customer;
  const subscribed = c.emailConsentState === "subscribed";
  const anySubscribed = subscribed || c.smsConsentState === "subscribed";
  const pausedUntil = c.marketingPausedUntil && c.marketingPausedUntil > now ? c.marketingPausedUntil : null;
  const noticeText = notice ? t(`preferences.${notice}` as ComplianceKey, { date: pausedUntil ? m.formatDate(pausedUntil) : "" }) : null;
  return renderShopperPage({
    brand: m.brand,
    locale: m.locale,
    title: t("preferences.title"),
    footer: t("page.footer", { shop: m.brand.name }),
    children: (
      <>
        {noticeText ? (
          <div className="notice" role="status">
            {noticeText}
          </div>
        ) : null}
        <section className="card" aria-labelledby="prefs-title">
          <h1 id="prefs-title">{t("preferences.title")}</h1>
          <p className="lead">{t("preferences.lead", { shop: m.brand.name, address: m.address })}</p>
          {subscribed ? (
            <PreferenceForm action={action} token={token} intent="save_topics">
              <TopicOptions t={t} unsubscribedTopics={c.unsubscribedTopics} />
              <div className="actions">
                <button type="submit" className="btn btn-primary">
                  {t("preferences.save")}
                </button>
              </div>
            </PreferenceForm>
          ) : c.emailConsentState !== "redacted" ? (
            <PreferenceForm action={action} token={token} intent="resubscribe">
              <p>{t("preferences.unsubscribed", { shop: m.brand.name })}</p>
              <button type="submit" className="btn btn-primary">
                {t("preferences.resubscribe.button")}
              </button>
            </PreferenceForm>
          ) : null}
        </section>
        {subscribed ? (
          <section className="card quiet split" aria-labelledby="pause-title">
            <div>
              <h2 id="pause-title">{t("preferences.pause.title")}</h2>
              <p className="muted" style={{ marginBottom: 0 }}>
                {pausedUntil ? t("preferences.paused", { date: m.formatDate(pausedUntil) }) : t("preferences.pause.lead")}
              </p>
            </div>
            <PreferenceForm action={action} token={token} intent={pausedUntil ? "resume" : "pause"}>
              <button type="submit" className="btn btn-secondary">
                {t(pausedUntil ? "preferences.resume.button" : "preferences.pause.button")}
              </button>
            </PreferenceForm>
          </section>
        ) : null}
        {anySubscribed ? (
          <section className="card quiet" aria-labelledby="all-title">
            <h2 id="all-title">{t("preferences.all.title")}</h2>
            <p className="muted">{t("preferences.all.lead", { shop: m.brand.name })}</p>
            <PreferenceForm action={action} token={token} intent="unsubscribe_all">
              <button type="submit" className="btn btn-link">
                {t("preferences.all.button")}
              </button>
            </PreferenceForm>
          </section>
        ) : null}
        <p className="small" style={{ textAlign: "center" }}>
          {t("page.secure")}
        </p>
      </>
    ),
  });
}
