import type { Liquid, Template } from "liquidjs";

/**
 * Renders a parsed template with liquidjs, reusing the output of the parts that read
 * nothing per recipient.
 *
 * A campaign sends one template to thousands of recipients with the same shop (name,
 * logo, address, brand colours) and mostly the same products; only the customer's name
 * and the signed links differ. liquidjs's renderSync walks every node through its
 * generators each time (~0.25 ms for an email), so the top-level nodes are grouped into
 * segments: a segment that reads `customer` or `links` renders per message, any other
 * renders once per distinct value of the view variables it reads (liquidjs's own
 * static analysis says which) and is then taken from a bounded cache.
 *
 * Sound because a node's output depends only on those values: a template that
 * assigns variables (`assign`, `capture`, `increment`) is rendered whole; the view is
 * plain data from buildEmailView (strings, numbers, booleans, null, arrays, plain
 * objects), which JSON.stringify encodes as a faithful key; and our templates use only
 * `if`, `for` and outputs, nothing that reads the clock or the file system (a
 * `"now" | date` or an `include` would need to be per recipient).
 */
export type RenderTemplate = (scope: Record<string, unknown>) => string;

/** View roots that differ for every recipient: caching segments that read them would only churn. */
const PER_RECIPIENT = new Set(["customer", "links"]);

/** Rendered segments of every template, keyed by segment and the values it read. */
const MAX_ENTRIES = 2000;
const rendered = new Map<string, string>();
let segmentIds = 0;

interface Segment {
  templates: Template[];
  /** View roots read; null when the segment renders per message. */
  reads: string[] | null;
}

export function segmentedRenderer(engine: Liquid, templates: Template[]): RenderTemplate {
  if (Object.keys(engine.analyzeSync(templates).locals).length > 0) return (scope) => engine.renderSync(templates, scope) as string;
  const parts = segments(engine, templates).map(({ templates: nodes, reads }): RenderTemplate => {
    if (!reads) return (scope) => engine.renderSync(nodes, scope) as string;
    const id = `${segmentIds++}:`;
    return (scope) => {
      const key = id + JSON.stringify(reads.map((name) => scope[name]));
      let output = rendered.get(key);
      if (output === undefined) {
        output = engine.renderSync(nodes, scope) as string;
        // Cleared rather than kept as an LRU: the working set (one shop's blocks) is small.
        if (rendered.size >= MAX_ENTRIES) rendered.clear();
        rendered.set(key, output);
      }
      return output;
    };
  });
  return (scope) => {
    let out = "";
    for (const part of parts) out += part(scope);
    return out;
  };
}

/** Drops rendered segments, e.g. with the compiled templates after editing template files. */
export function clearSegmentCache(): void {
  rendered.clear();
}

/**
 * Consecutive per-recipient nodes form one segment; a shared node joins the shared
 * segment before it when one of the two reads nothing (static markup) or both read the
 * same roots, so a block whose values vary does not make its neighbours miss.
 */
function segments(engine: Liquid, templates: Template[]): Segment[] {
  const out: Segment[] = [];
  for (const node of templates) {
    const roots = Object.keys(engine.analyzeSync([node]).globals).sort();
    const reads = roots.some((root) => PER_RECIPIENT.has(root)) ? null : roots;
    const last = out.at(-1);
    if (last && !last.reads && !reads) last.templates.push(node);
    else if (last?.reads && reads && (!reads.length || !last.reads.length || reads.join() === last.reads.join())) {
      last.templates.push(node);
      last.reads = [...new Set([...last.reads, ...reads])].sort();
    } else out.push({ templates: [node], reads });
  }
  return out;
}
