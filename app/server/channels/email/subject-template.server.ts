import { textLiquid } from "./liquid-engines.server";
import { segmentedRenderer, type RenderTemplate } from "./shared-segments.server";

// Subject lines a flow step sets itself (A/B variants of the subject): Liquid over the
// same view as the template's own subject, parsed once per distinct text. A flow has a
// handful of them, so a small cache that is cleared when full is enough.
const MAX_SUBJECTS = 500;
const parsed = new Map<string, RenderTemplate>();

export function subjectTemplate(text: string): RenderTemplate {
  let render = parsed.get(text);
  if (!render) {
    if (parsed.size >= MAX_SUBJECTS) parsed.clear();
    render = segmentedRenderer(textLiquid, textLiquid.parse(text));
    parsed.set(text, render);
  }
  return render;
}
