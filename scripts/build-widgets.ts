// Builds the theme app extension's storefront bundle:
//   extensions/theme-widgets/src/main.tsx   -> extensions/theme-widgets/assets/flowmate-widgets.js
//   extensions/theme-widgets/src/styles.css -> extensions/theme-widgets/assets/flowmate-widgets.css
// The built files are committed (Shopify ships the extension's assets/ folder as is).
// Fails, writing nothing, when a file is over its size budget.
//
//   npx tsx scripts/build-widgets.ts
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const WIDGETS_DIR = path.join(ROOT, "extensions", "theme-widgets");
export const ASSETS_DIR = path.join(WIDGETS_DIR, "assets");
export const JS_FILE = "flowmate-widgets.js";
export const CSS_FILE = "flowmate-widgets.css";

/** Budget for the minified JS (Preact itself is ~4 KB of it). */
export const JS_LIMIT_BYTES = 20 * 1024;
/**
 * Internal property names that esbuild shortens in the bundle (~0.4 KB of the budget):
 * members of the widget classes, their state and config objects. Only names that
 * never cross a boundary belong here: not DOM or Preact properties, not JSX props
 * Preact reads (onSubmit...), not keys sent to or read from the server.
 */
export const MANGLED_PROPS =
  /^(dialog|returnFocus|disarm|remember|fail|errors|delaySeconds|exitIntent|showSms|shopName|privacyUrl|designMode|proxy)$/;

/** Budget for the minified CSS. */
export const CSS_LIMIT_BYTES = 8 * 1024;

export interface BuildWidgetsOptions {
  /** Where to write the files; defaults to the extension's assets/ folder. */
  outDir?: string;
  /** Print the sizes (default: false when imported, true from the CLI). */
  log?: boolean;
  /** Override the budgets (tests). */
  jsLimitBytes?: number;
  cssLimitBytes?: number;
}

export async function buildWidgets(options: BuildWidgetsOptions = {}): Promise<{ jsBytes: number; cssBytes: number }> {
  const outDir = options.outDir ?? ASSETS_DIR;

  const bundle = await build({
    entryPoints: [path.join(WIDGETS_DIR, "src", "main.tsx")],
    tsconfig: path.join(WIDGETS_DIR, "tsconfig.json"),
    bundle: true,
    write: false,
    minify: true,
    format: "iife",
    target: "es2019",
    platform: "browser",
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    mangleProps: MANGLED_PROPS,
    // Polish text as UTF-8 rather than \uXXXX escapes (~300 bytes less). Safe: Shopify
    // storefront pages are UTF-8 and a script without a declared charset is decoded
    // with the page's encoding.
    charset: "utf8",
    sourcemap: false,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const js = bundle.outputFiles[0]?.contents;
  if (!js) throw new Error("esbuild produced no output for the widgets bundle");

  const cssSource = await readFile(path.join(WIDGETS_DIR, "src", "styles.css"), "utf8");
  const css = Buffer.from((await transform(cssSource, { loader: "css", minify: true, legalComments: "none" })).code);

  const jsLimit = options.jsLimitBytes ?? JS_LIMIT_BYTES;
  const cssLimit = options.cssLimitBytes ?? CSS_LIMIT_BYTES;
  const over: string[] = [];
  if (js.byteLength > jsLimit) over.push(`${JS_FILE} is ${js.byteLength} bytes, over the ${jsLimit} byte limit`);
  if (css.byteLength > cssLimit) over.push(`${CSS_FILE} is ${css.byteLength} bytes, over the ${cssLimit} byte limit`);
  if (over.length) throw new Error(`widget bundle too large: ${over.join("; ")}`);

  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, JS_FILE), js);
  await writeFile(path.join(outDir, CSS_FILE), css);

  if (options.log) {
    const rel = path.relative(process.cwd(), outDir) || ".";
    for (const [name, bytes, limit] of [
      [JS_FILE, js, jsLimit],
      [CSS_FILE, css, cssLimit],
    ] as const) {
      console.log(
        `${path.join(rel, name)}  ${bytes.byteLength} bytes (${kb(bytes.byteLength)}) minified, ` +
          `${kb(gzipSync(bytes).byteLength)} gzip; limit ${limit} bytes (${kb(limit)})`,
      );
    }
  }
  return { jsBytes: js.byteLength, cssBytes: css.byteLength };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  buildWidgets({ log: true }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
