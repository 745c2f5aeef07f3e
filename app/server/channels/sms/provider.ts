// The seam between the outbox and an SMS gateway. One implementation today
// (Twilio's Messages API, which several gateways also speak); tests and other
// providers plug in behind the same two methods.

export interface SmsSendRequest {
  /** E.164. */
  to: string;
  body: string;
  /** A sender number (E.164) or alphanumeric sender id... */
  from?: string;
  /** ...or a messaging service that picks the sender. One of the two is required. */
  messagingServiceSid?: string;
  /** Delivery status webhook. */
  statusCallback?: string;
}

export interface SmsSendResult {
  providerId: string;
  /** The provider's status at acceptance (Twilio: queued | accepted | sending | sent...). */
  status: string;
  segments: number | null;
}

export interface SmsProvider {
  readonly name: string;
  /** Throws SmsSendError (PermanentSmsError | TemporarySmsError) on failure. */
  send(request: SmsSendRequest): Promise<SmsSendResult>;
}
