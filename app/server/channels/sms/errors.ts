// How an SMS send failed decides what the outbox does next:
// - permanent: retrying cannot help (no consent, invalid number, recipient opted out
//   at the carrier, SMS not set up for the shop). Mark failed/suppressed.
// - temporary: retry later (rate limit, provider outage, quiet hours with retryAt).
//   With outcomeUnknown the request may have reached the provider (timeout after
//   sending): do not blindly re-send; the schema's "unknown" status exists for this.
export class SmsSendError extends Error {
  readonly permanent: boolean;
  /** Our reason (no_consent, quiet_hours, ...) or the provider's error code. */
  readonly code: string;
  readonly outcomeUnknown: boolean;
  /** Earliest sensible retry, when known (quiet hours end, Retry-After). */
  readonly retryAt: Date | null;

  constructor(message: string, o: { permanent: boolean; code: string; outcomeUnknown?: boolean; retryAt?: Date | null }) {
    super(message);
    this.name = new.target.name;
    this.permanent = o.permanent;
    this.code = o.code;
    this.outcomeUnknown = o.outcomeUnknown ?? false;
    this.retryAt = o.retryAt ?? null;
  }
}

export class PermanentSmsError extends SmsSendError {
  constructor(message: string, code: string) {
    super(message, { permanent: true, code });
  }
}

export class TemporarySmsError extends SmsSendError {
  constructor(message: string, code: string, o: { outcomeUnknown?: boolean; retryAt?: Date | null } = {}) {
    super(message, { permanent: false, code, ...o });
  }
}
