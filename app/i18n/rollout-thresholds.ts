// The shop's go/no-go thresholds of a staged rollout: the settings section that sets
// them and the rollout page's card that shows the ones in force.
export const rolloutThresholdsEn = {
  "rolloutThresholds.title": "Staged rollout: go/no-go thresholds",
  "rolloutThresholds.help":
    "When a flow's new version goes to 10 %, then 50 % of new entrants, the app compares it with the previous version every five minutes. It halts the rollout (everyone gets the previous version again) when the new version is worse than one of these limits, and by more than chance.",
  "rolloutThresholds.points": "points",
  "rolloutThresholds.percent": "%",
  "rolloutThresholds.sendErrors": "Send errors: extra allowed",
  "rolloutThresholds.sendErrorsHelp":
    "How many percentage points more of the new version's sends may fail than the previous version's. Default 2, allowed {min}–{max}.",
  "rolloutThresholds.bounces": "Bounces: extra allowed",
  "rolloutThresholds.bouncesHelp":
    "How many percentage points more of the new version's emails may bounce (address unknown, mailbox full). Default 2, allowed {min}–{max}.",
  "rolloutThresholds.complaints": "Spam complaints: extra allowed",
  "rolloutThresholds.complaintsHelp":
    "How many percentage points more recipients may mark the new version as spam. Mailbox providers start filtering at about 0.3 %, so keep it small. Default 0.3, allowed {min}–{max}.",
  "rolloutThresholds.unsubscribes": "Unsubscribes: extra allowed",
  "rolloutThresholds.unsubscribesHelp":
    "How many percentage points more recipients of the new version may unsubscribe. Default 1, allowed {min}–{max}.",
  "rolloutThresholds.clicks": "Clicks: share of the previous rate to keep",
  "rolloutThresholds.clicksHelp":
    "The new version must keep at least this share of the previous version's click rate: 70 means its clicks may fall by up to 30 %. Default 70, allowed {min}–{max}.",
  "rolloutThresholds.error.number": "A number, e.g. 2 or 0.5.",
  "rolloutThresholds.error.range": "Outside the allowed range (below the field).",
  "rolloutThresholds.inForce": "Thresholds in force",
  "rolloutThresholds.inForceBody": "The check halts this rollout when the new version is beyond one of these (and by more than chance):",
  "rolloutThresholds.default": "default",
  "rolloutThresholds.custom": "this shop's",
  "rolloutThresholds.source": "Set by",
  "rolloutThresholds.change": "Change the thresholds in Settings",
  "audit.action.settings.rollout_thresholds_updated": "Rollout go/no-go thresholds changed",
  "audit.field.sendErrors": "Send errors: extra points allowed",
  "audit.field.bounces": "Bounces: extra points allowed",
  "audit.field.complaints": "Spam complaints: extra points allowed",
  "audit.field.unsubscribes": "Unsubscribes: extra points allowed",
  "audit.field.clicks": "Clicks: % of the previous rate to keep",
};

export const rolloutThresholdsPl: Record<keyof typeof rolloutThresholdsEn, string> = {
  "rolloutThresholds.title": "Stopniowe wdrażanie: progi decyzji",
  "rolloutThresholds.help":
    "Gdy nowa wersja przepływu trafia do 10 %, a potem 50 % nowych uczestników, aplikacja co pięć minut porównuje ją z poprzednią wersją. Wstrzymuje wdrażanie (wszyscy znów dostają poprzednią wersję), gdy nowa wersja przekroczy jeden z tych progów, i to bardziej, niż można to przypisać przypadkowi.",
  "rolloutThresholds.points": "pkt",
  "rolloutThresholds.percent": "%",
  "rolloutThresholds.sendErrors": "Błędy wysyłki: dopuszczalny wzrost",
  "rolloutThresholds.sendErrorsHelp":
    "O ile punktów procentowych więcej wysyłek nowej wersji może się nie udać niż w poprzedniej wersji. Domyślnie 2, dozwolone {min}–{max}.",
  "rolloutThresholds.bounces": "Odbicia: dopuszczalny wzrost",
  "rolloutThresholds.bouncesHelp":
    "O ile punktów procentowych więcej e-maili nowej wersji może zostać odbitych (nieznany adres, pełna skrzynka). Domyślnie 2, dozwolone {min}–{max}.",
  "rolloutThresholds.complaints": "Zgłoszenia spamu: dopuszczalny wzrost",
  "rolloutThresholds.complaintsHelp":
    "O ile punktów procentowych więcej odbiorców może oznaczyć nową wersję jako spam. Dostawcy poczty zaczynają filtrować przy ok. 0,3 %, więc trzymaj tę wartość nisko. Domyślnie 0,3, dozwolone {min}–{max}.",
  "rolloutThresholds.unsubscribes": "Wypisania: dopuszczalny wzrost",
  "rolloutThresholds.unsubscribesHelp":
    "O ile punktów procentowych więcej odbiorców nowej wersji może się wypisać. Domyślnie 1, dozwolone {min}–{max}.",
  "rolloutThresholds.clicks": "Kliknięcia: zachowana część poprzedniego wskaźnika",
  "rolloutThresholds.clicksHelp":
    "Nowa wersja musi zachować co najmniej taką część współczynnika kliknięć poprzedniej wersji: 70 oznacza, że kliknięcia mogą spaść najwyżej o 30 %. Domyślnie 70, dozwolone {min}–{max}.",
  "rolloutThresholds.error.number": "Liczba, np. 2 lub 0,5.",
  "rolloutThresholds.error.range": "Poza dozwolonym zakresem (pod polem).",
  "rolloutThresholds.inForce": "Obowiązujące progi",
  "rolloutThresholds.inForceBody":
    "Kontrola wstrzyma to wdrażanie, gdy nowa wersja przekroczy jeden z tych progów (bardziej, niż wynikałoby to z przypadku):",
  "rolloutThresholds.default": "domyślny",
  "rolloutThresholds.custom": "ustawiony dla sklepu",
  "rolloutThresholds.source": "Źródło",
  "rolloutThresholds.change": "Zmień progi w Ustawieniach",
  "audit.action.settings.rollout_thresholds_updated": "Zmiana progów decyzji stopniowego wdrażania",
  "audit.field.sendErrors": "Błędy wysyłki: dopuszczalny wzrost w pkt",
  "audit.field.bounces": "Odbicia: dopuszczalny wzrost w pkt",
  "audit.field.complaints": "Zgłoszenia spamu: dopuszczalny wzrost w pkt",
  "audit.field.unsubscribes": "Wypisania: dopuszczalny wzrost w pkt",
  "audit.field.clicks": "Kliknięcia: zachowany % poprzedniego wskaźnika",
};
