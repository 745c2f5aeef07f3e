import type { MessageKey } from "~/i18n";
import type { Wording } from "./wording";

// Text the catalogue writes into a definition or a version (step labels, change notes)
// is stored in English, as data. Shown as stored, the Polish page would read English;
// the catalogue's own words are translated here when they are still what it wrote,
// while a merchant's own words are shown as typed.

const CATALOGUE_LABELS: Record<string, MessageKey> = {
  "Checkout worth an incentive?": "flow.stored.checkoutIncentive",
  "First-time buyer?": "flow.stored.firstTimeBuyer",
  "Until shortly before it runs out": "flow.stored.untilRunsOut",
  "Not ordered yet?": "flow.stored.notOrderedYet",
};

/** A stored step or branch label in the page's language when it is the catalogue's own. */
export function storedLabel(text: string | undefined, w: Wording): string | undefined {
  if (text === undefined) return undefined;
  const key = CATALOGUE_LABELS[text];
  return key ? w.t(key) : text;
}

/** A version's change note in the page's language when the app wrote it. */
export function storedNote(note: string | null, w: Wording): string | null {
  if (note === null) return null;
  if (note === "Catalogue defaults") return w.t("flow.stored.catalogueDefaults");
  const rollback = /^Rollback to version (\d+)$/.exec(note);
  return rollback ? w.t("flow.stored.rollbackTo", { version: rollback[1]! }) : note;
}
