// Shopper-facing strings for the onsite widgets. English is the fallback; any
// locale starting with "pl" (pl, pl-PL) gets Polish. `{shop}` is the store name.
// Messages are keyed by a const enum so the bundle carries numbers, not key names
// (the JS budget is 20 KB); Record<M, string> makes both tables complete.

export const enum M {
  title,
  body,
  email,
  phone,
  emailConsent,
  smsConsent,
  privacyLink,
  submit,
  submitting,
  close,
  errEmailRequired,
  errEmailInvalid,
  errPhoneInvalid,
  errSmsNeedsPhone,
  errGeneric,
  errNetwork,
  successTitle,
  successBody,
  pendingTitle,
  pendingBody,
  continueShopping,
}

export type Strings = Record<M, string>;

const en: Strings = {
  [M.title]: "Join our newsletter",
  [M.body]: "Be the first to hear about new arrivals and exclusive offers.",
  [M.email]: "Email",
  [M.phone]: "Phone number (optional)",
  [M.emailConsent]: "Yes, I want to receive marketing emails from {shop}. I can unsubscribe at any time.",
  [M.smsConsent]:
    "Yes, I want to receive recurring automated marketing text messages from {shop} at the number provided. Consent is not a condition of purchase. Msg frequency varies. Msg & data rates may apply. Reply STOP to unsubscribe, HELP for help.",
  [M.privacyLink]: "Privacy policy",
  [M.submit]: "Subscribe",
  [M.submitting]: "Subscribing…",
  [M.close]: "Close",
  [M.errEmailRequired]: "Enter your email address.",
  [M.errEmailInvalid]: "Enter a valid email address, like name@example.com.",
  [M.errPhoneInvalid]: "Enter a valid phone number, e.g. +44 7700 900123.",
  [M.errSmsNeedsPhone]: "Enter your phone number to get text messages.",
  [M.errGeneric]: "Something went wrong. Please try again.",
  [M.errNetwork]: "Connection problem. Please try again.",
  [M.successTitle]: "You're subscribed!",
  [M.successBody]: "Thanks for joining. Look out for our next update in your inbox.",
  [M.pendingTitle]: "Check your inbox",
  [M.pendingBody]: "We've sent you an email. Click the link inside to confirm your subscription.",
  [M.continueShopping]: "Continue shopping",
};

const pl: Strings = {
  [M.title]: "Zapisz się do newslettera",
  [M.body]: "Bądź na bieżąco z nowościami i ofertami specjalnymi.",
  [M.email]: "Adres e-mail",
  [M.phone]: "Numer telefonu (opcjonalnie)",
  [M.emailConsent]:
    "Tak, chcę otrzymywać od {shop} informacje handlowe (newsletter) na podany adres e-mail. Zgodę mogę wycofać w każdej chwili.",
  [M.smsConsent]:
    "Tak, chcę otrzymywać od {shop} automatyczne wiadomości marketingowe SMS na podany numer telefonu. Zgoda nie jest warunkiem zakupu. Mogą obowiązywać opłaty operatora. Zgodę mogę wycofać w każdej chwili, odpowiadając STOP.",
  [M.privacyLink]: "Polityka prywatności",
  [M.submit]: "Zapisz się",
  [M.submitting]: "Zapisywanie…",
  [M.close]: "Zamknij",
  [M.errEmailRequired]: "Podaj adres e-mail.",
  [M.errEmailInvalid]: "Podaj prawidłowy adres e-mail, np. jan@przyklad.pl.",
  [M.errPhoneInvalid]: "Podaj prawidłowy numer telefonu, np. +48 512 345 678.",
  [M.errSmsNeedsPhone]: "Podaj numer telefonu, aby otrzymywać SMS-y.",
  [M.errGeneric]: "Coś poszło nie tak. Spróbuj ponownie.",
  [M.errNetwork]: "Problem z połączeniem. Spróbuj ponownie.",
  [M.successTitle]: "Dziękujemy za zapis!",
  [M.successBody]: "Wkrótce otrzymasz od nas pierwsze wiadomości.",
  [M.pendingTitle]: "Sprawdź skrzynkę odbiorczą",
  [M.pendingBody]: "Wysłaliśmy Ci e-mail. Kliknij link w wiadomości, aby potwierdzić zapis.",
  [M.continueShopping]: "Wróć do zakupów",
};

/** "pl", "pl-PL", "PL" -> Polish; anything else (including empty) -> English. */
export function stringsFor(locale: string | null | undefined): Strings {
  return /^pl/i.test(locale || "") ? pl : en;
}

export function fill(template: string, shop: string): string {
  return template.replace("{shop}", shop);
}
