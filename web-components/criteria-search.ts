// Word search over a server-rendered list of criteria: sections marked [data-dimension] holding
// items marked li[data-text] (code, label, description). Accents and case are ignored. Used by the
// criteria page filter and by the criteria picker.

export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/**
 * Hides the items (and whole sections) that do not contain every word typed; opens the sections
 * that do when `openMatches` (collapsible <details>). Returns how many items match, or -1 for no words.
 */
export function filterCriteria(root: ParentNode, query: string, openMatches = false): number {
  const typed = foldText(query).split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const section of root.querySelectorAll<HTMLElement>('[data-dimension]')) {
    let inSection = 0;
    for (const item of section.querySelectorAll<HTMLElement>('li[data-text]')) {
      const match = typed.every((w) => foldText(item.dataset.text ?? '').includes(w));
      item.hidden = !match;
      if (match) inSection++;
    }
    section.hidden = inSection === 0;
    if (openMatches && typed.length && section instanceof HTMLDetailsElement) section.open = inSection > 0;
    shown += inSection;
  }
  return typed.length ? shown : -1;
}
