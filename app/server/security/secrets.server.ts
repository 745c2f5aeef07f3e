import crypto from "node:crypto";
import { DEMO_SECRETS_KEY, envDerived, isDemoEnabled } from "../config.server";

// A shop's provider credentials and DKIM key at rest: AES-256-GCM under
// FLOWMATE_SECRETS_KEY. A blob is "v1.<iv>.<tag>.<ciphertext>" (base64url), bound to its
// shop and field by the associated data, so a blob copied into another shop's row or
// another column does not decrypt.

export class SecretsKeyMissing extends Error {
  override name = "SecretsKeyMissing";
  constructor() {
    super("FLOWMATE_SECRETS_KEY is not set: secrets cannot be stored or read (openssl rand -base64 32)");
  }
}

const secretsKey = envDerived(["FLOWMATE_SECRETS_KEY"], (env) => {
  const b64 = env.FLOWMATE_SECRETS_KEY ?? (isDemoEnabled() ? DEMO_SECRETS_KEY : undefined);
  return b64 ? Buffer.from(b64, "base64") : null;
});

export function secretsAvailable(): boolean {
  return secretsKey() !== null;
}

function key(): Buffer {
  const k = secretsKey();
  if (!k) throw new SecretsKeyMissing();
  return k;
}

/** `context` names what the secret is for (shop id and field); decrypting needs the same. */
export function encryptSecret(plain: string, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(context));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function decryptSecret(blob: string, context: string): string {
  const [version, iv, tag, data] = blob.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("not a secret blob");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
