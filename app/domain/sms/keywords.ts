// Inbound SMS keywords. Only a message that IS the keyword counts ("Stop", " STOP! "),
// never one that merely contains it: "nie wiem, kiedy dostawa?" is not an opt-out.
// Carriers' and Twilio's standard English set, plus the Polish replies people send.

export type SmsKeyword = "stop" | "start" | "help";

const KEYWORDS: Record<SmsKeyword, readonly string[]> = {
  stop: ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "STOP SMS", "NIE", "REZYGNUJE", "WYPISZ", "KONIEC"],
  start: ["START", "YES", "UNSTOP"],
  help: ["HELP", "INFO", "POMOC"],
};

/** Upper-case, no diacritics (REZYGNUJĘ -> REZYGNUJE), no surrounding punctuation, single spaces. */
export function normalizeKeyword(body: string): string {
  return body
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .toUpperCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function parseSmsKeyword(body: string | null | undefined): SmsKeyword | null {
  if (!body) return null;
  const word = normalizeKeyword(body);
  for (const [keyword, list] of Object.entries(KEYWORDS) as [SmsKeyword, readonly string[]][]) {
    if (list.includes(word)) return keyword;
  }
  return null;
}
