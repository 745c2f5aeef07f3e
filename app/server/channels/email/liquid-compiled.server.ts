import {
  AssignTag,
  CaptureTag,
  CommentTag,
  Context,
  Drop,
  Expression,
  ForTag,
  IfTag,
  InlineCommentTag,
  Liquid,
  Output,
  RawTag,
  TokenKind,
  UnlessTag,
  defaultOperators,
  filters as builtinFilters,
  isFalsy as liquidIsFalsy,
  isTruthy as liquidIsTruthy,
  type Template,
} from "liquidjs";

/**
 * A compiled fast path for liquidjs templates.
 *
 * liquidjs renders every node through generators (`renderSync` drives them with
 * toValueSync), which costs a few microseconds per `{{ output }}`. compileLiquid walks a
 * parsed template once and returns plain closures that produce the same string as
 * `engine.renderSync(templates, scope)`, byte for byte.
 *
 * Two safety nets keep the output identical to liquidjs:
 *  - compile time: anything outside the subset below (another tag, a custom or
 *    generator filter, grouped expressions, `offset: continue`, bare `forloop`, engine
 *    options that change semantics...) makes compileLiquid return null, and the caller
 *    renders with liquidjs;
 *  - render time: a value the port does not model (a Drop other than nil/empty/blank,
 *    a function, an iterator, an object with toLiquid, a filter returning a promise or
 *    an iterator) or any error aborts the closure before it has side effects of its
 *    own, and that render is redone with `renderSync` (so errors are liquidjs's too).
 *
 * Supported: HTML text; `{% raw %}`; comments; outputs and tag expressions with
 * literals (strings, numbers, true/false/nil/null/empty/blank), ranges, property paths
 * (`a.b`, `a[0]`, `a["x"]`, `a[b.c]`, `.size`, `.first`, `.last`); the operators ==, !=,
 * <, >, <=, >=, contains, and, or, not (liquidjs's defaults); filters from the builtin
 * whitelist below, called as liquidjs calls them; the engine's outputEscape filter;
 * if/elsif/else, unless/elsif/else, for (with else, limit, offset, reversed and
 * forloop.index/index0/rindex/rindex0/first/last/length/name), assign and capture.
 *
 * The port mirrors liquidjs 10.30 (dist/liquid.node.js): Context.findScope/readProperty
 * (ownPropertyOnly, size/first/last), toValue/stringify, isFalsy (jsTruthy), the
 * NullDrop/EmptyDrop/BlankDrop comparisons, Expression's postfix evaluation, ForTag's
 * modifiers and the forloop drop. Tests compare it with liquidjs on every catalogue
 * template and on constructed edge cases.
 */

export type CompiledLiquid = (scope: Record<string, unknown>) => string;

/** Renders that fell back to liquidjs at render time (tests assert the fast path ran). */
export const liquidFastPathStats = { fallbacks: 0 };

export function compileLiquid(templates: Template[], engine: Liquid): CompiledLiquid | null {
  return compileOrExplain(templates, engine).render;
}

/** Why a template is not compiled (null when it is): for tests and debugging. */
export function explainLiquidCompile(templates: Template[], engine: Liquid): string | null {
  return compileOrExplain(templates, engine).reason;
}

// ---------------------------------------------------------------------------------
// liquidjs internals we recognise (by identity, never by name)

interface LiquidDropLike {
  valueOf(): unknown;
}

class Unsupported extends Error {}
const BAIL = new Error("liquid fast path: fall back to liquidjs");

function reject(reason: string): never {
  throw new Unsupported(reason);
}

function bail(): never {
  throw BAIL;
}

const probe = (() => {
  try {
    const nodes = new Liquid().parse("x{{ nil }}{{ empty }}{{ blank }}") as unknown as Array<{
      constructor: unknown;
      value?: { initial: { postfix: Array<{ content: unknown }> } };
    }>;
    const literal = (i: number) => nodes[i]?.value?.initial.postfix[0]?.content as LiquidDropLike | undefined;
    const nil = literal(1);
    const empty = literal(2);
    const blank = literal(3);
    const ok =
      nil instanceof Drop &&
      empty instanceof Drop &&
      blank instanceof Drop &&
      nil.valueOf() === null &&
      empty.valueOf() === "" &&
      blank.valueOf() === "" &&
      blank instanceof (empty.constructor as new () => unknown) &&
      !(nil instanceof (empty.constructor as new () => unknown));
    return ok ? { HTML: nodes[0]!.constructor, NIL: nil as object, EMPTY: empty as object, BLANK: blank as object } : null;
  } catch {
    return null;
  }
})();

const NIL: object = probe?.NIL ?? {};
const EMPTY: object = probe?.EMPTY ?? {};
const BLANK: object = probe?.BLANK ?? {};

type FilterHandler = (this: unknown, ...args: unknown[]) => unknown;
const builtin = builtinFilters as unknown as Record<string, FilterHandler | { raw?: boolean; handler: FilterHandler }>;
const handlerOf = (impl: unknown): FilterHandler | undefined =>
  typeof impl === "function" ? (impl as FilterHandler) : typeof (impl as { handler?: unknown })?.handler === "function" ? (impl as { handler: FilterHandler }).handler : undefined;

// Builtin filters that are synchronous plain functions and only use `this.context` for
// options, memoryLimit and ownPropertyOnly (never the scopes). Generator filters (map,
// where, sort, sum, find...) and `sample` (random) are left to liquidjs.
const SAFE_FILTER_NAMES = [
  "escape", "xml_escape", "escape_once", "unescape", "newline_to_br", "strip_html",
  "abs", "at_least", "at_most", "ceil", "divided_by", "floor", "minus", "plus", "modulo", "times", "round",
  "url_decode", "url_encode", "cgi_escape", "uri_escape", "slugify",
  "join", "first", "last", "reverse", "size", "compact", "concat", "push", "unshift", "pop", "shift", "slice", "uniq",
  "date", "date_to_xmlschema", "date_to_rfc822", "date_to_string", "date_to_long_string",
  "append", "prepend", "lstrip", "downcase", "upcase", "remove", "remove_first", "remove_last", "rstrip", "split",
  "strip", "strip_newlines", "capitalize", "replace", "replace_first", "replace_last", "truncate", "truncatewords",
  "normalize_whitespace", "number_of_words", "array_to_sentence_string",
  "default", "raw", "json", "jsonify", "to_integer", "inspect",
  "base64_encode", "base64_decode",
];
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as unknown;
const SAFE_HANDLERS = new Map<FilterHandler, string>();
for (const name of SAFE_FILTER_NAMES) {
  const handler = handlerOf(builtin[name]);
  if (handler && handler.constructor !== GeneratorFunction && !SAFE_HANDLERS.has(handler)) SAFE_HANDLERS.set(handler, name);
}
const escapeHandler = handlerOf(builtin.escape);

const FORLOOP_PROPS = new Set(["index", "index0", "rindex", "rindex0", "first", "last", "length", "name"]);
const MODIFIERS = ["offset", "limit", "reversed"];

// ---------------------------------------------------------------------------------
// runtime

interface Frame {
  item: unknown;
  i: number;
  length: number;
}

interface Runtime {
  env: object;
  globals: object;
  /** liquidjs's bottom scope (assign, capture), null when the template has neither. */
  bottom: Record<string, unknown> | null;
  frames: Frame[];
  /** A liquidjs Context for filters' `this.context`, made on first use. */
  ctx: Context | undefined;
}

type Eval = (rt: Runtime) => unknown;
type Render = (rt: Runtime) => string;

const objectToString = Object.prototype.toString;
const hasOwn = Object.prototype.hasOwnProperty;
const isArray = (v: unknown): v is unknown[] => objectToString.call(v) === "[object Array]";
const isObject = (v: unknown): v is object => v !== null && (typeof v === "object" || typeof v === "function");

function isLiteralDrop(v: unknown): boolean {
  return v === NIL || v === EMPTY || v === BLANK;
}

/** A value liquidjs would treat specially (call, drive, valueOf) that the port does not model. */
function checked(v: unknown): unknown {
  if (typeof v === "object" ? v !== null : typeof v === "function") {
    if (typeof v === "function") bail();
    if (v instanceof Drop && !isLiteralDrop(v)) bail();
    const o = v as { next?: unknown; throw?: unknown; return?: unknown };
    if (typeof o.next === "function" && typeof o.throw === "function" && typeof o.return === "function") bail();
  }
  return v;
}

function toValue(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (v instanceof Drop) {
    if (v === NIL) return null;
    if (v === EMPTY || v === BLANK) return "";
    bail();
  }
  return v;
}

function stringify(value: unknown): string {
  const v = toValue(value);
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (isArray(v)) return v.map((x) => stringify(x)).join("");
  return String(v);
}

function makeFalsy(jsTruthy: boolean): (v: unknown) => boolean {
  return jsTruthy
    ? (v) => !toValue(v)
    : (v) => {
        const x = toValue(v);
        return x === false || x === undefined || x === null;
      };
}

function readArrayElement(arr: unknown[], index: number, own: boolean): unknown {
  if (index < 0) index = arr.length + index;
  if (own && !hasOwn.call(arr, index)) return undefined;
  return arr[index];
}

function makeReadProperty(own: boolean): (obj: unknown, key: unknown) => unknown {
  const readJS = (obj: unknown, key: unknown) =>
    own && !hasOwn.call(obj, key as PropertyKey) ? undefined : (obj as Record<PropertyKey, unknown>)[key as PropertyKey];
  return (obj, key) => {
    if (obj === null || obj === undefined) return obj;
    if (obj && typeof (obj as { toLiquid?: unknown }).toLiquid === "function") bail();
    // Other drops never get here: `checked` bails on them when they are read.
    if (isLiteralDrop(obj)) bail();
    if (typeof key === "number" && isArray(obj)) return checked(readArrayElement(obj, key, own));
    const value = readJS(obj, key);
    if (typeof value === "function") bail();
    if (key === "size") {
      const o = obj as Record<string, unknown>;
      if (hasOwn.call(o, "size") || o["size"] !== undefined) return checked(o["size"]);
      if (isArray(o) || typeof o === "string") return (o as unknown as { length: number }).length;
      if (typeof o === "object") return Object.keys(o).length;
      return undefined;
    }
    if (key === "first") return checked(isArray(obj) ? readArrayElement(obj, 0, own) : readJS(obj, "first"));
    if (key === "last") return checked(isArray(obj) ? readArrayElement(obj, -1, own) : readJS(obj, "last"));
    return checked(value);
  };
}

/** liquidjs's isComparable for the values the port models; anything else comparable bails. */
function comparable(v: unknown): boolean {
  if (isLiteralDrop(v)) return true;
  const o = v as Record<string, unknown> | null | undefined;
  if (
    o &&
    typeof o.equals === "function" &&
    typeof o.gt === "function" &&
    typeof o.geq === "function" &&
    typeof o.lt === "function" &&
    typeof o.leq === "function"
  ) {
    bail();
  }
  return false;
}

function emptyEquals(value: unknown): boolean {
  if (value === EMPTY || value === BLANK) return false;
  const v = toValue(value);
  if (typeof v === "string" || isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).length === 0;
  return false;
}

function dropEquals(drop: unknown, value: unknown): boolean {
  if (drop === NIL) {
    const v = toValue(value);
    return v === null || v === undefined;
  }
  if (drop === BLANK) {
    if (value === false) return true;
    const v = toValue(value);
    if (v === null || v === undefined) return true;
    if (typeof value === "string") return /^\s*$/.test(value);
  }
  return emptyEquals(value);
}

function equals(lhs: unknown, rhs: unknown): boolean {
  if (comparable(lhs)) return dropEquals(lhs, rhs);
  if (comparable(rhs)) return dropEquals(rhs, lhs);
  const l = toValue(lhs);
  const r = toValue(rhs);
  if (isArray(l)) {
    if (!isArray(r) || l.length !== r.length) return false;
    for (let i = 0; i < l.length; i++) if (!equals(l[i], r[i])) return false;
    return true;
  }
  return l === r;
}

function contains(lhs: unknown, rhs: unknown): boolean {
  const l = toValue(lhs);
  if (isArray(l)) {
    for (const value of l) if (equals(value, rhs)) return true;
    return false;
  }
  if (typeof l === "string") return l.indexOf(toValue(rhs) as string) > -1;
  if (l !== null && l !== undefined && typeof (l as { indexOf?: unknown }).indexOf === "function") bail();
  return false;
}

type Order = (l: unknown, r: unknown) => boolean;
function ordered(op: Order): Order {
  // NullDrop, EmptyDrop and BlankDrop answer false to gt/geq/lt/leq.
  return (l, r) => (comparable(l) || comparable(r) ? false : op(toValue(l), toValue(r)));
}
/* eslint-disable @typescript-eslint/no-explicit-any */
const ORDERED: Record<string, Order> = {
  ">": ordered((l, r) => (l as any) > (r as any)),
  "<": ordered((l, r) => (l as any) < (r as any)),
  ">=": ordered((l, r) => (l as any) >= (r as any)),
  "<=": ordered((l, r) => (l as any) <= (r as any)),
};
/* eslint-enable @typescript-eslint/no-explicit-any */

function toEnumerable(value: unknown): unknown[] {
  const v = toValue(value);
  if (isArray(v)) return v;
  if (typeof v === "string" && v.length > 0) return [v];
  if (isObject(v)) {
    if (Symbol.iterator in v) bail();
    return Object.keys(v).map((key) => [key, (v as Record<string, unknown>)[key]]);
  }
  return [];
}

const ESCAPE_TEST = /[&<>"']/;
/**
 * liquidjs's `escape` filter (memoryLimit Infinity): & < > " ' become &amp; &lt; &gt;
 * &#34; &#39;. The same output as its replace-with-callback, several times faster.
 */
function escapeFilter(v: unknown): string {
  const s = stringify(v);
  if (!ESCAPE_TEST.test(s)) return s;
  let out = "";
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    let entity: string;
    switch (s.charCodeAt(i)) {
      case 38:
        entity = "&amp;";
        break;
      case 60:
        entity = "&lt;";
        break;
      case 62:
        entity = "&gt;";
        break;
      case 34:
        entity = "&#34;";
        break;
      case 39:
        entity = "&#39;";
        break;
      default:
        continue;
    }
    out += s.slice(last, i) + entity;
    last = i + 1;
  }
  return out + s.slice(last);
}

// ---------------------------------------------------------------------------------
// compiler

/* eslint-disable @typescript-eslint/no-explicit-any -- liquidjs's AST fields are private in its typings */
type AnyNode = any;
type AnyToken = any;

interface Loop {
  variable: string;
  name: string;
}

interface Scope {
  loops: Loop[];
  /** Inside a for tag's hash, where liquidjs pushes a `{ continue }` scope. */
  inHash: boolean;
}

function compileOrExplain(templates: Template[], engine: Liquid): { render: CompiledLiquid | null; reason: string | null } {
  try {
    return { render: new Compiler(engine).compileRoot(templates), reason: null };
  } catch (err) {
    // Unsupported, or an AST shape this port does not expect: liquidjs renders it.
    return { render: null, reason: err instanceof Unsupported ? err.message : `unexpected template shape: ${String(err)}` };
  }
}

class Compiler {
  private usesBottom = false;
  private readonly isFalsy: (v: unknown) => boolean;
  private readonly readProperty: (obj: unknown, key: unknown) => unknown;

  constructor(private readonly engine: Liquid) {
    const o = engine.options as AnyNode;
    if (!probe) reject("liquidjs internals not recognised");
    if (o.operators !== defaultOperators) reject("custom operators");
    if (o.keepOutputType) reject("keepOutputType");
    if (o.strictVariables) reject("strictVariables");
    if (o.memoryLimit !== Infinity || o.renderLimit !== Infinity) reject("memoryLimit/renderLimit");
    if (o.groupedExpressions) reject("groupedExpressions");
    this.isFalsy = makeFalsy(!!o.jsTruthy);
    this.readProperty = makeReadProperty(!!o.ownPropertyOnly);
  }

  compileRoot(templates: Template[]): CompiledLiquid {
    const body = this.block(templates as AnyNode[], { loops: [], inHash: false });
    const engine = this.engine;
    const usesBottom = this.usesBottom;
    const fallback = (scope: Record<string, unknown>) => {
      liquidFastPathStats.fallbacks++;
      return engine.renderSync(templates, scope) as string;
    };
    return (scope) => {
      const globals = (engine.options as AnyNode).globals as object;
      if (!runnableScope(scope) || !runnableScope(globals)) return fallback(scope);
      const rt: Runtime = { env: scope, globals, bottom: usesBottom ? Object.create(null) : null, frames: [], ctx: undefined };
      try {
        return body(rt);
      } catch {
        return fallback(scope);
      }
    };
  }

  // -- templates --------------------------------------------------------------

  private block(nodes: AnyNode[], scope: Scope): Render {
    // Output = statics[0] + parts[0](rt) + statics[1] + ... + statics[n]
    const statics: string[] = [""];
    const parts: Render[] = [];
    for (const node of nodes) {
      const r = this.node(node, scope);
      if (typeof r === "string") statics[statics.length - 1] += r;
      else {
        parts.push(r);
        statics.push("");
      }
    }
    const n = parts.length;
    const head = statics[0]!;
    if (n === 0) return () => head;
    if (n === 1) {
      const p = parts[0]!;
      const tail = statics[1]!;
      return (rt) => head + p(rt) + tail;
    }
    return (rt) => {
      let s = head;
      for (let i = 0; i < n; i++) s += parts[i]!(rt) + statics[i + 1]!;
      return s;
    };
  }

  /** A constant string, or a renderer. */
  private node(node: AnyNode, scope: Scope): string | Render {
    const kind = node?.constructor;
    if (kind === probe!.HTML) {
      if (typeof node.str !== "string") reject("HTML node without text");
      return node.str;
    }
    if (kind === Output) return this.output(node, scope);
    if (kind === IfTag) return this.ifTag(node, scope);
    if (kind === UnlessTag) return this.unlessTag(node, scope);
    if (kind === ForTag) return this.forTag(node, scope);
    if (kind === AssignTag) return this.assignTag(node, scope);
    if (kind === CaptureTag) return this.captureTag(node, scope);
    if (kind === RawTag) {
      const text = node.render();
      if (typeof text !== "string") reject("raw tag");
      return text;
    }
    if (kind === CommentTag || kind === InlineCommentTag) return "";
    reject(`unsupported node ${node?.name ?? kind?.name ?? typeof node}`);
  }

  private output(node: AnyNode, scope: Scope): Render {
    const filters = node.value?.filters as AnyNode[] | undefined;
    const last = filters?.[filters.length - 1];
    const value = this.value(node.value, scope, true);
    // The escape filter always returns a string: toValue and stringify are no-ops.
    if (last && last.handler === escapeHandler) return value as Render;
    return (rt) => stringify(toValue(value(rt)));
  }

  private ifTag(node: AnyNode, scope: Scope): Render {
    const branches = (node.branches as AnyNode[]).map((b) => ({ test: this.value(b.value, scope, false), body: this.block(b.templates, scope) }));
    const otherwise = this.block(node.elseTemplates ?? [], scope);
    const isFalsy = this.isFalsy;
    return (rt) => {
      for (const b of branches) if (!isFalsy(toValue(b.test(rt)))) return b.body(rt);
      return otherwise(rt);
    };
  }

  private unlessTag(node: AnyNode, scope: Scope): Render {
    const branches = (node.branches as AnyNode[]).map((b) => {
      if (b.test !== liquidIsFalsy && b.test !== liquidIsTruthy) reject("unless branch test");
      return { wantFalsy: b.test === liquidIsFalsy, test: this.value(b.value, scope, false), body: this.block(b.templates, scope) };
    });
    const otherwise = this.block(node.elseTemplates ?? [], scope);
    const isFalsy = this.isFalsy;
    return (rt) => {
      for (const b of branches) if (isFalsy(toValue(b.test(rt))) === b.wantFalsy) return b.body(rt);
      return otherwise(rt);
    };
  }

  private forTag(node: AnyNode, scope: Scope): Render {
    const variable = node.variable;
    if (typeof variable !== "string" || !variable || variable === "forloop" || variable === "toLiquid") reject(`for variable ${variable}`);
    const collectionToken = node.collection;
    if (!collectionToken || typeof collectionToken.getText !== "function") reject("for collection");
    const collection = this.token(collectionToken, scope);
    const hashTokens = node.hash?.hash as Record<string, AnyToken> | undefined;
    if (!hashTokens || typeof hashTokens !== "object") reject("for hash");
    const hash: [string, Eval][] = Object.keys(hashTokens).map((key) => {
      if (!MODIFIERS.includes(key)) reject(`for parameter ${key}`);
      const tok = hashTokens[key];
      return [key, tok === undefined ? () => true : this.token(tok, { loops: scope.loops, inHash: true })];
    });
    const orderedParams = !!(this.engine.options as AnyNode).orderedFilterParameters;
    const depth = scope.loops.length;
    const inner: Scope = { loops: [...scope.loops, { variable, name: `${variable}-${collectionToken.getText()}` }], inHash: false };
    const body = this.block(node.templates, inner);
    const otherwise = this.block(node.elseTemplates ?? [], scope);
    return (rt) => {
      let items = toEnumerable(collection(rt));
      if (!items.length) return otherwise(rt);
      if (hash.length) {
        const h: Record<string, unknown> = {};
        for (const [key, ev] of hash) h[key] = ev(rt);
        const modifiers = orderedParams ? Object.keys(h).filter((x) => MODIFIERS.includes(x)) : MODIFIERS.filter((x) => h[x] !== undefined);
        for (const m of modifiers) {
          if (m === "offset") items = items.slice(h.offset as number);
          else if (m === "limit") items = items.slice(0, h.limit as number);
          else items = [...items].reverse();
        }
      }
      const frame: Frame = { item: undefined, i: 0, length: items.length };
      rt.frames[depth] = frame;
      let out = "";
      for (const item of items) {
        frame.item = item;
        out += body(rt);
        frame.i++;
      }
      return out;
    };
  }

  private assignTag(node: AnyNode, scope: Scope): Render {
    const key = node.key;
    if (typeof key !== "string" || !key) reject("assign target");
    const value = this.value(node.value, scope, false);
    this.usesBottom = true;
    return (rt) => {
      rt.bottom![key] = value(rt);
      return "";
    };
  }

  private captureTag(node: AnyNode, scope: Scope): Render {
    const key = node.variable;
    if (typeof key !== "string") reject("capture target");
    const body = this.block(node.templates, scope);
    this.usesBottom = true;
    return (rt) => {
      rt.bottom![key] = body(rt);
      return "";
    };
  }

  // -- values -----------------------------------------------------------------

  /** liquidjs Value: an expression, then its filters (drops are kept, not toValue'd). */
  private value(value: AnyNode, scope: Scope, inOutput: boolean): Eval {
    if (!value || !(value.initial instanceof Expression)) reject("value");
    const initial = this.expression(value.initial, scope);
    const filters = (value.filters as AnyNode[]).map((f, i, all) => this.filter(f, scope, inOutput && i === all.length - 1));
    if (filters.length === 0) return initial;
    if (filters.length === 1) {
      const f = filters[0]!;
      return (rt) => f(rt, initial(rt));
    }
    return (rt) => {
      let v = initial(rt);
      for (const f of filters) v = f(rt, v);
      return v;
    };
  }

  private filter(filter: AnyNode, scope: Scope, lastInOutput: boolean): (rt: Runtime, v: unknown) => unknown {
    const handler = filter.handler as FilterHandler;
    if (!SAFE_HANDLERS.has(handler)) reject(`filter ${filter.name}`);
    const engine = this.engine;
    const registered = Object.prototype.hasOwnProperty.call(engine.filters, filter.name) ? handlerOf(engine.filters[filter.name]) : undefined;
    const isOutputEscape = lastInOutput && handler === (engine.options as AnyNode).outputEscape && filter.args.length === 0;
    if (registered !== handler && !isOutputEscape) reject(`filter ${filter.name} is not liquidjs's builtin`);
    const args: Array<Eval | [string, Eval]> = (filter.args as AnyToken[]).map((arg) =>
      Array.isArray(arg) ? [String(arg[0]), arg[1] === undefined ? () => undefined : this.token(arg[1], scope)] : this.token(arg, scope),
    );
    if (handler === escapeHandler && args.length === 0) return (_rt, v) => escapeFilter(v);
    const token = filter.token;
    const run = (rt: Runtime, argv: unknown[]) => {
      rt.ctx ??= new Context(rt.env, engine.options, { sync: true }, { liquid: engine });
      const result = handler.apply({ context: rt.ctx, token, liquid: engine }, argv);
      if (isObject(result)) {
        const r = result as { then?: unknown; next?: unknown; throw?: unknown; return?: unknown };
        if (typeof r.then === "function") bail();
        if (typeof r.next === "function" && typeof r.throw === "function" && typeof r.return === "function") bail();
      }
      return result;
    };
    if (args.length === 0) return (rt, v) => run(rt, [v]);
    if (args.length === 1 && !Array.isArray(args[0])) {
      const a = args[0] as Eval;
      return (rt, v) => run(rt, [v, a(rt)]);
    }
    return (rt, v) => {
      const argv: unknown[] = [v];
      for (const a of args) argv.push(Array.isArray(a) ? [a[0], a[1](rt)] : a(rt));
      return run(rt, argv);
    };
  }

  /** liquidjs Expression: postfix operands and operators (operands are evaluated eagerly). */
  private expression(expr: AnyNode, scope: Scope): Eval {
    const stack: Eval[] = [];
    for (const tok of expr.postfix as AnyToken[]) {
      if (tok?.kind !== TokenKind.Operator) {
        stack.push(this.token(tok, scope));
        continue;
      }
      const op = tok.operator;
      if (op === "not") {
        const v = stack.pop() ?? reject("not without operand");
        const isFalsy = this.isFalsy;
        stack.push((rt) => isFalsy(toValue(v(rt))));
        continue;
      }
      const r = stack.pop();
      const l = stack.pop();
      if (!l || !r) reject(`operator ${op} without operands`);
      stack.push(this.binary(op, l, r));
    }
    if (stack.length !== 1) reject("malformed expression");
    return stack[0]!;
  }

  private binary(op: string, l: Eval, r: Eval): Eval {
    const isFalsy = this.isFalsy;
    switch (op) {
      case "==":
        return (rt) => equals(l(rt), r(rt));
      case "!=":
        return (rt) => !equals(l(rt), r(rt));
      case "contains":
        return (rt) => contains(l(rt), r(rt));
      case "and":
        return (rt) => {
          const a = l(rt);
          const b = r(rt);
          return !isFalsy(toValue(a)) && !isFalsy(toValue(b));
        };
      case "or":
        return (rt) => {
          const a = l(rt);
          const b = r(rt);
          return !isFalsy(toValue(a)) || !isFalsy(toValue(b));
        };
      default: {
        const cmp = ORDERED[op] ?? reject(`operator ${op}`);
        return (rt) => cmp(l(rt), r(rt));
      }
    }
  }

  /** liquidjs evalToken: literals as they are (nil/empty/blank stay drops), paths, ranges. */
  private token(tok: AnyToken, scope: Scope): Eval {
    switch (tok?.kind) {
      case TokenKind.Literal: {
        const c = tok.content;
        if (c !== true && c !== false && !isLiteralDrop(c)) reject(`literal ${tok.literal}`);
        return () => c;
      }
      case TokenKind.Number:
      case TokenKind.Quoted: {
        const c = tok.content;
        if (typeof c !== (tok.kind === TokenKind.Number ? "number" : "string")) reject("literal");
        return () => c;
      }
      case TokenKind.Range: {
        const lhs = this.token(tok.lhs, scope);
        const rhs = this.token(tok.rhs, scope);
        return (rt) => {
          const low = toValue(lhs(rt)) as number;
          const high = toValue(rhs(rt)) as number;
          const out: number[] = [];
          for (let i = +low; i < +high + 1; i++) out.push(i);
          return out;
        };
      }
      case TokenKind.PropertyAccess:
        return this.path(tok, scope);
      default:
        return reject(`token kind ${tok?.kind}`);
    }
  }

  /** A property key: liquidjs evaluates it with evalTokenValue (toValue'd). */
  private key(tok: AnyToken, scope: Scope): { constant: true; value: unknown } | { constant: false; ev: Eval } {
    switch (tok?.kind) {
      case TokenKind.Word:
      case TokenKind.Quoted:
      case TokenKind.Number:
        if (typeof tok.content !== (tok.kind === TokenKind.Number ? "number" : "string")) reject("property key");
        return { constant: true, value: tok.content };
      case TokenKind.Literal:
        if (tok.content !== true && tok.content !== false && !isLiteralDrop(tok.content)) reject("property key");
        return { constant: true, value: toValue(tok.content) };
      case TokenKind.PropertyAccess: {
        const ev = this.path(tok, scope);
        return { constant: false, ev: (rt) => toValue(ev(rt)) };
      }
      default:
        return reject(`property key kind ${tok?.kind}`);
    }
  }

  private path(tok: AnyToken, scope: Scope): Eval {
    const props = tok.props as AnyToken[];
    if (!Array.isArray(props) || props.length === 0) reject("empty property path");
    const keys = props.map((p) => this.key(p, scope));
    const readProperty = this.readProperty;

    let root: Eval;
    let rest: typeof keys;
    if (tok.variable) {
      // `"abc".size`, `(1..3).first`: a value, then every prop is read from it.
      if (tok.variable.kind === TokenKind.Literal) reject("property of a literal");
      root = this.token(tok.variable, scope);
      rest = keys;
    } else {
      const first = keys[0]!;
      rest = keys.slice(1);
      if (!first.constant) {
        // A computed root name: resolved against bottom/env/globals, which only matches
        // liquidjs's findScope outside loops and for-tag parameters.
        if (scope.loops.length || scope.inHash) reject("computed root variable inside a loop");
        const ev = first.ev;
        root = (rt) => {
          const k = ev(rt) as PropertyKey;
          const b = rt.bottom;
          return readProperty(b !== null && k in b ? b : k in rt.env ? rt.env : rt.globals, k);
        };
      } else {
        const k = first.value as PropertyKey;
        const name = String(k);
        if (scope.inHash && name === "continue") reject("offset: continue");
        const loopIndex = findLastIndex(scope.loops, (l) => name === "forloop" || name === l.variable);
        if (loopIndex >= 0) {
          const loop = scope.loops[loopIndex]!;
          if (name === loop.variable) {
            root = (rt) => checked(rt.frames[loopIndex]!.item);
          } else {
            // forloop: only its documented properties, read statically.
            const prop = rest[0];
            if (!prop || !prop.constant || !FORLOOP_PROPS.has(String(prop.value))) reject("forloop used other than forloop.<property>");
            rest = rest.slice(1);
            root = forloopProperty(String(prop.value), loopIndex, loop.name);
          }
        } else {
          root = (rt) => {
            const b = rt.bottom;
            return readProperty(b !== null && k in b ? b : k in rt.env ? rt.env : rt.globals, k);
          };
        }
      }
    }

    if (rest.length === 0) return root;
    if (rest.every((k) => k.constant)) {
      const names = rest.map((k) => (k as { value: unknown }).value);
      if (names.length === 1) {
        const k0 = names[0];
        return (rt) => readProperty(root(rt), k0);
      }
      if (names.length === 2) {
        const [k0, k1] = names;
        return (rt) => readProperty(readProperty(root(rt), k0), k1);
      }
      return (rt) => {
        let v = root(rt);
        for (const k of names) v = readProperty(v, k);
        return v;
      };
    }
    const evs: Eval[] = rest.map((k) => (k.constant ? () => k.value : k.ev));
    return (rt) => {
      // liquidjs evaluates every key before reading.
      const ks = evs.map((e) => e(rt));
      let v = root(rt);
      for (const k of ks) v = readProperty(v, k);
      return v;
    };
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

function forloopProperty(prop: string, depth: number, name: string): Eval {
  switch (prop) {
    case "index":
      return (rt) => rt.frames[depth]!.i + 1;
    case "index0":
      return (rt) => rt.frames[depth]!.i;
    case "rindex":
      return (rt) => rt.frames[depth]!.length - rt.frames[depth]!.i;
    case "rindex0":
      return (rt) => rt.frames[depth]!.length - rt.frames[depth]!.i - 1;
    case "first":
      return (rt) => rt.frames[depth]!.i === 0;
    case "last":
      return (rt) => rt.frames[depth]!.i === rt.frames[depth]!.length - 1;
    case "length":
      return (rt) => rt.frames[depth]!.length;
    case "name":
      return () => name;
    default:
      return reject(`forloop.${prop}`);
  }
}

function findLastIndex<T>(items: T[], pred: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i]!)) return i;
  return -1;
}

function runnableScope(scope: unknown): scope is object {
  return (
    scope !== null &&
    typeof scope === "object" &&
    !(scope instanceof Context) &&
    !(scope instanceof Drop) &&
    typeof (scope as { toLiquid?: unknown }).toLiquid !== "function"
  );
}
