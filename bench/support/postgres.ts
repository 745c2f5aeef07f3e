import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * A PostgreSQL server for one benchmark process: BENCH_DATABASE_URL if set,
 * otherwise a private throwaway cluster in a temp dir (same recipe as
 * scripts/pg-throwaway.sh, but never touching .cache/pg), removed by stop().
 */
export interface PostgresServer {
  /** postgres://... of the server's maintenance database. */
  url: string;
  describe: string;
  /** Creates an empty database on the server; drop() removes it. */
  createDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }>;
  /** The database of that name, kept for the next run; made anew when missing or when `reusable` says no. */
  keptDatabase(name: string, reusable: (url: string) => Promise<boolean>): Promise<{ url: string; drop?: undefined }>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const existing = process.env.BENCH_DATABASE_URL;
  if (existing) return serverAt(existing, `PostgreSQL (BENCH_DATABASE_URL ${new URL(existing).host})`, () => {});
  return startPrivateCluster();
}

async function startPrivateCluster(): Promise<PostgresServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowmate-bench-pg-"));
  if (isRoot()) execFileSync("chown", ["postgres", dir]);
  const port = await pickPort(Number(process.env.BENCH_PG_PORT ?? 55499));
  const data = path.join(dir, "data");
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      runAsPostgres("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
    } catch {
      // never started, or already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Ctrl-C or the runner's timeout must not leave a server behind.
  const onSignal = (signal: NodeJS.Signals) => {
    stopSync();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", stopSync);
  try {
    runAsPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100 -c shared_buffers=256MB`;
    runAsPostgres("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-o", options, "start"]);
  } catch (err) {
    stopSync();
    throw new Error(`could not start a throwaway PostgreSQL (is PostgreSQL installed?): ${String(err)}`, { cause: err });
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return serverAt(url, `PostgreSQL ${serverVersion(data)} (private cluster, port ${port})`, stopSync);
}

function serverAt(url: string, describe: string, stopSync: () => void): PostgresServer {
  return {
    url,
    describe,
    createDatabase: async (prefix) => {
      const name = `${prefix.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${crypto.randomBytes(4).toString("hex")}`;
      await adminQuery(url, `CREATE DATABASE ${name}`);
      const dbUrl = new URL(url);
      dbUrl.pathname = `/${name}`;
      return {
        url: dbUrl.toString(),
        drop: () => adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      };
    },
    keptDatabase: async (name, reusable) => {
      const dbUrl = new URL(url);
      dbUrl.pathname = `/${name}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const found = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
        if (found.rowCount !== 0 && (await reusable(dbUrl.toString()))) return { url: dbUrl.toString() };
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`CREATE DATABASE ${name}`);
        return { url: dbUrl.toString() };
      } finally {
        await client.end();
      }
    },
    stop: async () => stopSync(),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** PostgreSQL refuses to run as root, so as root the tools run as the `postgres` user. */
function runAsPostgres(tool: string, args: string[]): string {
  const bin = findBinary(tool);
  if (!isRoot()) return execFileSync(bin, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const command = [bin, ...args].map(shellQuote).join(" ");
  return execFileSync("su", ["postgres", "-s", "/bin/bash", "-c", command], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function findBinary(tool: string): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, tool))) return path.join(dir, tool);
  }
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const candidate = path.join(root, version, "bin", tool);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${tool} not found on PATH or in ${root}/*/bin`);
}

function serverVersion(dataDir: string): string {
  try {
    return fs.readFileSync(path.join(dataDir, "PG_VERSION"), "utf8").trim();
  } catch {
    return "";
  }
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The preferred port if it is free, otherwise any free port. */
async function pickPort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(undefined));
      server.listen(port, "127.0.0.1", () => {
        const address = server.address();
        const chosen = typeof address === "object" && address ? address.port : undefined;
        server.close(() => resolve(chosen));
      });
    });
  const port = (await tryListen(preferred)) ?? (await tryListen(0));
  if (!port) throw new Error("no free TCP port for PostgreSQL");
  return port;
}
