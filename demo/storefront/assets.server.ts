// The built files the storefront simulator loads (the extensions' bundles and its own
// browser scripts), served read-only.
// A whitelist, not a path join: a request names a bundle ("web-pixel") and a file
// name, the file name must be one the bundle's directory actually lists, and the
// path served is built from that listing. "../", "%2e%2e", absolute paths and
// subdirectories therefore never reach the file system.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface ServedAsset {
  file: string;
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
};

/** Which files each public prefix may serve; `files: null` means "whatever the directory lists". */
const BUNDLES: Record<string, { dir: string[]; files: readonly string[] | null }> = {
  "web-pixel": { dir: ["extensions", "web-pixel", "dist"], files: ["main.js"] },
  "theme-widgets": { dir: ["extensions", "theme-widgets", "assets"], files: null },
  storefront: { dir: ["build", "demo-storefront"], files: ["pixel-runtime.js", "storefront.js"] },
};

/** Resolves `<bundle>/<file>` (the splat of /dev/assets/*) to a whitelisted file, or null. */
export async function resolveAsset(splat: string, root = process.cwd()): Promise<{ file: string; contentType: string } | null> {
  const parts = splat.split("/");
  if (parts.length !== 2) return null;
  const [bundleName, fileName] = parts as [string, string];
  if (!Object.prototype.hasOwnProperty.call(BUNDLES, bundleName)) return null;
  const bundle = BUNDLES[bundleName]!;
  const contentType = CONTENT_TYPES[path.extname(fileName).toLowerCase()];
  if (!contentType) return null;
  const dir = path.join(root, ...bundle.dir);
  let listed: string[];
  try {
    listed = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return null;
  }
  const allowed = bundle.files ? listed.filter((name) => bundle.files!.includes(name)) : listed;
  const name = allowed.find((candidate) => candidate === fileName);
  if (!name) return null;
  return { file: path.join(dir, name), contentType };
}

export async function readAsset(splat: string, root = process.cwd()): Promise<ServedAsset | null> {
  const resolved = await resolveAsset(splat, root);
  if (!resolved) return null;
  try {
    return { ...resolved, body: await readFile(resolved.file) };
  } catch {
    return null;
  }
}
