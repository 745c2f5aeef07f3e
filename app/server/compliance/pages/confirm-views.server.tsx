import type { LinkSubjectContext } from "../link-subject.server";
import { pageModel } from "./page-model.server";
import { CheckIcon, renderShopperPage } from "./page-shell.server";

/** GET /confirm/:token: a button, never an automatic confirmation (scanners open links too). */
export function confirmOptInPage(s: LinkSubjectContext, token: string): Response {
  if (s.customer.emailConsentState === "subscribed") return confirmedPage(s);
  const m = pageModel(s);
  const { t } = m;
  return renderShopperPage({
    brand: m.brand,
    locale: m.locale,
    title: t("confirm.title"),
    children: (
      <section className="card" aria-labelledby="confirm-title">
        <h1 id="confirm-title">{t("confirm.title")}</h1>
        <p className="lead">{t("confirm.lead", { shop: m.brand.name, address: m.address })}</p>
        <form method="post" action={`/confirm/${token}`}>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="btn btn-primary">
            {t("confirm.button")}
          </button>
        </form>
        <p className="small" style={{ marginTop: 16, marginBottom: 0 }}>
          {t("confirm.note")}
        </p>
      </section>
    ),
  });
}

export function confirmedPage(s: LinkSubjectContext): Response {
  const m = pageModel(s);
  const { t } = m;
  return renderShopperPage({
    brand: m.brand,
    locale: m.locale,
    title: t("confirm.done.title"),
    children: (
      <section className="card" aria-labelledby="confirmed-title">
        <CheckIcon />
        <h1 id="confirmed-title">{t("confirm.done.title")}</h1>
        <p className="lead">{t("confirm.done.lead", { address: m.address })}</p>
        <p className="small" style={{ marginBottom: 0 }}>
          {t("confirm.note")}
        </p>
      </section>
    ),
  });
}
