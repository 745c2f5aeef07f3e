/** @jsxImportSource preact */
// Entry point of assets/flowmate-widgets.js, loaded with `defer` by the signup popup
// block (a theme may include it twice): the mount element is rendered once, a missing
// element is simply skipped, and nothing here may throw into the theme. The product
// recommendations block renders nothing (and loads nothing) until the recommendation
// model exists.
import { render } from "preact";
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
  } catch (error) {
    console.warn("[flowmate]", error);
  }
}

// The script is always loaded with `defer`, so the document is parsed by now. A second
// copy of it finds the element already claimed.
mountAll();
// Theme editor: sections are re-rendered in place; mount the fresh elements.
document.addEventListener("shopify:section:load", mountAll);
