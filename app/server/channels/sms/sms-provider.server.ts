import { readSmsConfig } from "./config.server";
import type { SmsProvider } from "./provider";
import { createTwilioProvider } from "./twilio.server";

/** The configured provider, or null when SMS is not set up. Built per call: env changes (tests) apply at once. */
export function smsProvider(): SmsProvider | null {
  const config = readSmsConfig();
  if (!config) return null;
  switch (config.provider) {
    case "twilio":
      return createTwilioProvider(config);
  }
}
