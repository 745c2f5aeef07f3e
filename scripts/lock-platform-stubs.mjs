// The registry this project's machines reach serves only the platform binaries of
// this kind of machine (linux), so npm leaves other platforms' optional packages
// (@rollup/rollup-darwin-arm64, @esbuild/win32-x64, ...) out of package-lock.json,
// and `npm ci` then refuses the lock as "out of sync". This adds a lock entry for
// each missing optional platform package, marked with the os/cpu its name declares,
// so `npm ci` sees the lock complete and skips them as not for this platform.
// Run after `npm install` changes the lock: node scripts/lock-platform-stubs.mjs
import fs from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const pkgs = lock.packages;
const OS = ["android", "darwin", "freebsd", "linux", "win32", "openbsd", "netbsd", "sunos", "aix", "openharmony", "cygwin"];
const CPU = ["arm64", "arm", "x64", "ia32", "ppc64", "riscv64", "s390x", "loong64", "mips64el", "loongarch64", "wasm32"];

function present(from, name) {
  // Node resolution: the nearest node_modules up the tree from the dependent.
  let dir = from;
  for (;;) {
    if (pkgs[`${dir ? dir + "/" : ""}node_modules/${name}`]) return true;
    if (!dir) return false;
    const i = dir.lastIndexOf("/node_modules/");
    dir = i === -1 ? "" : dir.slice(0, i);
  }
}

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.find((p) => OS.includes(p)) ?? (parts.includes("win") ? "win32" : null);
  const cpu = parts.find((p) => CPU.includes(p)) ?? (parts.includes("wasm") ? "wasm32" : null);
  return { os, cpu };
}

let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    if (present(path, name)) continue;
    const { os, cpu } = platformOf(name);
    if (!os && !cpu) continue; // not a platform package: leave it to npm
    const key = `node_modules/${name}`;
    if (pkgs[key]) continue;
    pkgs[key] = {
      version: String(spec).replace(/^[\^~=]/, ""),
      ...(meta.dev ? { dev: true } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`lock-platform-stubs: added ${added} platform entries`);
