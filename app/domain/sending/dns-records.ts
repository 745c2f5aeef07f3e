// The DNS records a shop publishes so that mailbox providers accept its mail as its own.

export interface DnsRecord {
  kind: "dkim" | "spf" | "dmarc";
  name: string;
  type: "TXT";
  value: string;
}

/** The public key (SPKI PEM) as the p= of a DKIM record: base64 without armour. */
export function dkimPublicKeyValue(publicKeyPem: string): string {
  return publicKeyPem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "").replace(/\s+/g, "");
}

export function sendingDnsRecords(opts: { domain: string; selector: string; publicKeyPem: string; spfInclude: string }): DnsRecord[] {
  return [
    {
      kind: "dkim",
      name: `${opts.selector}._domainkey.${opts.domain}`,
      type: "TXT",
      value: `v=DKIM1; k=rsa; p=${dkimPublicKeyValue(opts.publicKeyPem)}`,
    },
    { kind: "spf", name: opts.domain, type: "TXT", value: `v=spf1 include:${opts.spfInclude} ~all` },
    { kind: "dmarc", name: `_dmarc.${opts.domain}`, type: "TXT", value: `v=DMARC1; p=none; rua=mailto:dmarc@${opts.domain}` },
  ];
}

export type RecordStatus = "found" | "missing" | "mismatch" | "unchecked";

/**
 * What the published TXT strings say about a record: DKIM must carry our key, SPF our
 * include, DMARC any policy. `published` null: DNS could not be asked.
 */
export function recordStatus(record: DnsRecord, published: string[] | null): RecordStatus {
  if (published === null) return "unchecked";
  if (published.length === 0) return "missing";
  const norm = (s: string) => s.replace(/\s+/g, "");
  switch (record.kind) {
    case "dkim": {
      const want = /p=([^;]+)/.exec(norm(record.value))?.[1];
      return published.some((p) => /p=([^;]+)/.exec(norm(p))?.[1] === want) ? "found" : "mismatch";
    }
    case "spf": {
      const spf = published.filter((p) => p.trim().toLowerCase().startsWith("v=spf1"));
      if (spf.length === 0) return "missing";
      const include = /include:(\S+)/.exec(record.value)?.[1] ?? "";
      return spf.some((p) => p.toLowerCase().split(/\s+/).includes(`include:${include.toLowerCase()}`)) ? "found" : "mismatch";
    }
    case "dmarc":
      return published.some((p) => p.trim().toUpperCase().startsWith("V=DMARC1")) ? "found" : "missing";
  }
}
