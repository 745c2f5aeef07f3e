import type { LinkSubjectContext } from "../link-subject.server";
import { preferencesToken } from "../../security/message-links.server";
import { pageModel } from "./page-model.server";
import { CheckIcon, renderShopperPage } from "./page-shell.server";
import { PreferenceForm, TopicOptions } from "./topic-options.server";

/**
 * GET /u/:token. Shows what the button will do and changes nothing: mail security
 * scanners open every link, and a GET that unsubscribed would unsubscribe everyone.
 */
export function unsubscribeConfirmPage(s: LinkSubjectContext, token: string): Response {
  const m = pageModel(s);
  const { t } = m;
  const state = s.channel === "sms" ? s.customer.smsConsentState : s.customer.emailConsentState;
  if (state === "unsubscribed" || state === "redacted") return unsubscribeDonePage(s);
  const prefToken = preferencesToken({ shopId: s.shop.id, customerId: s.customer.id });
  const prefAction = `/preferences/${prefToken}`;
  return renderShopperPage({
    brand: m.brand,
    locale: m.locale,
    title: t("unsubscribe.title"),
    footer: t("page.footer", { shop: m.brand.name }),
    children: (
      <>
        <section className="card" aria-labelledby="unsubscribe-title">
          <h1 id="unsubscribe-title">{t("unsubscribe.title")}</h1>
          <p className="lead">
            {t(s.channel === "sms" ? "unsubscribe.lead.sms" : "unsubscribe.lead.email", { shop: m.brand.name, address: m.address })}
          </p>
          <form method="post" action={`/u/${token}`}>
            {/* The same body a mail client sends for RFC 8058 one-click unsubscribe. */}
            <input type="hidden" name="List-Unsubscribe" value="One-Click" />
            <button type="submit" className="btn btn-primary">
              {t("unsubscribe.button")}
            </button>
          </form>
          <p className="small" style={{ marginTop: 16, marginBottom: 0 }}>
            {t("unsubscribe.note")}
          </p>
        </section>
        {s.customer.emailConsentState === "subscribed" ? (
          <section className="card quiet" aria-labelledby="alternatives-title">
            <h2 id="alternatives-title">{t("unsubscribe.alternatives")}</h2>
            <p className="muted">{t("unsubscribe.alternativesLead")}</p>
            <PreferenceForm action={prefAction} token={prefToken} intent="save_topics">
              <TopicOptions t={t} unsubscribedTopics={s.customer.unsubscribedTopics} />
              <div className="actions">
                <button type="submit" className="btn btn-secondary">
                  {t("preferences.save")}
                </button>
              </div>
            </PreferenceForm>
            <PreferenceForm action={prefAction} token={prefToken} intent="pause">
              <div className="actions">
                <button type="submit" className="btn btn-secondary">
                  {t("preferences.pause.button")}
                </button>
              </div>
            </PreferenceForm>
          </section>
        ) : null}
      </>
    ),
  });
}

/** After the POST (or a GET once already unsubscribed): done, with a way back. */
export function unsubscribeDonePage(s: LinkSubjectContext): Response {
  const m = pageModel(s);
  const { t } = m;
  const prefToken = preferencesToken({ shopId: s.shop.id, customerId: s.customer.id });
  const prefAction = `/preferences/${prefToken}`;
  return renderShopperPage({
    brand: m.brand,
    locale: m.locale,
    title: t("unsubscribe.done.title"),
    footer: t("page.footer", { shop: m.brand.name }),
    children: (
      <section className="card" aria-labelledby="done-title">
        <CheckIcon />
        <h1 id="done-title">{t("unsubscribe.done.title")}</h1>
        <p className="lead">
          {t(s.channel === "sms" ? "unsubscribe.done.sms" : "unsubscribe.done.email", { shop: m.brand.name, address: m.address })}
        </p>
        {s.channel === "email" && s.customer.emailConsentState !== "redacted" ? (
          <PreferenceForm action={prefAction} token={prefToken} intent="resubscribe">
            <div className="actions">
              <span className="muted">{t("unsubscribe.done.again")}</span>
              <button type="submit" className="btn btn-secondary">
                {t("preferences.resubscribe.button")}
              </button>
            </div>
          </PreferenceForm>
        ) : null}
        <p className="small" style={{ marginTop: 20, marginBottom: 0 }}>
          <a href={prefAction}>{t("page.manage")}</a>
        </p>
      </section>
    ),
  });
}
