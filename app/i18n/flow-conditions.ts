// Editing a condition on the flow page (a condition step's, a split branch's, the flow
// filter's): all/any, a condition added, and the errors shown under the exact field
// (app/components/flows/ConditionEditor.tsx, app/domain/flows/field-errors.ts). Spread
// into en.ts and pl.ts.

export const flowConditionsEn = {
  "flow.match.label": "Which conditions must hold",
  "flow.match.all": "All of them",
  "flow.match.any": "Any one of them",
  "flow.cond.addTo": "Add a condition ({name})",
  "flow.cond.field": "Condition on",
  "flow.cond.branch": "Branch {branch}",
  "flow.diff.branch": "{name}, {branch}",

  "flow.error.number": "Enter a number.",
  "flow.error.above": "Enter a number greater than {n}.",
  "flow.error.atLeast": "Enter a number of at least {n}.",
  "flow.error.below": "Enter a number less than {n}.",
  "flow.error.atMost": "Enter a number of at most {n}.",
  "flow.error.valueNeeded": "Enter a value for the new condition.",
  "flow.error.unknownField": "Choose a field from the list.",
  "flow.error.durationPositive": "Enter a time longer than zero.",
  "flow.error.changed":
    "The flow changed since this page was opened (it is at version {version} now): nothing was saved. Reload the page to edit the newest version.",
};

export const flowConditionsPl: Record<keyof typeof flowConditionsEn, string> = {
  "flow.match.label": "Które warunki muszą być spełnione",
  "flow.match.all": "Wszystkie",
  "flow.match.any": "Dowolny z nich",
  "flow.cond.addTo": "Dodaj warunek ({name})",
  "flow.cond.field": "Warunek dotyczy",
  "flow.cond.branch": "Gałąź {branch}",
  "flow.diff.branch": "{name}, {branch}",

  "flow.error.number": "Wpisz liczbę.",
  "flow.error.above": "Wpisz liczbę większą niż {n}.",
  "flow.error.atLeast": "Wpisz liczbę nie mniejszą niż {n}.",
  "flow.error.below": "Wpisz liczbę mniejszą niż {n}.",
  "flow.error.atMost": "Wpisz liczbę nie większą niż {n}.",
  "flow.error.valueNeeded": "Wpisz wartość nowego warunku.",
  "flow.error.unknownField": "Wybierz pole z listy.",
  "flow.error.durationPositive": "Wpisz czas dłuższy niż zero.",
  "flow.error.changed":
    "Przepływ zmienił się od otwarcia tej strony (teraz jest w wersji {version}): nic nie zapisano. Odśwież stronę, aby edytować najnowszą wersję.",
};
