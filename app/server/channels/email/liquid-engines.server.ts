import { Liquid } from "liquidjs";

// Two engines over the same templates: HTML output escapes every {{ value }} (a
// customer named "<script>" stays text), while the subject and plain-text part are
// not HTML and must not show "&amp;". Missing optional data renders as empty (strict
// modes off); jsTruthy makes "" and 0 falsy so `{% if customer.firstName %}` reads naturally.
const shared = {
  strictFilters: false,
  strictVariables: false,
  ownPropertyOnly: true,
  jsTruthy: true,
  cache: false,
} as const;

export const htmlLiquid = new Liquid({ ...shared, outputEscape: "escape" });
export const textLiquid = new Liquid({ ...shared });

// The message editor's content: a filter liquidjs does not know is an error when the
// text is parsed (while editing, on save, at send time), never a silent pass-through.
export const strictHtmlLiquid = new Liquid({ ...shared, strictFilters: true, outputEscape: "escape" });
export const strictTextLiquid = new Liquid({ ...shared, strictFilters: true });
