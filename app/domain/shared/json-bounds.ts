// Bounds on the shape of a JSON text, checked by one iterative scan of the text
// before anything parses it. Code that walks parsed JSON recursively (zod, Prisma's
// JSON serialisation, JSON.stringify) overflows the stack on deep nesting: a 40 KB
// body of nested arrays once halted every worker. The scan never recurses itself,
// and skips string contents with indexOf, so it costs a fraction of JSON.parse.

export interface JsonBounds {
  /** Arrays and objects inside one another, the outermost counting 1. */
  maxDepth: number;
  /** Values (scalars, arrays, objects) in the whole text, approximately: containers plus separators. */
  maxNodes: number;
}

/** Deep enough for every payload Shopify or the storefront sends (a checkout is about 8 levels). */
export const DEFAULT_JSON_BOUNDS: JsonBounds = { maxDepth: 64, maxNodes: 100_000 };

export type BoundsVerdict = { ok: true } | { ok: false; error: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

/**
 * Whether the text stays within the bounds. Malformed JSON is not judged here (the
 * parser reports it); only depth and size, which the parser would accept.
 */
export function checkJsonBounds(text: string, bounds: JsonBounds = DEFAULT_JSON_BOUNDS): BoundsVerdict {
  let depth = 0;
  let nodes = 1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
      if (i < 0) return { ok: true };
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > bounds.maxDepth) return { ok: false, error: `JSON nested deeper than ${bounds.maxDepth} levels` };
      nodes++;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    } else if (c === COMMA) {
      if (++nodes > bounds.maxNodes) return { ok: false, error: `JSON with more than ${bounds.maxNodes} values` };
    }
  }
  return { ok: true };
}

/** Index of the quote closing the string opened at `open`, or -1 when it is never closed. */
function endOfString(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    // Escaped when preceded by an odd number of backslashes.
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
  }
}

/**
 * The spans of the top-level array's elements, [start, end) in the text, found by the
 * same scan: lets a stored array be split without parsing and re-serialising it (which
 * is what a poisonous element might not survive). Null when the text is not an array.
 */
export function topLevelArraySpans(text: string): [number, number][] | null {
  const first = text.search(/\S/);
  if (first < 0 || text.charCodeAt(first) !== OPEN_ARRAY) return null;
  const spans: [number, number][] = [];
  let depth = 0;
  let start = first + 1;
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
      if (i < 0) return null;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
    else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
      if (depth === 0) {
        if (text.slice(start, i).trim()) spans.push([start, i]);
        return spans;
      }
    } else if (c === COMMA && depth === 1) {
      spans.push([start, i]);
      start = i + 1;
    }
  }
  return null;
}
