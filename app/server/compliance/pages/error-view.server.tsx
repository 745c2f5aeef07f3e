import { resolveLocale } from "~/i18n";
import { complianceTranslator } from "~/i18n/compliance";
import { CheckIcon, renderShopperPage } from "./page-shell.server";

/**
 * A link that fails its checks. The shop is unknown here (the token could not be
 * trusted), so the page is neutral; the reason is given for support, in plain words.
 */
export function linkErrorPage(request: Request, reason: string, status = 400): Response {
  const locale = resolveLocale(request.headers.get("accept-language")?.split(",")[0]);
  const t = complianceTranslator(locale);
  const brand = { name: "", logoUrl: null, brand: "#1f2937", onBrand: "#ffffff", link: "#1f2937", focus: "#1d4ed8", address: null };
  return renderShopperPage(
    {
      brand,
      locale,
      title: t("error.title"),
      children: (
        <div className="card" data-reason={reason}>
          <CheckIcon warn />
          <h1>{t("error.title")}</h1>
          <p className="lead">{t("error.lead")}</p>
          <p className="small">
            <code>{reason}</code>
          </p>
        </div>
      ),
    },
    status,
  );
}
