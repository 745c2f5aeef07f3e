import { en, type MessageKey } from "./en";
import { pl } from "./pl";

export type Locale = "en" | "pl";
export const LOCALES: readonly Locale[] = ["en", "pl"];
const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, pl };

/** "pl", "pl-PL", "PL" -> "pl"; anything unknown -> "en". */
export function resolveLocale(...candidates: (string | null | undefined)[]): Locale {
  for (const c of candidates) {
    const base = c?.toLowerCase().split(/[-_]/)[0];
    if (base && (LOCALES as readonly string[]).includes(base)) return base as Locale;
  }
  return "en";
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const dict = dictionaries[locale];
  return (key, vars) => {
    const template = dict[key] ?? en[key];
    return vars ? template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : template;
  };
}

/** Whether a key exists, for keys built from data (a decision's reason code). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export type { MessageKey };
