import MimeNode from "nodemailer/lib/mime-node";

// Real report messages, built by nodemailer's MIME builder the way a mailbox provider
// builds them: an ARF feedback report modelled on RFC 5965 appendix B, and a DSN
// modelled on RFC 3464's examples. `original` is the raw message our SMTP server
// received (or any other raw message a test wants to report).

export async function arfReport(original: Buffer | string, opts: { feedbackType?: string; headersOnly?: boolean } = {}): Promise<Buffer> {
  const root = new MimeNode("multipart/report; report-type=feedback-report");
  root.setHeader({
    From: "<abusedesk@example.com>",
    To: "<feedback@kawa.example.com>",
    Subject: "FW: Earn money",
    "Message-ID": `<${Math.random().toString(36).slice(2)}@example.net>`,
  });
  root
    .createChild("text/plain")
    .setContent("This is an email abuse report for an email message received from IP 192.0.2.1 on Thu, 8 Mar 2005.\r\n");
  root
    .createChild("message/feedback-report")
    .setContent(
      [
        `Feedback-Type: ${opts.feedbackType ?? "abuse"}`,
        "User-Agent: SomeGenerator/1.0",
        "Version: 1",
        "Original-Mail-From: <hello@kawa.example.com>",
        "Original-Rcpt-To: <user@example.com>",
        "Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT",
        "Reporting-MTA: dns; mail.example.com",
        "Source-IP: 192.0.2.1",
        "Authentication-Results: mail.example.com; spf=pass smtp.mail=hello@kawa.example.com",
        "Reported-Domain: kawa.example.com",
        "",
      ].join("\r\n"),
    );
  if (opts.headersOnly) root.createChild("text/rfc822-headers").setContent(headersOf(original));
  else root.createChild("message/rfc822").setContent(Buffer.from(original));
  return root.build();
}

export async function dsnReport(original: Buffer | string, opts: { action?: string; status?: string } = {}): Promise<Buffer> {
  const root = new MimeNode("multipart/report; report-type=delivery-status");
  root.setHeader({
    From: "Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>",
    To: "<hello@kawa.example.com>",
    Subject: "Returned mail: User unknown",
    "Auto-Submitted": "auto-replied",
  });
  root.createChild("text/plain").setContent("   ----- The following addresses had permanent fatal errors -----\r\n<user@example.net>\r\n");
  const action = opts.action ?? "failed";
  const status = opts.status ?? "5.1.1";
  root
    .createChild("message/delivery-status")
    .setContent(
      [
        "Reporting-MTA: dns; mx.example.net",
        "Arrival-Date: Mon, 7 Dec 2026 07:00:00 +0000",
        "",
        "Final-Recipient: rfc822; user@example.net",
        `Action: ${action}`,
        `Status: ${status}`,
        "Remote-MTA: dns; mail.example.net",
        `Diagnostic-Code: smtp; ${status.startsWith("5") ? "550 5.1.1 User unknown" : "451 4.4.1 Try again later"}`,
        "Last-Attempt-Date: Mon, 7 Dec 2026 07:00:05 +0000",
        "",
      ].join("\r\n"),
    );
  root.createChild("text/rfc822-headers").setContent(headersOf(original));
  return root.build();
}

/** The header section of a raw message (what a report carrying only the headers returns). */
export function headersOf(raw: Buffer | string): string {
  const text = raw.toString();
  const end = text.search(/\r?\n\r?\n/);
  return (end < 0 ? text : text.slice(0, end)) + "\r\n";
}
