// Static checks of the theme app extension: the TOML, the Liquid blocks' schemas and
// markup, the locale files, and that the popup block provides every data attribute the
// widget source reads.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Liquid } from "liquidjs";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../extensions/theme-widgets/", import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const readJson = (file: string) => JSON.parse(read(file)) as Record<string, unknown>;

interface Setting {
  type: string;
  id?: string;
  label?: string;
  info?: string;
  content?: string;
  default?: unknown;
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
}
interface BlockSchema {
  name: string;
  target: string;
  stylesheet?: string;
  settings: Setting[];
}

function schemaOf(block: string): BlockSchema {
  const match = /\{% schema %\}([\s\S]*?)\{% endschema %\}/.exec(read(`blocks/${block}`));
  expect(match, `${block} has a {% schema %}`).not.toBeNull();
  return JSON.parse(match![1]!) as BlockSchema;
}

/** "t:a.b.c" -> the value at a.b.c of a locale file. */
function lookup(locale: Record<string, unknown>, key: string): unknown {
  return key
    .slice(2)
    .split(".")
    .reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), locale);
}

/** Every `attr(el, "name")` in the given sources. */
function attributesRead(...files: string[]): string[] {
  return files.flatMap((file) => Array.from(read(`src/${file}`).matchAll(/\battr\(el, "([a-z-]+)"\)/g), (m) => m[1]!));
}

describe("extensions/theme-widgets", () => {
  it("is a theme app extension named flowmate-widgets", () => {
    const toml = read("shopify.extension.toml");
    expect(toml).toMatch(/^name = "flowmate-widgets"$/m);
    expect(toml).toMatch(/^type = "theme"$/m);
  });

  it("has an app embed popup (body) and an app block for recommendations (section)", () => {
    expect(schemaOf("signup-popup.liquid").target).toBe("body");
    expect(schemaOf("recommendations.liquid").target).toBe("section");
  });

  it("has the settings the widgets use, valid for the theme editor", () => {
    const ids = (block: string) => schemaOf(block).settings.flatMap((s) => (s.id ? [s.id] : []));
    expect(ids("signup-popup.liquid")).toEqual(
      expect.arrayContaining(["delay_seconds", "title", "body", "show_sms_field", "accent_color"]),
    );
    expect(ids("recommendations.liquid")).toEqual(expect.arrayContaining(["heading", "limit"]));

    for (const block of ["signup-popup.liquid", "recommendations.liquid"]) {
      const schema = schemaOf(block);
      expect(schema.name.length, `${block} name`).toBeLessThanOrEqual(25);
      expect(new Set(ids(block)).size).toBe(ids(block).length);
      for (const setting of schema.settings.filter((s) => s.type === "range")) {
        const { min = 0, max = 0, step = 1, default: value } = setting;
        expect((max - min) / step, `${setting.id} steps`).toBeLessThanOrEqual(101);
        expect(typeof value).toBe("number");
        expect(value as number).toBeGreaterThanOrEqual(min);
        expect(value as number).toBeLessThanOrEqual(max);
        if (setting.unit) expect(setting.unit.length).toBeLessThanOrEqual(3);
      }
      if (schema.stylesheet) expect(existsSync(path.join(ROOT, "assets", schema.stylesheet))).toBe(true);
    }
  });

  it("translates every t: key of the schemas in English (default) and Polish", () => {
    const locales = ["en.default.schema.json", "pl.schema.json"].map((file) => [file, readJson(`locales/${file}`)] as const);
    const keys = ["signup-popup.liquid", "recommendations.liquid"].flatMap((block) =>
      schemaOf(block).settings.flatMap((s) => [s.label, s.info, s.content].filter((v): v is string => !!v && v.startsWith("t:"))),
    );
    expect(keys.length).toBeGreaterThan(10);
    for (const [file, locale] of locales) {
      for (const key of keys) expect(typeof lookup(locale, key), `${key} in ${file}`).toBe("string");
    }
  });

  it("has storefront strings for every `| t` in the blocks, in English and Polish", () => {
    const keys = readdirSync(path.join(ROOT, "blocks")).flatMap((block) =>
      Array.from(read(`blocks/${block}`).matchAll(/'([\w.]+)' \| t\b/g), (m) => `t:${m[1]!}`),
    );
    expect(keys.length).toBeGreaterThan(0);
    for (const file of ["en.default.json", "pl.json"]) {
      const locale = readJson(`locales/${file}`);
      for (const key of keys) expect(typeof lookup(locale, key), `${key} in ${file}`).toBe("string");
    }
  });

  it("renders the popup's mount element with every data attribute the widget reads, and a deferred script", () => {
    const popup = read("blocks/signup-popup.liquid");
    expect(popup).toContain('id="flowmate-signup"');
    for (const name of attributesRead("signup-popup.tsx")) expect(popup, `data-${name}`).toContain(`data-${name}="`);
    expect(popup).toContain(`<script src="{{ 'flowmate-widgets.js' | asset_url }}" defer></script>`);
    expect(popup).toContain('data-proxy="/apps/flowmate"');
    expect(popup).toContain('data-locale="{{ request.locale.iso_code }}"');
  });

  it("renders nothing for the recommendations block on the storefront, only a note in the theme editor", async () => {
    const en = readJson("locales/en.default.json");
    const liquid = new Liquid();
    liquid.registerFilter("t", (key: string) => lookup(en, `t:${key}`));
    const template = read("blocks/recommendations.liquid").replace(/\{% schema %\}[\s\S]*?\{% endschema %\}/, "");
    const render = (designMode: boolean): Promise<string> =>
      liquid.parseAndRender(template, {
        request: { design_mode: designMode },
        block: { id: "b1", shopify_attributes: 'data-shopify-editor-block="b1"', settings: { limit: 4 } },
        product: { id: 7001 },
      });

    expect((await render(false)).trim()).toBe("");
    const editor = await render(true);
    expect(editor).toContain("product recommendations are coming");
    expect(editor).not.toMatch(/<script|data-proxy|data-flowmate-recommendations/);
  });

  it("ships only built files in assets/ and keeps src/ out of the upload", () => {
    expect(readdirSync(path.join(ROOT, "assets")).sort()).toEqual(["flowmate-widgets.css", "flowmate-widgets.js"]);
    // The Shopify CLI rejects directories other than assets, blocks, locales, snippets
    // unless .shopifyignore excludes them.
    const allowed = ["assets", "blocks", "locales", "snippets"];
    const ignored = read(".shopifyignore")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    for (const entry of readdirSync(ROOT, { withFileTypes: true })) {
      if (entry.isDirectory() && !allowed.includes(entry.name)) expect(ignored, entry.name).toContain(`${entry.name}/**`);
    }
  });
});
