// Paired A/B of the pixel endpoint between checkouts of this repository, for telling
// whether a change to the ingestion path helps: this VM's speed drifts by a factor of
// two within minutes, so one run against another proves nothing, and even the paired
// ratio of one round moves by ±20%. Every variant runs as its own production server
// (the plain node:http endpoint optionally too) against one PostgreSQL; each round
// drives every variant for a few seconds in turn, alternating the order, and the
// report is the median per-round ratio to the first variant, with each variant's
// server CPU per request read from /proc.
//
//   npm run bench:ab -- before=../other-checkout after=. plain
//   AB_ROUNDS=12 AB_SECONDS=3 AB_RATE=3000 AB_CONNECTIONS=32 npm run bench:ab -- ...
//
// A checkout needs node_modules and build/ (symlinks to this one's will do). AB_RATE
// fixes the request rate (open loop) so CPU per request compares at equal load.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { benchAppEnv, databaseWithShop, pixelBodies } from "./support/pixel-load";
import { startPostgres } from "./support/postgres";
import { median, note } from "./support/report";

const SHOP = "bench-shop.myshopify.com";
const ROUNDS = Number(process.env.AB_ROUNDS ?? 10);
const SECONDS = Number(process.env.AB_SECONDS ?? 3);
const RATE = Number(process.env.AB_RATE ?? 0);
const CONNECTIONS = Number(process.env.AB_CONNECTIONS ?? 32);

interface Variant {
  name: string;
  /** The checkout to run server.ts from; null for the plain endpoint. */
  dir: string | null;
}
const variants: Variant[] = process.argv.slice(2).map((arg) => {
  if (arg === "plain") return { name: "plain", dir: null };
  const [name, dir] = arg.split("=");
  if (!name || !dir) throw new Error(`expected name=checkout-dir or plain, got ${arg}`);
  return { name, dir: path.resolve(dir) };
});
if (variants.length < 2) {
  console.error("usage: npm run bench:ab -- name=checkout-dir name=checkout-dir [plain]");
  process.exit(2);
}

const cpuTicks = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
};

const pg = await startPostgres();
const children: ChildProcess[] = [];
try {
  const { target, database } = await databaseWithShop(pg, "ab", SHOP, 2);
  const servers = await Promise.all(
    variants.map(async (v, i) => {
      const port = 39_900 + i;
      const script = v.dir ? "server.ts" : path.resolve("bench/support/plain-endpoint.ts");
      const child = spawn(path.resolve("node_modules/.bin/node"), ["--import", "tsx", script], {
        cwd: v.dir ?? process.cwd(),
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, ...benchAppEnv(port, target.url, "ab-secret") },
      });
      children.push(child);
      for (let k = 0; k < 600 && child.exitCode === null; k++) {
        if (
          await fetch(`http://127.0.0.1:${port}/`).then(
            () => true,
            () => false,
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return { ...v, port, pid: child.pid! };
    }),
  );
  const body = pixelBodies(SHOP, 10);
  const load = (port: number, seconds: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}/api/pixel/events`,
      connections: CONNECTIONS,
      duration: seconds,
      ...(RATE ? { overallRate: RATE } : {}),
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", origin: `https://${SHOP}` },
      requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: body() }) }],
    });
  for (const s of servers) await load(s.port, 3);
  const rates = servers.map(() => [] as number[]);
  const cpu = servers.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    const order = servers.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) {
      const before = cpuTicks(servers[i]!.pid);
      const r = await load(servers[i]!.port, SECONDS);
      if (r.non2xx || r.errors) throw new Error(`${servers[i]!.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
      rates[i]!.push(r["2xx"] / SECONDS);
      // /proc ticks are 10 ms.
      cpu[i]!.push(((cpuTicks(servers[i]!.pid) - before) * 10_000) / r["2xx"]);
    }
    note(`round ${round + 1}: ${servers.map((s, i) => `${s.name} ${Math.round(rates[i]!.at(-1)!)}/s`).join(", ")}`);
  }
  for (const [i, s] of servers.entries()) {
    const ratios = rates[i]!.map((x, k) => x / rates[0]![k]!);
    console.log(
      `${s.name.padEnd(12)} ${Math.round(median(rates[i]!))} requests/s, ${median(cpu[i]!).toFixed(1)} µs CPU per request; ` +
        `vs ${servers[0]!.name}: median ratio ${median(ratios).toFixed(3)} (rounds ${ratios.map((x) => x.toFixed(2)).join(" ")})`,
    );
  }
  await database.close();
  await target.drop().catch(() => undefined);
} finally {
  for (const c of children) c.kill("SIGKILL");
  await pg.stop();
}
