import { minutes, type AlertCondition } from "./alert-rules";

// The alert email, in the shop's language. Task names, ages and counts only: an alert
// never carries a customer's data, and the error text it quotes is the runner's one
// line (class, code, message), never a payload.

type Locale = "en" | "pl";

const TASK_NAMES: Record<Locale, Record<string, string>> = {
  en: {
    webhooks: "Shopify webhooks",
    "catalog-backfill": "catalogue import",
    "pixel-inbox": "storefront events",
    "event-router": "event routing to flows",
    "journey-steps": "flow steps",
    outbox: "outgoing messages",
    "consent-write-back": "consent write-back to Shopify",
  },
  pl: {
    webhooks: "webhooki Shopify",
    "catalog-backfill": "import katalogu",
    "pixel-inbox": "zdarzenia ze sklepu",
    "event-router": "kierowanie zdarzeń do przepływów",
    "journey-steps": "kroki przepływów",
    outbox: "wiadomości wychodzące",
    "consent-write-back": "zapis zgód w Shopify",
  },
};

export function taskLabel(task: string, locale: Locale): string {
  return TASK_NAMES[locale][task] ?? task;
}

export function alertEmailText(c: AlertCondition, locale: Locale, runbookUrl: string): { subject: string; text: string } {
  const task = taskLabel(c.task, locale);
  if (c.kind === "lag") {
    const age = minutes(c.oldestAgeMs);
    const limit = minutes(c.thresholdMs);
    return locale === "pl"
      ? {
          subject: `[Flowmate] Opóźnienie: ${task} (${age} min)`,
          text:
            `Najstarsza oczekująca pozycja w kolejce „${task}” czeka ${age} min (próg: ${limit} min).\n` +
            `Praca nie jest tracona: zostanie wykonana, gdy kolejka ruszy. Nie wyślemy tego alertu ponownie przez godzinę.\n\n` +
            `Co sprawdzić: ${runbookUrl}\n`,
        }
      : {
          subject: `[Flowmate] Delayed: ${task} (${age} min)`,
          text:
            `The oldest due item in the "${task}" queue has waited ${age} min (threshold: ${limit} min).\n` +
            `Nothing is lost: the work is done once the queue moves. This alert is not repeated within the hour.\n\n` +
            `What to check: ${runbookUrl}\n`,
        };
  }
  return locale === "pl"
    ? {
        subject: `[Flowmate] Zadanie zawodzi: ${task}`,
        text:
          `Zadanie „${task}” zawiodło ${c.consecutiveFailures} razy z rzędu i ponawia próby z rosnącą przerwą.\n` +
          `Ostatni błąd: ${c.lastError ?? "(brak)"}\n\nCo sprawdzić: ${runbookUrl}\n`,
      }
    : {
        subject: `[Flowmate] Task failing: ${task}`,
        text:
          `The "${task}" task has failed ${c.consecutiveFailures} times in a row and is retrying with a growing backoff.\n` +
          `Last error: ${c.lastError ?? "(none)"}\n\nWhat to check: ${runbookUrl}\n`,
      };
}
