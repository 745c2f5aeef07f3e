// Settings -> Sending, "Bounces and complaints": the shop's feedback address card
// (app/components/sending/FeedbackAddressCard.tsx). Spread into en.ts and pl.ts.

export const feedbackAddressEn = {
  "feedbackAddress.title": "Bounces and complaints",
  "feedbackAddress.help":
    "When mail bounces or a customer marks it as spam, your email provider can tell Flowmate, which then stops mailing that address. Point your provider's bounce and complaint forwarding at this address (an inbound-mail webhook that posts the raw message), or pipe the mailbox that receives them into it.",
  "feedbackAddress.appProvider":
    "You send through Flowmate's own provider now: its bounces and complaints already reach the app. This address is for when you use your own provider.",
  "feedbackAddress.label": "Feedback address",
  "feedbackAddress.secret": "Keep it private: whoever has it can report bounces and complaints about your messages.",
  "feedbackAddress.copy": "Copy",
  "feedbackAddress.copied": "Copied",
  "feedbackAddress.copyFailed": "Copying is blocked here: select the address and copy it yourself.",
  "feedbackAddress.lastReport": "Last report received: {when}, {kind}.",
  "feedbackAddress.kind.complaint": "spam complaint",
  "feedbackAddress.kind.bounce": "bounce",
  "feedbackAddress.noReport":
    "No report received yet. Once your provider forwards a bounce or complaint about one of your messages, it shows here.",
  "feedbackAddress.rotate": "New address",
  "feedbackAddress.confirmTitle": "Replace the feedback address?",
  "feedbackAddress.confirmBody":
    "Do this if the address leaked. The current address stops working at once: reports sent to it are refused. Give your provider the new address right after.",
  "feedbackAddress.confirm": "Replace address",
  "feedbackAddress.cancel": "Cancel",
  "feedbackAddress.rotated": "New address made. Give it to your provider now: the old one is refused.",
  "feedbackAddress.failed": "The address was not replaced. Try again.",
  "audit.action.settings.feedback_address_replaced": "Feedback address replaced",
  "audit.field.generation": "Address number",
  "audit.field.address": "Address",
};

export const feedbackAddressPl: Record<keyof typeof feedbackAddressEn, string> = {
  "feedbackAddress.title": "Odbicia i skargi",
  "feedbackAddress.help":
    "Gdy wiadomość zostanie odbita albo klient oznaczy ją jako spam, dostawca poczty może powiadomić o tym Flowmate, który przestanie wysyłać na ten adres. Skieruj na ten adres przekazywanie odbić i skarg u dostawcy (webhook poczty przychodzącej, który przesyła surową wiadomość) albo przekieruj do niego skrzynkę, która je odbiera.",
  "feedbackAddress.appProvider":
    "Teraz wysyłasz przez dostawcę Flowmate: jego odbicia i skargi już trafiają do aplikacji. Ten adres przyda się, gdy użyjesz własnego dostawcy.",
  "feedbackAddress.label": "Adres do zgłoszeń",
  "feedbackAddress.secret": "Nie udostępniaj go: każdy, kto go zna, może zgłaszać odbicia i skargi dotyczące Twoich wiadomości.",
  "feedbackAddress.copy": "Kopiuj",
  "feedbackAddress.copied": "Skopiowano",
  "feedbackAddress.copyFailed": "Kopiowanie jest tu zablokowane: zaznacz adres i skopiuj go samodzielnie.",
  "feedbackAddress.lastReport": "Ostatnie zgłoszenie: {when}, {kind}.",
  "feedbackAddress.kind.complaint": "skarga na spam",
  "feedbackAddress.kind.bounce": "odbicie",
  "feedbackAddress.noReport":
    "Nie otrzymano jeszcze żadnego zgłoszenia. Gdy dostawca przekaże odbicie lub skargę dotyczącą jednej z Twoich wiadomości, pojawi się tutaj.",
  "feedbackAddress.rotate": "Nowy adres",
  "feedbackAddress.confirmTitle": "Zastąpić adres do zgłoszeń?",
  "feedbackAddress.confirmBody":
    "Zrób to, jeśli adres wyciekł. Obecny adres od razu przestanie działać: wysłane na niego zgłoszenia zostaną odrzucone. Zaraz potem podaj dostawcy nowy adres.",
  "feedbackAddress.confirm": "Zastąp adres",
  "feedbackAddress.cancel": "Anuluj",
  "feedbackAddress.rotated": "Utworzono nowy adres. Podaj go teraz dostawcy: stary jest odrzucany.",
  "feedbackAddress.failed": "Adres nie został zastąpiony. Spróbuj ponownie.",
  "audit.action.settings.feedback_address_replaced": "Zastąpiono adres do zgłoszeń",
  "audit.field.generation": "Numer adresu",
  "audit.field.address": "Adres",
};
