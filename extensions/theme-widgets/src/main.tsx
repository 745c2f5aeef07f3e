/** @jsxImportSource preact */
// Entry point of assets/flowmate-widgets.js. Loaded with `defer` by both Liquid
// blocks (so possibly twice on one page): every mount element is rendered once,
// a missing element is simply skipped, and nothing here may throw into the theme.
import { render } from "preact";
import { readRecommendationsConfig, Recommendations } from "./recommendations";
import { readPopupConfig, SignupPopup } from "./signup-popup";

const MOUNTED = "data-fm-mounted";

function claim(el: HTMLElement | null): el is HTMLElement {
  if (!el || el.hasAttribute(MOUNTED)) return false;
  el.setAttribute(MOUNTED, "");
  return true;
}

function mountAll(): void {
  try {
    const popup = document.getElementById("flowmate-signup");
    if (claim(popup)) render(<SignupPopup cfg={readPopupConfig(popup)} />, popup);
    document.querySelectorAll<HTMLElement>("[data-flowmate-recommendations]").forEach((el) => {
      if (claim(el)) render(<Recommendations cfg={readRecommendationsConfig(el)} />, el);
    });
  } catch (error) {
    console.warn("[flowmate]", error);
  }
}

// The script is always loaded with `defer`, so the document is parsed by now. A second
// copy of it (both blocks on one page) finds every element already claimed.
mountAll();
// Theme editor: sections are re-rendered in place; mount the fresh elements.
document.addEventListener("shopify:section:load", mountAll);
