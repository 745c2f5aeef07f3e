import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkJsonBounds, topLevelArraySpans } from "~/domain/shared/json-bounds";

/** Nesting depth of a parsed value (the reference the scan must agree with). */
function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v && typeof v === "object") return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe("checkJsonBounds", () => {
  // Its cost per request is in the pixel endpoint's bench (bench/ingestion.bench.ts), not timed here.
  it("finds 8,000 levels of nesting without recursing, and passes a flat 40 KB batch", () => {
    const deep = "[".repeat(8000) + "]".repeat(8000);
    expect(checkJsonBounds(deep, { maxDepth: 32, maxNodes: 1e6 })).toEqual({ ok: false, error: "JSON nested deeper than 32 levels" });
    const flat = JSON.stringify({ events: Array.from({ length: 400 }, (_, i) => ({ id: `e${i}`, url: "https://x.example/p?q=1" })) });
    expect(checkJsonBounds(flat)).toEqual({ ok: true });
  });

  it("ignores brackets, quotes and escapes inside strings", () => {
    const text = JSON.stringify({ a: '[[[[[[{{{{\\"]]]', b: ["\\", '"'] });
    expect(checkJsonBounds(text, { maxDepth: 2, maxNodes: 10 })).toEqual({ ok: true });
  });

  it("counts values against maxNodes", () => {
    expect(checkJsonBounds(JSON.stringify(Array(50).fill(0)), { maxDepth: 4, maxNodes: 40 })).toMatchObject({ ok: false });
    expect(checkJsonBounds(JSON.stringify(Array(30).fill(0)), { maxDepth: 4, maxNodes: 40 })).toEqual({ ok: true });
  });

  it("agrees with the parsed depth on any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 1, max: 12 }), (value, maxDepth) => {
        const text = JSON.stringify(value);
        const verdict = checkJsonBounds(text, { maxDepth, maxNodes: 1e9 });
        expect(verdict.ok).toBe(depthOf(value) <= maxDepth);
      }),
      { numRuns: 500 },
    );
  });
});

describe("topLevelArraySpans", () => {
  it("splits an array's elements from the text alone", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 })), (items) => {
        const text = JSON.stringify(items);
        const spans = topLevelArraySpans(text)!;
        expect(spans.map(([a, b]) => JSON.parse(text.slice(a, b)) as unknown)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
    expect(topLevelArraySpans('{"a":1}')).toBeNull();
  });
});
