import crypto from "node:crypto";

// The demo's rows take ids made from what they are, not random cuids: holdout
// membership and A/B variants are hashes of the shop's and the customer's ids, so the
// demo's shop, customers and history shoppers keep their groups from one start (and
// one test run) to the next. Shaped like a cuid: "c" and 24 lower-case characters.
export function demoId(...key: (string | number | bigint | null)[]): string {
  const digest = crypto
    .createHash("sha256")
    .update(key.map((k) => String(k)).join("\u0000"))
    .digest("hex");
  return `c${digest.slice(0, 24)}`;
}
