// Inserting a variable where the merchant was typing: the field last focused keeps
// its id and setter, and the text goes in at its caret (or at the end).

export interface FocusedField {
  id: string;
  value: string;
  set: (value: string) => void;
}

export function insertAtCaret(field: FocusedField, snippet: string): void {
  const el = typeof document === "undefined" ? null : (document.getElementById(field.id) as HTMLInputElement | HTMLTextAreaElement | null);
  // The element holds what was typed since the field took focus.
  const value = el?.value ?? field.value;
  const start = el?.selectionStart ?? value.length;
  const end = el?.selectionEnd ?? start;
  field.set(value.slice(0, start) + snippet + value.slice(end));
  if (el) {
    const caret = start + snippet.length;
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(caret, caret);
    });
  }
}

/** Errors of one field: `en.blocks[2].text` for locale en, field blocks[2].text. */
export function errorFor(errors: readonly { path: string; message: string }[], path: string): string | undefined {
  const own = errors.filter((e) => e.path === path).map((e) => e.message);
  return own.length ? own.join("; ") : undefined;
}
