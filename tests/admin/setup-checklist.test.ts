// The checklist card as the server renders it: open with every item while something is
// left to do; folded into one line with a way to open it again once all is done.
import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SetupChecklist } from "~/components/home/SetupChecklist";
import { checklistItems } from "~/domain/onboarding/checklist";
import { translator } from "~/i18n";

const links = {
  sender: { url: "/app/settings/sending", external: false },
  pixel: { url: "shopify://admin/settings/customer_events", external: true },
  embed: { url: "https://kawa.myshopify.com/admin/themes/current/editor?context=apps", external: true },
  flow: { url: "/app/flows", external: false },
};

function render(done: boolean, locale: "en" | "pl" = "en"): string {
  const items = checklistItems({ sender: done ? "verified" : "unverified", pixelSeen: true, embedSeen: done, flowsOn: 2 });
  return renderToString(
    createElement(AppProvider, { i18n: polarisEn }, createElement(SetupChecklist, { items, links, flowsOn: 2, t: translator(locale) })),
  );
}

describe("setup checklist card", () => {
  it("lists every item with its state and link while something is left to do", () => {
    const html = render(false);
    expect(html).toContain("Set up Flowmate");
    expect(html).toContain("2 of 4 done");
    expect(html).toContain("Set, not verified");
    expect(html).toContain('href="/app/settings/sending"');
    expect(html).toContain('href="/app/flows"');
    expect(html).toContain("Flows on: 2.");
    expect(html.match(/data-done="true"/g)).toHaveLength(2);
    expect(html).not.toContain("Show setup checklist");
  });

  it("folds away once every item is done, with a button that opens it again", () => {
    const html = render(true);
    expect(html).toContain("Setup complete");
    expect(html).toMatch(/<button[^>]*aria-expanded="false"[^>]*>.*Show setup checklist/);
    expect(html).not.toContain("Set up Flowmate");
    expect(render(true, "pl")).toContain("Pokaż listę konfiguracji");
  });
});
