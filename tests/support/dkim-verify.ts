import crypto from "node:crypto";

// A DKIM verifier for tests (RFC 6376, rsa-sha256, relaxed/relaxed as nodemailer signs),
// with node:crypto only: the body hash (bh=) and the signature (b=) over the signed headers.

export interface DkimResult {
  domain: string;
  selector: string;
  bodyHashOk: boolean;
  signatureOk: boolean;
  signedHeaders: string[];
}

function splitMessage(raw: Buffer): { headers: string[]; body: string } {
  const text = raw.toString("binary");
  const end = text.indexOf("\r\n\r\n");
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? "" : text.slice(end + 4);
  // Unfolded lines keep their CRLF+WSP continuations inside: one entry per header field.
  const headers = head.split(/\r\n(?![ \t])/);
  return { headers, body };
}

function relaxedBody(body: string): string {
  const lines = body.split("\r\n").map((l) => l.replace(/[ \t]+/g, " ").replace(/ $/, ""));
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  return lines.length === 0 ? "" : `${lines.join("\r\n")}\r\n`;
}

function relaxedHeader(field: string): string {
  const i = field.indexOf(":");
  const name = field.slice(0, i).trim().toLowerCase();
  const value = field
    .slice(i + 1)
    .replace(/\r\n/g, "")
    .replace(/[ \t]+/g, " ")
    .trim();
  return `${name}:${value}`;
}

function tags(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).replace(/\s+/g, "");
  }
  return out;
}

export function verifyDkim(raw: Buffer, publicKeyPem: string): DkimResult {
  const { headers, body } = splitMessage(raw);
  const sigField = headers.find((h) => /^dkim-signature:/i.test(h));
  if (!sigField) throw new Error("no DKIM-Signature header");
  const t = tags(sigField.slice(sigField.indexOf(":") + 1));
  if (t.a !== "rsa-sha256") throw new Error(`unexpected algorithm ${t.a}`);
  if ((t.c ?? "simple/simple") !== "relaxed/relaxed") throw new Error(`unexpected canonicalization ${t.c}`);
  const bodyHashOk = crypto.createHash("sha256").update(relaxedBody(body), "binary").digest("base64") === t.bh;

  const signedHeaders = t.h!.split(":").map((h) => h.trim().toLowerCase());
  const used = new Set<number>();
  const lines: string[] = [];
  for (const name of signedHeaders) {
    // The last instance not yet used (RFC 6376 5.4.2); a missing header signs as nothing.
    for (let i = headers.length - 1; i >= 0; i--) {
      if (used.has(i) || headers[i]!.slice(0, headers[i]!.indexOf(":")).trim().toLowerCase() !== name) continue;
      used.add(i);
      lines.push(relaxedHeader(headers[i]!));
      break;
    }
  }
  const unsigned = relaxedHeader(sigField).replace(/(^|;)(\s*b=)[^;]*/, "$1$2");
  const data = [...lines, unsigned].join("\r\n");
  const signatureOk = crypto.verify("sha256", Buffer.from(data, "binary"), publicKeyPem, Buffer.from(t.b!, "base64"));
  return { domain: t.d!, selector: t.s!, bodyHashOk, signatureOk, signedHeaders };
}
