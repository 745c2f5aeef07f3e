import { Drop, Liquid, type Template } from "liquidjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EMAIL_TEMPLATE_KEYS, type EmailTemplateKey } from "~/domain/messages/catalogue";
import type { EmailRenderContext } from "~/domain/messages/email-context";
import { buildEmailView, parseRenderContext } from "~/domain/messages/email-view";
import type { Locale } from "~/i18n";
import { compiledEmail } from "~/server/channels/email/compile-template.server";
import { compileLiquid, explainLiquidCompile, liquidFastPathStats } from "~/server/channels/email/liquid-compiled.server";
import { htmlLiquid, textLiquid } from "~/server/channels/email/liquid-engines.server";
import { POSTAL_ADDRESS, SAMPLE_ITEMS, SAMPLE_RECOMMENDATIONS } from "./support/fixtures";

// The compiled renderer must be a pure speed-up: for every template it accepts, its
// output is liquidjs's renderSync output, byte for byte, and the renders below must
// take the fast path (no silent fallback to liquidjs).

type Scope = Record<string, unknown>;
const ENGINES = { html: htmlLiquid, text: textLiquid } as const;
const PARTS = ["subject", "html", "text"] as const;
const LOCALES: Locale[] = ["en", "pl"];

function expectSameAsLiquid(templates: Template[], engine: Liquid, scopes: Scope[], label: string, { mayFallBack = false } = {}) {
  const fast = compileLiquid(templates, engine);
  expect(fast, `${label}: ${explainLiquidCompile(templates, engine)}`).not.toBeNull();
  const fallbacks = liquidFastPathStats.fallbacks;
  for (const [i, scope] of scopes.entries()) {
    const expected = engine.renderSync(templates, scope) as string;
    expect(fast!(scope), `${label} (scope #${i})`).toBe(expected);
  }
  if (!mayFallBack) expect(liquidFastPathStats.fallbacks, `${label}: fell back to liquidjs`).toBe(fallbacks);
}

const view = (ctx: EmailRenderContext, locale: Locale) => buildEmailView(parseRenderContext(ctx), locale) as unknown as Scope;

const FULL: EmailRenderContext = {
  shop: {
    name: "Kawa & Co.",
    url: "https://kawa.example.com",
    currency: "PLN",
    postalAddress: POSTAL_ADDRESS,
    branding: { primaryColor: "#6f4e37", accentColor: "#ffb300", logoUrl: "https://cdn.example.com/logo.png" },
  },
  customer: { firstName: "Anna", lastName: "Nowak", email: "anna@example.com" },
  links: {
    unsubscribeUrl: "https://app.example.com/u/unsub-token",
    preferencesUrl: "https://app.example.com/preferences/pref-token",
    viewInBrowser: "https://app.example.com/v/view-token",
    recoveryUrl: "https://kawa.example.com/checkouts/c1/recover?key=abc&x=1",
    reviewUrl: "https://kawa.example.com/review",
    confirmUrl: "https://app.example.com/confirm/confirm-token",
  },
  items: SAMPLE_ITEMS,
  discount: { code: "WRACAJ10", kind: "percentage", value: 10, expiresAt: "2026-12-31T00:00:00Z" },
  recommendations: [...SAMPLE_RECOMMENDATIONS, { title: "Filter papers", price: 12 }, { title: "Grinder", price: "299.99", imageUrl: "/img/grinder.png" }],
};
const HOSTILE = `<script>alert("x")</script>&amp;'"`;

const CONTEXTS: Record<string, EmailRenderContext> = {
  full: FULL,
  emptyLists: { ...FULL, items: [], recommendations: [], discount: null },
  noCustomerName: { ...FULL, customer: { email: "anon@example.com" } },
  noCustomer: { ...FULL, customer: null, links: { unsubscribeUrl: "https://app.example.com/u/t" } },
  minimal: { shop: { name: "Kawa", postalAddress: POSTAL_ADDRESS }, links: { unsubscribeUrl: "https://app.example.com/u/t" } },
  hostile: {
    ...FULL,
    shop: { ...FULL.shop, name: HOSTILE, postalAddress: { ...POSTAL_ADDRESS, company: HOSTILE, address1: `<b>ul. "Prosta"</b> 12` } },
    customer: { firstName: HOSTILE, lastName: "O'Brien & <Sons>" },
    items: [{ title: HOSTILE, variantTitle: "<i>Whole</i> & 'bean'", quantity: 3, price: "1.00", url: "https://kawa.example.com/p?a=1&b=<2>" }],
    discount: { code: `X<&>"'`, kind: "fixed_amount", value: "15.5", expiresAt: "2027-01-02" },
    recommendations: [{ title: HOSTILE, price: 5, url: "https://kawa.example.com/r?q=\"x\"" }],
  },
  numbers: {
    ...FULL,
    currency: "USD",
    items: [
      { title: "Bulk", quantity: 1000, price: 1234567.891 },
      { title: "Free", quantity: 1, price: 0 },
      { title: "Unpriced", quantity: 7 },
    ],
    discount: { code: "FIXED", kind: "fixed_amount", value: 0.1 },
    recommendations: [{ title: "One", price: 0 }, { title: "Two", price: "0.005" }],
  },
  freeShipping: { ...FULL, discount: { code: "SHIPFREE", kind: "free_shipping" } },
  polish: {
    ...FULL,
    shop: { ...FULL.shop, name: "Palarnia Żółć", currency: "PLN" },
    customer: { firstName: "Łucja", lastName: "Wąsowska-Źdźbło" },
    items: [{ title: "Kawa ziarnista „Złota”", variantTitle: "Mielona", quantity: 2, price: "39,90" }, { title: "Młynek ręczny", price: "249" }],
  },
};

describe("compiled Liquid renders every catalogue email exactly like liquidjs", () => {
  it.each(EMAIL_TEMPLATE_KEYS.flatMap((key) => LOCALES.map((locale) => [key, locale] as const)))("%s in %s", async (key, locale) => {
    const compiled = await compiledEmail(key, locale);
    const scopes = Object.values(CONTEXTS).map((ctx) => view(ctx, locale));
    for (const part of PARTS) {
      expect(compiled.fast[part], `${key}/${locale}/${part} compiled`).not.toBeNull();
      expectSameAsLiquid(compiled[part], part === "html" ? htmlLiquid : textLiquid, scopes, `${key}/${locale}/${part}`);
    }
  });
});

// ---------------------------------------------------------------------------------

class Inherits {
  own = "own";
}
(Inherits.prototype as unknown as Scope).inherited = "inherited";

const RICH: Scope = {
  s: `Hello <b>&"'world'</b>`,
  emptyStr: "",
  blankStr: "  \n ",
  zero: 0,
  one: 1,
  three: 3,
  neg: -3,
  float: 2.5,
  big: 1e21,
  nan: NaN,
  negZero: -0,
  t: true,
  f: false,
  n: null,
  u: undefined,
  arr: [1, 2, 3, 4, 5],
  strs: ["a", "<b>", "c"],
  nested: [
    [1, 2],
    [3, [4, "x"]],
  ],
  emptyArr: [],
  holes: [1, , 3], // eslint-disable-line no-sparse-arrays
  mixed: [1, "1", null, true, { a: 1 }, undefined, 2.5],
  obj: { a: { b: { c: "deep <c>" } }, "x-y": "dash", size: 7, first: "F", last: "L", list: ["p", "q"], "0": "zero-key" },
  sizeless: { a: 1, b: 2 },
  emptyObj: {},
  items: [
    { title: "A", price: 3, tags: ["x", "y"] },
    { title: "<B>", price: 0, tags: [] },
    { title: "C", tags: ["z"] },
  ],
  when: "2024-03-05T10:20:30Z",
  epoch: 1700000000,
  key: "a",
  idx: 1,
  two: "2",
  inst: new Inherits(),
  date: new Date("2020-01-02T03:04:05Z"),
};
const SCOPES: Scope[] = [
  RICH,
  {},
  // The same names holding other types.
  Object.fromEntries(Object.keys(RICH).map((k, i) => [k, [null, 0, "", "x", [], {}, [0], { a: "b" }, true, 12][i % 10]])),
  { ...RICH, s: 42, arr: "not an array", items: { a: { title: "object entries" } }, obj: [1, 2, 3], one: "1", zero: "0" },
];

const CASES: [string, string][] = [
  ["text only", "Just text, with <b>markup</b> & entities &amp;."],
  ["plain outputs", "[{{ s }}][{{ missing }}][{{ n }}][{{ u }}][{{ emptyStr }}]"],
  ["numbers", "{{ zero }} {{ one }} {{ neg }} {{ float }} {{ big }} {{ nan }} {{ negZero }} {{ epoch }}"],
  ["booleans", "{{ t }} {{ f }}"],
  ["arrays and objects", "{{ arr }}|{{ strs }}|{{ nested }}|{{ mixed }}|{{ holes }}|{{ obj }}|{{ emptyArr }}|{{ emptyObj }}|{{ inst }}|{{ date }}"],
  ["literals", `{{ "quoted <x> \\"esc\\" \\n" }}{{ 'single' }}{{ 42 }}{{ -1.5 }}{{ 1.0 }}{{ true }}{{ false }}{{ nil }}{{ null }}{{ empty }}{{ blank }}`],
  [
    "property paths",
    `{{ obj.a.b.c }}|{{ obj["x-y"] }}|{{ obj['a']['b'].c }}|{{ obj[key].b.c }}|{{ obj.x-y }}|{{ obj[0] }}|{{ obj["0"] }}|{{ arr[0] }}|{{ arr[-1] }}|{{ arr[10] }}|{{ arr[idx] }}|{{ arr[two] }}|{{ items[1].title }}|{{ items[idx].tags[0] }}|{{ obj.list[1] }}|{{ s[0] }}|{{ obj.a.missing.deeper }}|{{ n.x }}|{{ missing[0] }}`,
  ],
  [
    "size first last",
    "{{ arr.size }} {{ arr.first }} {{ arr.last }} {{ s.size }} {{ obj.size }} {{ obj.first }} {{ obj.last }} {{ sizeless.size }} {{ sizeless.first }} {{ emptyObj.size }} {{ emptyArr.size }} {{ emptyArr.first }} {{ emptyArr.last }} {{ zero.size }} {{ t.size }} {{ s.first }} {{ items.first.title }} {{ items.last.title }} {{ items.size }} {{ nested.last.last.last }} {{ holes.size }}",
  ],
  ["own properties only", "{{ inst.own }}|{{ inst.inherited }}|{{ s.length }}|{{ arr.length }}|{{ obj.constructor }}|{{ obj.toString }}|{{ toString }}|{{ constructor }}|{{ size }}|{{ first }}|{{ last }}|{{ __proto__ }}|{{ obj.__proto__ }}|{{ date.getTime }}"],
  ["string literal properties", `{{ "abc".size }} {{ "abc".first }} {{ "abc"[1] }} {{ (1..4).last }} {{ (1..4).size }}`],
  ["filters", `{{ s | upcase }}|{{ s | downcase | capitalize }}|{{ s | append: "!" | prepend: obj.a.b.c }}|{{ s | truncate: 7 }}|{{ s | size }}|{{ s | replace: "l", "L" }}|{{ s | remove: "o" }}|{{ s | split: " " | last }}|{{ "a,b,c" | split: "," | reverse | join: "-" }}|{{ arr | join: ", " }}|{{ strs | join }}|{{ arr | first }}|{{ arr | last }}|{{ nil | append: "x" }}|{{ missing | upcase }}|{{ s | strip_html }}|{{ s | url_encode }}|{{ "  x  " | strip }}|{{ s | slice: 1, 3 }}`],
  ["math filters", "{{ float | plus: 1 | times: 2 }} {{ three | divided_by: 2 }} {{ three | minus: one }} {{ 7 | modulo: 3 }} {{ float | round }} {{ float | ceil }} {{ neg | abs }} {{ two | plus: 1 }} {{ missing | plus: 1 }}"],
  [
    "default",
    `{{ missing | default: "fallback" }}|{{ f | default: "x" }}|{{ f | default: "x", allow_false: true }}|{{ emptyStr | default: s }}|{{ emptyArr | default: "none" }}|{{ zero | default: 5 }}|{{ n | default: nil }}|{{ nil | default: empty }}|{{ s | default: "unused" }}|{{ emptyObj | default: "eo" }}|{{ blankStr | default: "b" }}`,
  ],
  ["explicit escape and raw", "{{ s | escape }}|{{ s | raw }}|{{ s | escape | raw }}|{{ s | raw | upcase }}|{{ s | escape_once }}|{{ s | xml_escape }}|{{ strs | raw }}"],
  ["dates", `{{ when | date: "%Y-%m-%d %H:%M" }}|{{ epoch | date: "%Y" }}|{{ "2024-01-01" | date: "%b %d, %y" }}|{{ missing | date: "%Y" }}|{{ "not a date" | date: "%Y" }}|{{ date | date: "%d/%m/%Y" }}`],
  ["json", "{{ obj | json }}|{{ strs | json }}|{{ s | json }}"],
  [
    "if elsif else",
    "{% if t %}T{% elsif f %}F{% else %}E{% endif %}|{% if f %}T{% elsif one %}ONE{% else %}E{% endif %}|{% if f %}T{% elsif zero %}Z{% else %}E{% endif %}|{% if missing %}M{% endif %}",
  ],
  [
    "truthiness",
    "{% for v in mixed %}{% if v %}y{% else %}n{% endif %}{% endfor %}|{% if zero %}y{% endif %}{% if emptyStr %}y{% endif %}{% if blankStr %}b{% endif %}{% if emptyArr %}a{% endif %}{% if emptyObj %}o{% endif %}{% if n %}n{% endif %}{% if u %}u{% endif %}{% if nan %}nan{% endif %}{% if f %}f{% endif %}{% if nil %}nil{% endif %}{% if empty %}e{% endif %}{% if blank %}bl{% endif %}{% if 0 %}0{% endif %}{% if '' %}q{% endif %}",
  ],
  [
    "comparisons",
    `{% if one == 1 %}a{% endif %}{% if two == 2 %}b{% endif %}{% if s != "x" %}c{% endif %}{% if arr.size > 3 %}d{% endif %}{% if arr.size >= 5 %}e{% endif %}{% if zero < 1 %}f{% endif %}{% if zero <= 0 %}g{% endif %}{% if "b" > "a" %}h{% endif %}{% if two > 10 %}i{% endif %}{% if one > nil %}j{% endif %}{% if nil < one %}k{% endif %}{% if missing < 1 %}l{% endif %}{% if arr == arr %}m{% endif %}{% if nested == nested %}n{% endif %}{% if arr == strs %}o{% endif %}{% if items.first == items.first %}p{% endif %}{% if t == true %}q{% endif %}{% if f != false %}r{% endif %}`,
  ],
  [
    "contains",
    `{% if s contains "ell" %}a{% endif %}{% if s contains "xyz" %}b{% endif %}{% if arr contains 3 %}c{% endif %}{% if arr contains "3" %}d{% endif %}{% if strs contains "<b>" %}e{% endif %}{% if mixed contains "1" %}f{% endif %}{% if mixed contains nil %}g{% endif %}{% if obj contains "a" %}h{% endif %}{% if missing contains "a" %}i{% endif %}{% if one contains 1 %}j{% endif %}{% if s contains one %}k{% endif %}{% if nested contains arr %}l{% endif %}{% if emptyArr contains empty %}m{% endif %}`,
  ],
  [
    "nil empty blank",
    "{% if emptyStr == empty %}a{% endif %}{% if emptyArr == empty %}b{% endif %}{% if emptyObj == empty %}c{% endif %}{% if blankStr == blank %}d{% endif %}{% if n == nil %}e{% endif %}{% if missing == nil %}f{% endif %}{% if nil == missing %}g{% endif %}{% if f == blank %}h{% endif %}{% if empty == blank %}i{% endif %}{% if blank == blank %}j{% endif %}{% if nil == nil %}k{% endif %}{% if s == empty %}l{% endif %}{% if arr != empty %}m{% endif %}{% if empty == emptyStr %}n{% endif %}{% if zero == blank %}o{% endif %}{% if n == blank %}p{% endif %}{% if emptyStr == blank %}q{% endif %}{% if null == nil %}r{% endif %}{% if empty > 1 %}s{% endif %}{% if 1 >= nil %}t{% endif %}",
  ],
  [
    "and or not",
    "{% if t and one %}a{% endif %}{% if t and zero %}b{% endif %}{% if f or one %}c{% endif %}{% if f or zero %}d{% endif %}{% if f or t and zero %}e{% endif %}{% if t or f and zero %}f{% endif %}{% if one == 1 and two == '2' or f %}g{% endif %}{% if not t %}h{% endif %}{% if not f %}i{% endif %}{% if not emptyArr %}j{% endif %}",
  ],
  [
    "unless",
    "{% unless t %}A{% endunless %}{% unless f %}B{% endunless %}{% unless t %}C{% elsif one %}D{% else %}E{% endunless %}{% unless t %}F{% elsif zero %}G{% else %}H{% endunless %}{% unless missing %}I{% endunless %}",
  ],
  [
    "for with forloop",
    "{% for x in arr %}{{ forloop.index }}/{{ forloop.index0 }}/{{ forloop.rindex }}/{{ forloop.rindex0 }}/{{ forloop.first }}/{{ forloop.last }}/{{ forloop.length }}/{{ forloop.name }}:{{ x }} {% endfor %}",
  ],
  [
    "for modifiers",
    "{% for x in arr limit: 2 %}{{ x }}{% endfor %}|{% for x in arr offset: 1 %}{{ x }}{% endfor %}|{% for x in arr reversed %}{{ x }}{% endfor %}|{% for x in arr limit: 2 offset: 1 reversed %}{{ x }}{{ forloop.last }}{% endfor %}|{% for x in arr reversed limit: idx %}{{ x }}{% endfor %}|{% for x in arr limit: nil %}{{ x }}{% endfor %}|{% for x in arr offset: missing %}{{ x }}{% endfor %}|{% for x in arr limit: '3' %}{{ x }}{% endfor %}|{% for x in arr limit: 0 %}{{ x }}{% else %}else{% endfor %}|{% for x in arr offset: 10 %}{{ x }}{% else %}else{% endfor %}",
  ],
  [
    "for else and odd collections",
    "{% for x in emptyArr %}a{% else %}none{% endfor %}|{% for x in missing %}a{% else %}nil{% endfor %}|{% for x in s %}[{{ x }}]{% endfor %}|{% for x in emptyStr %}a{% else %}es{% endfor %}|{% for p in obj.a %}{{ p[0] }}={{ p[1].c }}{% endfor %}|{% for p in sizeless %}{{ p }}{{ p.first }}{{ p.size }};{% endfor %}|{% for x in one %}a{% else %}num{% endfor %}|{% for x in holes %}[{{ x }}]{% endfor %}",
  ],
  [
    "nested loops",
    "{% for row in nested %}{% for c in row %}{{ forloop.index }}{{ c }}{{ row.size }},{% endfor %}|{{ forloop.index }}{{ row.first }}{% endfor %}{% for item in items %}{% for tag in item.tags %}{{ item.title }}:{{ tag }}:{{ forloop.length }}{% else %}{{ item.title }} untagged{% endfor %};{% endfor %}",
  ],
  ["ranges", "{% for i in (1..3) %}{{ i }}{% endfor %}|{% for i in (one..arr.size) %}{{ i }}{% endfor %}|{% for i in (two..1) %}{{ i }}{% else %}empty{% endfor %}|{{ (1..3) | join: '+' }}"],
  [
    "assign and capture",
    `{% assign x = s | upcase %}{{ x }}|{% assign y = arr %}{{ y.size }}{{ y | join: "" }}|{% assign n2 = nil %}[{{ n2 }}]{% if n2 == nil %}nil{% endif %}|{% capture c %}Hi {{ s }} {% for v in arr limit: 2 %}{{ v }}{% endfor %}{% endcapture %}{{ c }}{{ c | size }}|{% assign s = "shadow" %}{{ s }}|{% assign missing = "now set" %}{{ missing }}|{% capture "q" %}quoted{% endcapture %}{{ q }}`,
  ],
  ["assign in loops", "{% for x in arr %}{% assign x = 'a' %}{% assign last = x %}{{ x }}{% endfor %}|{{ x }}|{{ last }}|{% for x in strs %}{% assign forloop = 'f' %}{{ forloop.index }}{% endfor %}{{ forloop }}"],
  ["raw and comments", "{% raw %}{{ not rendered }}{% if %}{% endraw %}|{% comment %}{{ hidden }}{% endcomment %}|{% # inline comment %}|done"],
  ["whitespace control", "a  {%- if t -%}  b  {%- endif -%}  c |  {{- s -}}  | {%- for x in arr -%} {{ x }} {%- endfor -%} ."],
];

describe("compiled Liquid matches liquidjs construct by construct", () => {
  it.each(CASES)("%s", (name, source) => {
    for (const [engineName, engine] of Object.entries(ENGINES)) {
      expectSameAsLiquid(engine.parse(source), engine, SCOPES, `${name} [${engineName}]`);
    }
  });
});

// ---------------------------------------------------------------------------------

describe("compiled Liquid leaves what it does not cover to liquidjs", () => {
  const unsupported: [string, string][] = [
    ["include", `{% include "partial" %}`],
    ["render", `{% render "partial", x: 1 %}`],
    ["cycle", `{% for x in arr %}{% cycle "a", "b" %}{% endfor %}`],
    ["case", `{% case one %}{% when 1 %}one{% endcase %}`],
    ["tablerow", `{% tablerow x in arr %}{{ x }}{% endtablerow %}`],
    ["increment", `{% increment counter %}`],
    ["echo", `{% echo s %}`],
    ["liquid", "{% liquid\nassign x = 1\necho x %}"],
    ["break", `{% for x in arr %}{% break %}{% endfor %}`],
    ["unknown filter", `{{ s | no_such_filter }}`],
    ["generator filter", `{{ items | map: "title" | join: "," }}`],
    ["where filter", `{% assign a = items | where: "title", "A" %}{{ a.size }}`],
    ["random filter", `{{ arr | sample }}`],
    ["bare forloop", `{% for x in arr %}{{ forloop }}{% endfor %}`],
    ["forloop property not modelled", `{% for x in arr %}{{ forloop.parentloop }}{% endfor %}`],
    ["offset continue", `{% for x in arr limit: 2 %}{% endfor %}{% for x in arr offset: continue %}{{ x }}{% endfor %}`],
    ["computed root name in a loop", `{% for x in arr %}{{ [key] }}{% endfor %}`],
  ];

  it.each(unsupported)("%s: compileLiquid returns null", (_name, source) => {
    for (const engine of Object.values(ENGINES)) {
      const templates = engine.parse(source);
      expect(compileLiquid(templates, engine)).toBeNull();
      expect(explainLiquidCompile(templates, engine)).toEqual(expect.any(String));
    }
  });

  it("rejects custom tags, custom filters and engines whose options change the semantics", () => {
    const options = { strictFilters: false, strictVariables: false, ownPropertyOnly: true, jsTruthy: true, cache: false } as const;
    const custom = new Liquid(options);
    custom.registerTag("shout", { parse() {}, render: () => "!" });
    custom.registerFilter("twice", (v: unknown) => `${v}${v}`);
    custom.registerFilter("later", async (v: unknown) => v);
    custom.registerFilter("upcase", (v: unknown) => String(v)); // overrides a builtin
    for (const source of ["{% shout %}", "{{ s | twice }}", "{{ s | later }}", "{{ s | upcase }}"]) {
      expect(compileLiquid(custom.parse(source), custom), source).toBeNull();
    }
    expect(compileLiquid(custom.parse("{{ s | downcase }}"), custom)).not.toBeNull();

    const escapeFn = (v: unknown) => String(v).replace(/</g, "");
    for (const engine of [
      new Liquid({ ...options, outputEscape: escapeFn }),
      new Liquid({ ...options, strictVariables: true }),
      new Liquid({ ...options, keepOutputType: true }),
      new Liquid({ ...options, memoryLimit: 1e6 }),
      new Liquid({ ...options, operators: { ...htmlLiquid.options.operators } }),
    ]) {
      expect(compileLiquid(engine.parse("{{ s }}"), engine)).toBeNull();
    }
  });

  it("matches liquidjs with the other engine options too: jsTruthy off, ownPropertyOnly off, orderedFilterParameters", () => {
    const engines = [
      new Liquid({ strictFilters: false, ownPropertyOnly: false, jsTruthy: false, cache: false }),
      new Liquid({ ownPropertyOnly: true, jsTruthy: false, outputEscape: "escape", orderedFilterParameters: true }),
    ];
    for (const [i, engine] of engines.entries()) {
      for (const [name, source] of CASES) {
        // Without ownPropertyOnly, `obj.constructor` and `toString` are inherited methods
        // that liquidjs calls: the compiled renderer hands those renders to liquidjs.
        const mayFallBack = name === "own properties only" && !engine.options.ownPropertyOnly;
        expectSameAsLiquid(engine.parse(source), engine, SCOPES, `engine #${i}: ${name}`, { mayFallBack });
      }
    }
  });

  it("falls back to liquidjs at render time for values it does not model (drops, functions, toLiquid, iterables)", () => {
    class Shouting extends Drop {
      valueOf() {
        return "DROP";
      }
      get name() {
        return "drop-name";
      }
    }
    const cases: [string, Scope][] = [
      ["{{ d }}|{{ d.name }}|{% if d %}y{% endif %}", { d: new Shouting() }],
      ["{{ fn }}|{{ obj.fn }}", { fn: () => "called", obj: { fn() { return "method"; } } }],
      ["{{ tl.a }}", { tl: { toLiquid: () => ({ a: "from toLiquid" }) } }],
      ["{% for x in m %}{{ x }};{% endfor %}", { m: new Map([["k", "v"]]) }],
      ["{% for x in set %}{{ x }}{% endfor %}", { set: new Set([1, 2]) }],
    ];
    for (const [source, scope] of cases) {
      for (const engine of Object.values(ENGINES)) {
        const templates = engine.parse(source);
        const fast = compileLiquid(templates, engine);
        expect(fast, source).not.toBeNull();
        const before = liquidFastPathStats.fallbacks;
        expect(fast!(scope), source).toBe(engine.renderSync(templates, scope));
        expect(liquidFastPathStats.fallbacks, source).toBe(before + 1);
      }
    }
  });

  it("rethrows liquidjs's own error when a render fails", () => {
    const engine = textLiquid;
    const templates = engine.parse("{{ s | append }}"); // append needs an argument
    const fast = compileLiquid(templates, engine)!;
    expect(fast).not.toBeNull();
    const liquidError = (() => {
      try {
        engine.renderSync(templates, { s: "x" });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(liquidError).toBeInstanceOf(Error);
    expect(() => fast({ s: "x" })).toThrow(liquidError!.message);
  });

  describe("render-email with no compiled renderer", () => {
    afterEach(() => {
      vi.doUnmock("~/server/channels/email/liquid-compiled.server");
      vi.resetModules();
    });

    it("renders the same email through liquidjs", async () => {
      const input = { templateKey: "abandoned_checkout_3", locale: "pl", context: CONTEXTS.hostile! };
      const fastEmail = await (await import("~/server/channels/email/render-email.server")).renderEmail(input);

      vi.resetModules();
      vi.doMock("~/server/channels/email/liquid-compiled.server", async (importOriginal) => ({
        ...(await importOriginal<object>()),
        compileLiquid: () => null,
      }));
      const compile = await import("~/server/channels/email/compile-template.server");
      const compiled = await compile.compiledEmail("abandoned_checkout_3", "pl");
      expect(compiled.fast).toEqual({ subject: null, html: null, text: null });
      const slowEmail = await (await import("~/server/channels/email/render-email.server")).renderEmail(input);
      expect(slowEmail).toEqual(fastEmail);
    });
  });
});

// ---------------------------------------------------------------------------------

/** mulberry32: a tiny deterministic PRNG, so the random test cannot flake. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(items: readonly T[]): T => items[int(items.length)]!;
  const maybe = <T,>(value: () => T, p = 0.5): T | undefined => (next() < p ? value() : undefined);
  return { next, int, pick, maybe };
}

const WORDS = ["kawa", "Żółć", "<b>", "&", '"', "'", "café", "  ", "\n", "x", "100%", "{{ not liquid }}", "ﬁ", "🙂", "a&amp;b", "</script>"];

function randomContext(r: ReturnType<typeof prng>): EmailRenderContext {
  const text = (max = 4) => Array.from({ length: 1 + r.int(max) }, () => r.pick(WORDS)).join(r.pick([" ", "", "-"])) || "x";
  const url = () => r.pick(["https://kawa.example.com/p/" + r.int(100), "/relative/" + r.int(9), "javascript:alert(1)", "http://x.example/?a=1&b=<2>", "", "mailto:a@b.c"]);
  const price = () => r.pick<string | number | null>([r.int(100000) / 100, String(r.int(1000)), "12.5", 0, null, "abc", -5]);
  return {
    shop: {
      name: text(3),
      url: r.maybe(() => "https://kawa.example.com", 0.8),
      currency: r.maybe(() => r.pick(["PLN", "USD", "EUR", "XXX"])),
      postalAddress: r.maybe(() => ({ ...POSTAL_ADDRESS, company: r.maybe(() => text(2)), address2: r.maybe(() => text(2)), province: r.maybe(() => text(1)) }), 0.9),
      branding: r.maybe(() => ({ primaryColor: r.pick(["#fff", "#123456", "red", "#ABCDEF"]), accentColor: r.maybe(() => "#00ff00"), logoUrl: r.maybe(url) })),
    },
    customer: r.maybe(() => ({ firstName: r.maybe(() => text(2), 0.7), lastName: r.maybe(() => text(2)), email: r.maybe(() => "a@example.com") }), 0.8),
    links: Object.fromEntries(
      ["unsubscribeUrl", "preferencesUrl", "viewInBrowser", "recoveryUrl", "reviewUrl", "confirmUrl", "shopUrl"].flatMap((k) => (r.next() < 0.6 ? [[k, url()]] : [])),
    ),
    items: Array.from({ length: r.pick([0, 0, 1, 2, 3, 5]) }, () => ({
      title: text(),
      variantTitle: r.maybe(() => r.pick(["Default Title", text(2)])),
      quantity: 1 + r.int(5),
      price: r.maybe(price, 0.8),
      imageUrl: r.maybe(url),
      url: r.maybe(url),
    })),
    discount: r.maybe(() => ({
      code: text(1).slice(0, 60) || "C",
      kind: r.pick(["percentage", "fixed_amount", "free_shipping"] as const),
      value: r.maybe(price),
      expiresAt: r.maybe(() => r.pick(["2026-01-01T00:00:00Z", "not a date", "2030-06-15"])),
    })),
    recommendations: Array.from({ length: r.pick([0, 1, 2, 3, 4, 5, 7]) }, () => ({ title: text(), price: r.maybe(price), imageUrl: r.maybe(url), url: r.maybe(url) })),
    assetBaseUrl: r.maybe(() => "https://assets.example.com/"),
  };
}

/** Replaces random leaves of a view with values of other types: the port must agree on all of them. */
function mangle(value: unknown, r: ReturnType<typeof prng>, depth = 0): unknown {
  const odd = () =>
    r.pick<unknown>([null, undefined, 0, -0, 1, 2.5, NaN, "", " ", "0", "<&>", true, false, [], [1, "<a>", null], {}, { size: 3, first: "f" }, [[1], [2, 3]], { title: "t" }]);
  if (depth > 0 && r.next() < 0.12) return odd();
  if (Array.isArray(value)) return value.map((v) => mangle(v, r, depth + 1));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mangle(v, r, depth + 1)]));
  return value;
}

describe("compiled Liquid agrees with liquidjs on random scopes", () => {
  it("several hundred random contexts and mangled views across the catalogue", async () => {
    const r = prng(0x5eed1e55);
    const fallbacks = liquidFastPathStats.fallbacks;
    let renders = 0;
    for (let i = 0; i < 400; i++) {
      const key = r.pick(EMAIL_TEMPLATE_KEYS) as EmailTemplateKey;
      const locale = r.pick(LOCALES);
      const compiled = await compiledEmail(key, locale);
      let scope: Scope;
      try {
        scope = view(randomContext(r), locale);
      } catch {
        continue; // a random context the schema refuses
      }
      if (i % 2 === 1) scope = mangle(scope, r) as Scope;
      for (const part of PARTS) {
        const engine = part === "html" ? htmlLiquid : textLiquid;
        const expected = engine.renderSync(compiled[part], scope) as string;
        expect(compiled.fast[part]!(scope), `#${i} ${key}/${locale}/${part}`).toBe(expected);
        renders++;
      }
    }
    expect(renders).toBeGreaterThan(900);
    expect(liquidFastPathStats.fallbacks).toBe(fallbacks);
  });
});
