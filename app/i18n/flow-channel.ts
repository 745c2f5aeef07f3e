// The flow page's channel switch of a send step (email <-> SMS) and the timeline's
// channel badges. Spread into the EN and PL admin dictionaries (en.ts, pl.ts).

export const flowChannelEn = {
  "flowChannel.field.channel": "Channel ({name})",
  "flowChannel.help.toSms":
    "Saved as an SMS with a short text in English and Polish: edit it with Edit message. Entry consent follows the channels.",
  "flowChannel.help.toEmail": "Gets back the email it had before. Entry consent follows the channels.",
  "flowChannel.option.email": "Email",
  "flowChannel.option.sms": "SMS",
  "flowChannel.badge.email": "Email",
  "flowChannel.badge.sms": "SMS",
  "flowChannel.badgeLabel": "Channel: {channel}",
  "flowChannel.diff.noConsent": "{name}: without consent",
  "flowChannel.noConsent.skip": "skip the message",
  "flowChannel.noConsent.exit": "end the flow",
  "flowChannel.cost.title": "This flow is on: a message becomes an SMS",
  "flowChannel.cost.body": "Nothing is saved yet. Check what the texts will cost, then confirm to save.",
  "flowChannel.cost.confirm": "Confirm the SMS cost and save",
  "flowChannel.error.abTest": "End this message's A/B test before switching its channel.",
  "flowChannel.error.consentSms": "The flow's messages are SMS only: entry needs SMS consent.",
  "flowChannel.error.consentEmail": "The flow's messages are emails only: entry needs email consent.",
} as const;

export const flowChannelPl: Record<keyof typeof flowChannelEn, string> = {
  "flowChannel.field.channel": "Kanał ({name})",
  "flowChannel.help.toSms":
    "Zostanie zapisany jako SMS z krótkim tekstem po angielsku i po polsku: zmień go przez Edytuj wiadomość. Wymagana zgoda przy wejściu dostosuje się do kanałów.",
  "flowChannel.help.toEmail": "Wróci e-mail, który był tu wcześniej. Wymagana zgoda przy wejściu dostosuje się do kanałów.",
  "flowChannel.option.email": "E-mail",
  "flowChannel.option.sms": "SMS",
  "flowChannel.badge.email": "E-mail",
  "flowChannel.badge.sms": "SMS",
  "flowChannel.badgeLabel": "Kanał: {channel}",
  "flowChannel.diff.noConsent": "{name}: bez zgody",
  "flowChannel.noConsent.skip": "pomiń wiadomość",
  "flowChannel.noConsent.exit": "zakończ przepływ",
  "flowChannel.cost.title": "Ten przepływ jest włączony: wiadomość stanie się SMS-em",
  "flowChannel.cost.body": "Nic jeszcze nie zapisano. Sprawdź, ile będą kosztować SMS-y, i potwierdź, aby zapisać.",
  "flowChannel.cost.confirm": "Potwierdź koszt SMS-ów i zapisz",
  "flowChannel.error.abTest": "Zakończ test A/B tej wiadomości, zanim zmienisz jej kanał.",
  "flowChannel.error.consentSms": "Wiadomości tego przepływu to wyłącznie SMS-y: wejście wymaga zgody na SMS.",
  "flowChannel.error.consentEmail": "Wiadomości tego przepływu to wyłącznie e-maile: wejście wymaga zgody na e-mail.",
};
