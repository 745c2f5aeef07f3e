// The flow page's channel switch of a send step (email <-> SMS) and the timeline's
// channel badges. Spread into the EN and PL admin dictionaries (en.ts, pl.ts).

export const flowChannelEn = {
  "flowChannel.field.channel": "Channel",
  "flowChannel.field.channelHelp":
    "SMS starts from a short text in English and Polish: edit it with Edit message after saving. Back to email restores the email it had. Entry consent follows the channels.",
  "flowChannel.option.email": "Email",
  "flowChannel.option.sms": "SMS",
  "flowChannel.badge.email": "Email",
  "flowChannel.badge.sms": "SMS",
  "flowChannel.badgeLabel": "Channel: {channel}",
  "flowChannel.diff.noConsent": "{name}: without consent",
  "flowChannel.noConsent.skip": "skip the message",
  "flowChannel.noConsent.exit": "end the flow",
} as const;

export const flowChannelPl: Record<keyof typeof flowChannelEn, string> = {
  "flowChannel.field.channel": "Kanał",
  "flowChannel.field.channelHelp":
    "SMS zaczyna od krótkiego tekstu po angielsku i po polsku: po zapisaniu zmień go przez Edytuj wiadomość. Powrót do e-maila przywraca poprzedni e-mail. Wymagana zgoda przy wejściu dostosowuje się do kanałów.",
  "flowChannel.option.email": "E-mail",
  "flowChannel.option.sms": "SMS",
  "flowChannel.badge.email": "E-mail",
  "flowChannel.badge.sms": "SMS",
  "flowChannel.badgeLabel": "Kanał: {channel}",
  "flowChannel.diff.noConsent": "{name}: bez zgody",
  "flowChannel.noConsent.skip": "pomiń wiadomość",
  "flowChannel.noConsent.exit": "zakończ przepływ",
};
