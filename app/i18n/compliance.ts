import { resolveLocale, type Locale } from "./index";

// Strings for the shopper-facing compliance pages (unsubscribe, preference center,
// double opt-in), the signup endpoint's errors and SMS keyword replies. Kept apart
// from the admin dictionaries: shoppers read these, merchants never edit them.

export const complianceEn = {
  "page.manage": "Manage preferences",
  "page.footer": "{shop} sends these messages to its subscribers and customers.",
  "page.secure": "This page does not need a password: the link in your message identifies you.",

  "unsubscribe.title": "Unsubscribe",
  "unsubscribe.lead.email": "Stop marketing emails from {shop} to {address}?",
  "unsubscribe.lead.sms": "Stop marketing text messages from {shop} to {address}?",
  "unsubscribe.button": "Unsubscribe",
  "unsubscribe.note": "Order confirmations and shipping updates will still reach you.",
  "unsubscribe.alternatives": "Rather hear from us less often?",
  "unsubscribe.alternativesLead": "Keep only the topics you like, or take a break for 30 days.",
  "unsubscribe.done.title": "You are unsubscribed",
  "unsubscribe.done.email": "{address} will no longer receive marketing emails from {shop}.",
  "unsubscribe.done.sms": "{address} will no longer receive marketing text messages from {shop}.",
  "unsubscribe.done.again": "Unsubscribed by mistake?",

  "preferences.title": "Your message preferences",
  "preferences.lead": "Choose what {shop} sends to {address}.",
  "preferences.topics": "Topics you want to hear about",
  "preferences.save": "Save preferences",
  "topic.newsletter": "Newsletter",
  "topic.newsletter.hint": "Stories, guides and news from the shop.",
  "topic.offers": "Offers and discounts",
  "topic.offers.hint": "Sales, discount codes and special offers.",
  "topic.product_news": "Product news",
  "topic.product_news.hint": "New arrivals and restocks.",
  "preferences.pause.title": "Take a break",
  "preferences.pause.lead": "Pause marketing messages for 30 days instead of leaving.",
  "preferences.pause.button": "Pause for 30 days",
  "preferences.paused": "Marketing messages are paused until {date}.",
  "preferences.resume.button": "Resume now",
  "preferences.all.title": "Unsubscribe from everything",
  "preferences.all.lead": "Stop all marketing emails and text messages from {shop}.",
  "preferences.all.button": "Unsubscribe from all",
  "preferences.unsubscribed": "You are not subscribed to marketing emails from {shop}.",
  "preferences.resubscribe.button": "Subscribe again",
  "preferences.saved": "Your preferences are saved.",
  "preferences.pausedNow": "Done. You will not hear from us until {date}.",
  "preferences.resumed": "Welcome back. Marketing messages are on again.",
  "preferences.resubscribed": "You are subscribed again.",
  "preferences.unsubscribedAll": "You are unsubscribed from all marketing messages.",

  "confirm.title": "Confirm your subscription",
  "confirm.lead": "Confirm that you want marketing emails from {shop} at {address}.",
  "confirm.button": "Yes, subscribe me",
  "confirm.note": "You can unsubscribe at any time with the link at the bottom of every email.",
  "confirm.done.title": "You are subscribed!",
  "confirm.done.lead": "Thank you. Look out for our next email at {address}.",
  "confirm.email.subject": "Confirm your subscription to {shop}",

  "error.title": "This link does not work",
  "error.lead": "It may be incomplete or changed. Use the link in the most recent message from the shop, or contact the shop directly.",

  "signup.error.email": "Enter a valid email address, like name@example.com.",
  "signup.error.phone": "Enter a valid phone number, e.g. +44 7700 900123.",
  "signup.error.phoneRequired": "Enter your phone number to get text messages.",
  "signup.error.consent": "Something went wrong with the form. Please reload the page and try again.",
  "signup.error.unavailable": "Signing up is not available right now.",

  "sms.reply.stop": "{shop}: you are unsubscribed and will get no more marketing texts. Reply START to subscribe again.",
  "sms.reply.start": "{shop}: you are subscribed to marketing texts again. Reply STOP to opt out, HELP for help.",
  "sms.reply.help": "{shop}: marketing text messages. Reply STOP to opt out, START to opt back in. Msg & data rates may apply.",
} as const;

export type ComplianceKey = keyof typeof complianceEn;

export const compliancePl: Record<ComplianceKey, string> = {
  "page.manage": "Zarządzaj ustawieniami",
  "page.footer": "Te wiadomości {shop} wysyła do swoich subskrybentów i klientów.",
  "page.secure": "Ta strona nie wymaga hasła: link z wiadomości wskazuje, kim jesteś.",

  "unsubscribe.title": "Rezygnacja z subskrypcji",
  "unsubscribe.lead.email": "Przestać wysyłać e-maile marketingowe od {shop} na adres {address}?",
  "unsubscribe.lead.sms": "Przestać wysyłać SMS-y marketingowe od {shop} na numer {address}?",
  "unsubscribe.button": "Wypisz mnie",
  "unsubscribe.note": "Potwierdzenia zamówień i informacje o wysyłce nadal będą do Ciebie docierać.",
  "unsubscribe.alternatives": "Wolisz dostawać od nas mniej wiadomości?",
  "unsubscribe.alternativesLead": "Zostaw tylko interesujące Cię tematy albo zrób sobie 30 dni przerwy.",
  "unsubscribe.done.title": "Wypisano Cię z listy",
  "unsubscribe.done.email": "Adres {address} nie będzie już otrzymywać e-maili marketingowych od {shop}.",
  "unsubscribe.done.sms": "Numer {address} nie będzie już otrzymywać SMS-ów marketingowych od {shop}.",
  "unsubscribe.done.again": "Wypisanie było pomyłką?",

  "preferences.title": "Ustawienia wiadomości",
  "preferences.lead": "Wybierz, co {shop} ma wysyłać na {address}.",
  "preferences.topics": "Tematy, które Cię interesują",
  "preferences.save": "Zapisz ustawienia",
  "topic.newsletter": "Newsletter",
  "topic.newsletter.hint": "Poradniki, historie i nowości ze sklepu.",
  "topic.offers": "Oferty i rabaty",
  "topic.offers.hint": "Wyprzedaże, kody rabatowe i oferty specjalne.",
  "topic.product_news": "Nowości produktowe",
  "topic.product_news.hint": "Nowe produkty i powroty do oferty.",
  "preferences.pause.title": "Zrób sobie przerwę",
  "preferences.pause.lead": "Wstrzymaj wiadomości marketingowe na 30 dni zamiast rezygnować.",
  "preferences.pause.button": "Wstrzymaj na 30 dni",
  "preferences.paused": "Wiadomości marketingowe są wstrzymane do {date}.",
  "preferences.resume.button": "Wznów teraz",
  "preferences.all.title": "Wypisz się ze wszystkiego",
  "preferences.all.lead": "Zrezygnuj ze wszystkich e-maili i SMS-ów marketingowych od {shop}.",
  "preferences.all.button": "Wypisz mnie ze wszystkiego",
  "preferences.unsubscribed": "Nie otrzymujesz e-maili marketingowych od {shop}.",
  "preferences.resubscribe.button": "Zapisz mnie ponownie",
  "preferences.saved": "Zapisano ustawienia.",
  "preferences.pausedNow": "Gotowe. Odezwiemy się dopiero {date}.",
  "preferences.resumed": "Witamy z powrotem. Wiadomości marketingowe są znów włączone.",
  "preferences.resubscribed": "Subskrypcja została wznowiona.",
  "preferences.unsubscribedAll": "Wypisano Cię ze wszystkich wiadomości marketingowych.",

  "confirm.title": "Potwierdź zapis",
  "confirm.lead": "Potwierdź, że chcesz otrzymywać e-maile marketingowe od {shop} na adres {address}.",
  "confirm.button": "Tak, zapisz mnie",
  "confirm.note": "Z subskrypcji możesz zrezygnować w każdej chwili, klikając link na dole każdej wiadomości.",
  "confirm.done.title": "Dziękujemy za zapis!",
  "confirm.done.lead": "Wkrótce wyślemy pierwszą wiadomość na adres {address}.",
  "confirm.email.subject": "Potwierdź zapis do newslettera {shop}",

  "error.title": "Ten link nie działa",
  "error.lead": "Może być niekompletny lub zmieniony. Użyj linku z najnowszej wiadomości od sklepu albo skontaktuj się ze sklepem.",

  "signup.error.email": "Podaj prawidłowy adres e-mail, np. jan@przyklad.pl.",
  "signup.error.phone": "Podaj prawidłowy numer telefonu, np. +48 512 345 678.",
  "signup.error.phoneRequired": "Podaj numer telefonu, aby otrzymywać SMS-y.",
  "signup.error.consent": "Coś poszło nie tak z formularzem. Odśwież stronę i spróbuj ponownie.",
  "signup.error.unavailable": "Zapis jest teraz niedostępny.",

  // SMS replies stay GSM-7 (no Polish diacritics): one diacritic would make the reply UCS-2 and cost twice as much.
  "sms.reply.stop": "{shop}: wypisano Cie z SMS-ow marketingowych. Aby zapisac sie ponownie, odpisz START.",
  "sms.reply.start": "{shop}: zapisano Cie ponownie na SMS-y marketingowe. Rezygnacja: odpisz STOP. Pomoc: HELP.",
  "sms.reply.help": "{shop}: SMS-y marketingowe. Rezygnacja: odpisz STOP, ponowny zapis: START. Moga obowiazywac oplaty operatora.",
};

const dictionaries: Record<Locale, Record<ComplianceKey, string>> = { en: complianceEn, pl: compliancePl };

export type ComplianceTranslate = (key: ComplianceKey, vars?: Record<string, string | number>) => string;

export function complianceTranslator(locale: Locale): ComplianceTranslate {
  const dict = dictionaries[locale];
  return (key, vars) => {
    const template = dict[key] ?? complianceEn[key];
    if (!vars) return template;
    // "... from {shop}." with a shop named "Kawa & Co." must not end in "Co..".
    return template.replace(/\{(\w+)\}(\.?)/g, (_, name: string, dot: string) => {
      const value = String(vars[name] ?? `{${name}}`);
      return dot && value.endsWith(".") ? value : value + dot;
    });
  };
}

/** The customer's language first, then the shop's. */
export function shopperLocale(customerLocale: string | null | undefined, shopLocale: string | null | undefined): Locale {
  return resolveLocale(customerLocale, shopLocale);
}
