import { describe, expect, it } from "vitest";
import { machineClickSignal, machineOpenSignal } from "~/domain/messages/engagement";
import { retryDelayMs } from "~/domain/messages/outbox-policy";
import { outboxSkipReason } from "~/domain/messages/send-eligibility";
import { classifySmtpFailure } from "~/domain/messages/smtp-outcome";
import { withUtm } from "~/domain/messages/utm";

describe("classifySmtpFailure", () => {
  it.each([
    [{ responseCode: 451, command: "RCPT TO" }, false, "transient"],
    [{ responseCode: 421, command: "DATA" }, true, "transient"],
    [{ responseCode: 503, command: "DATA" }, true, "transient"],
    [{ responseCode: 550, command: "RCPT TO" }, false, "hard_bounce"],
    [{ responseCode: 553, command: "RCPT TO" }, false, "hard_bounce"],
    [{ responseCode: 554, command: "DATA" }, true, "permanent"],
    [{ responseCode: 550, command: "MAIL FROM" }, false, "permanent"],
    [{ code: "ESOCKET", originalCode: "ECONNREFUSED", command: "CONN" }, false, "transient"],
    [{ code: "EAUTH", command: "AUTH PLAIN" }, false, "transient"],
    [{ code: "ETIMEDOUT", message: "Greeting never received", command: "CONN" }, false, "transient"],
    [{ code: "ECONNECTION", message: "Connection closed unexpectedly", command: "CONN" }, false, "transient"],
    [{ code: "ECONNECTION", message: "Connection closed unexpectedly", command: "CONN" }, true, "unknown"],
    [{ code: "ETIMEDOUT", message: "Timeout", command: "CONN" }, true, "unknown"],
    [{ code: "EENVELOPE", message: "Invalid recipient" }, false, "permanent"],
  ] as const)("%j (body started: %s) is %s", (err, bodyStarted, kind) => {
    expect(classifySmtpFailure(err, bodyStarted).kind).toBe(kind);
  });
});

describe("machine opens and clicks", () => {
  const sentAt = new Date("2026-11-01T10:00:00Z");
  const later = new Date("2026-11-01T10:05:00Z");
  const probe = (userAgent: string | null, at = later, method = "GET") => ({ userAgent, method, sentAt, at });

  it("spots Apple Mail Privacy Protection, image proxies, scanners, empty agents and instant opens", () => {
    expect(machineOpenSignal(probe("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"))).toBe(
      "apple_mail_privacy_proxy",
    );
    expect(
      machineOpenSignal(
        probe("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"),
      ),
    ).toBe("apple_mail_privacy_proxy");
    expect(machineOpenSignal(probe("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"))).toBe(
      "bot_user_agent",
    );
    expect(machineOpenSignal(probe("YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html"))).toBe("bot_user_agent");
    expect(machineOpenSignal(probe(""))).toBe("no_user_agent");
    expect(
      machineOpenSignal(
        probe("Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)", new Date(sentAt.getTime() + 1500)),
      ),
    ).toBe("too_soon_after_send");
    expect(machineOpenSignal(probe("Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)"))).toBeNull();
  });

  it("treats a browser click as human and a scanner's HEAD or bot click as machine", () => {
    const chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect(machineClickSignal(probe(chrome))).toBeNull();
    expect(machineClickSignal(probe(chrome, later, "HEAD"))).toBe("head_request");
    expect(machineClickSignal(probe("Barracuda Sentinel (EE)"))).toBe("bot_user_agent");
  });
});

describe("withUtm", () => {
  it("adds ours, keeps other parameters and replaces older utm values", () => {
    const url = new URL(
      withUtm("https://shop.example.com/cart?x=1&utm_source=newsletter#top", { campaign: "welcome", content: "welcome_1" }),
    );
    expect(url.searchParams.get("x")).toBe("1");
    expect(url.searchParams.get("utm_source")).toBe("flowmate");
    expect(url.searchParams.get("utm_medium")).toBe("email");
    expect(url.searchParams.get("utm_campaign")).toBe("welcome");
    expect(url.searchParams.get("utm_content")).toBe("welcome_1");
    expect(url.hash).toBe("#top");
  });
});

describe("outbox policy", () => {
  it("backs off exponentially up to an hour", () => {
    expect([1, 2, 3, 4, 5, 10].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000, 960_000, 3_600_000]);
  });

  it("skips an uninstalled shop, and marketing to an address the customer replaced", () => {
    const base = { channel: "email", purpose: "marketing", toAddress: "old@example.com", shop: { installState: "installed" } };
    expect(outboxSkipReason({ ...base, customer: { email: "old@example.com", phone: null } })).toBeNull();
    expect(outboxSkipReason({ ...base, toAddress: "Old@Example.com ", customer: { email: "old@example.com", phone: null } })).toBeNull();
    expect(outboxSkipReason({ ...base, customer: { email: "new@example.com", phone: null } })).toBe("address_changed");
    expect(outboxSkipReason({ ...base, purpose: "transactional", customer: { email: "new@example.com", phone: null } })).toBeNull();
    expect(outboxSkipReason({ ...base, shop: { installState: "uninstalled" }, customer: null })).toBe("shop_not_installed");
  });
});
