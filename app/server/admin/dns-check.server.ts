import { Resolver } from "node:dns/promises";

const TIMEOUT_MS = 1500;

function resolver(): Resolver {
  return new Resolver({ timeout: TIMEOUT_MS, tries: 1 });
}

function withTimeout<T>(p: Promise<T>): Promise<T | "timeout"> {
  const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), TIMEOUT_MS + 200).unref());
  return Promise.race([p, timer]);
}

/**
 * Can DNS answer for this domain at all? Its SOA (or "no SOA here", an answer too). An
 * unreachable resolver and a domain nobody can find look the same to us: not checkable.
 */
export async function dnsReachable(domain: string): Promise<boolean> {
  const r = resolver();
  try {
    return (await withTimeout(r.resolveSoa(domain))) !== "timeout";
  } catch (err) {
    return (err as { code?: string }).code === "ENODATA";
  } finally {
    r.cancel();
  }
}

/** The TXT strings published at `name`: [] when there are none, null when DNS did not answer. */
export async function lookupTxt(name: string): Promise<string[] | null> {
  const r = resolver();
  try {
    const answer = await withTimeout(r.resolveTxt(name));
    return answer === "timeout" ? null : answer.map((chunks) => chunks.join(""));
  } catch (err) {
    const code = (err as { code?: string }).code;
    return code === "ENOTFOUND" || code === "ENODATA" ? [] : null;
  } finally {
    r.cancel();
  }
}
