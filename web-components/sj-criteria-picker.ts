import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { filterCriteria } from './criteria-search.js';

interface Suggestion {
  code: string;
  label: string;
  score: number;
  dimension: { code: string; label: string };
}

/**
 * Enhances the server-rendered criteria checkboxes (grouped by dimension in <details>): a word search
 * over codes, labels and descriptions; the chosen components as removable chips; and suggestions
 * from the form's text fields as the person types. A suggestion is a button: nothing is ticked until
 * the person chooses it. Without JavaScript the checkboxes work as they are.
 */
@customElement('sj-criteria-picker')
export class SjCriteriaPicker extends LitElement {
  static override styles = css`
    :host { display: block; }
    .tools { display: grid; gap: 0.75rem; margin-bottom: 0.75rem; }
    label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
    input { font: inherit; width: min(100%, 28rem); padding: 0.5rem; border: 2px solid #6b737c; border-radius: 0.4rem; }
    input:focus-visible, button:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
    h3 { font-size: 1rem; margin: 0 0 0.35rem; }
    ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem; }
    button { font: inherit; min-height: 44px; padding: 0.3rem 0.8rem; border-radius: 1.2rem; cursor: pointer; }
    .chip { background: #1d4e89; color: #fff; border: 2px solid #1d4e89; }
    .suggestion { background: #fff; color: #1d4e89; border: 2px dashed #1d4e89; }
    .suggestion:hover, .chip:hover { background: #153a66; color: #fff; }
    .code { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 700; }
    .score { font-size: 0.8rem; opacity: 0.8; }
    .hint, .count { color: #555d66; font-size: 0.9rem; margin: 0.25rem 0; }
  `;

  @property({ attribute: 'suggest-url' }) suggestUrl = '/api/criteria/suggest';
  @property({ attribute: 'text-fields' }) textFields = 'title description';
  @property({ attribute: 'lang-field' }) langField = 'lang';
  @property({ attribute: 'label-search' }) labelSearch = 'Find a criterion';
  @property({ attribute: 'label-suggested' }) labelSuggested = 'Suggested';
  @property({ attribute: 'label-no-suggestion' }) labelNoSuggestion = '';
  @property({ attribute: 'label-selected' }) labelSelected = 'Chosen';
  @property({ attribute: 'label-none-selected' }) labelNoneSelected = '';
  @property({ attribute: 'label-remove' }) labelRemove = 'Remove';
  @property({ attribute: 'label-add' }) labelAdd = 'Add';
  /** JSON {zero, one, other} rendered by the server in the reader's language; `{n}` stands for the number. */
  @property({ attribute: 'label-matches' }) labelMatches = '{"zero":"0","one":"1","other":"{n}"}';

  @state() private selected: { code: string; label: string }[] = [];
  @state() private suggestions: Suggestion[] = [];
  @state() private asked = false;
  @state() private matchCount = -1;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | undefined;
  private lastText = '';
  private readonly onChange = () => this.readSelection();
  private readonly onType = () => this.scheduleSuggest();

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener('change', this.onChange);
    for (const field of this.textInputs()) field.addEventListener('input', this.onType);
    this.langSelect()?.addEventListener('change', this.onType);
    this.readSelection();
    this.scheduleSuggest(0);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener('change', this.onChange);
    for (const field of this.textInputs()) field.removeEventListener('input', this.onType);
    this.langSelect()?.removeEventListener('change', this.onType);
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  private form() {
    return this.closest('form');
  }

  private textInputs(): (HTMLInputElement | HTMLTextAreaElement)[] {
    const form = this.form();
    if (!form) return [];
    return this.textFields.split(/\s+/).map((name) => form.elements.namedItem(name)).filter((el): el is HTMLInputElement | HTMLTextAreaElement => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement);
  }

  private langSelect(): HTMLSelectElement | null {
    const el = this.form()?.elements.namedItem(this.langField);
    return el instanceof HTMLSelectElement ? el : null;
  }

  private checkboxes(): HTMLInputElement[] {
    return [...this.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="components"]')];
  }

  private labelOf(box: HTMLInputElement): string {
    return box.closest('label')?.textContent?.replace(/\s+/g, ' ').trim().replace(/^[A-Z]\d{2}\s*/, '') ?? box.value;
  }

  private readSelection() {
    this.selected = this.checkboxes().filter((b) => b.checked).map((b) => ({ code: b.value, label: this.labelOf(b) }));
  }

  private setChecked(code: string, checked: boolean) {
    const box = this.checkboxes().find((b) => b.value === code);
    if (!box) return;
    box.checked = checked;
    const details = box.closest('details');
    if (checked && details) details.open = true;
    this.readSelection();
  }

  private filter(event: Event) {
    this.matchCount = filterCriteria(this, (event.target as HTMLInputElement).value, true);
  }

  private matchesText(count: number): string {
    try {
      const forms = JSON.parse(this.labelMatches) as { zero: string; one: string; other: string };
      return count === 0 ? forms.zero : count === 1 ? forms.one : forms.other.replace('{n}', String(count));
    } catch {
      return String(count);
    }
  }

  private scheduleSuggest(delay = 450) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.suggest(), delay);
  }

  private async suggest() {
    const text = this.textInputs().map((f) => f.value).join('\n').trim();
    if (text === this.lastText) return;
    this.lastText = text;
    if (text.split(/\s+/).filter(Boolean).length < 2) {
      this.suggestions = [];
      this.asked = false;
      return;
    }
    this.controller?.abort();
    this.controller = new AbortController();
    const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content;
    try {
      const response = await fetch(this.suggestUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
        body: JSON.stringify({ text: text.slice(0, 10_000), lang: this.langSelect()?.value || undefined, limit: 6 }),
        signal: this.controller.signal,
        credentials: 'same-origin',
      });
      if (!response.ok) return;
      const body = (await response.json()) as { suggestions: Suggestion[] };
      this.suggestions = body.suggestions;
      this.asked = true;
    } catch {
      // Offline or aborted: the checkboxes still work.
    }
  }

  override render() {
    const chosen = new Set(this.selected.map((s) => s.code));
    const open = this.suggestions.filter((s) => !chosen.has(s.code));
    return html`
      <div class="tools">
        <div>
          <label for="criteria-search">${this.labelSearch}</label>
          <input id="criteria-search" type="search" autocomplete="off" @input=${this.filter} />
          <p class="count" role="status" aria-live="polite">${this.matchCount >= 0 ? this.matchesText(this.matchCount) : ''}</p>
        </div>
        <section aria-labelledby="suggested-title" aria-live="polite">
          <h3 id="suggested-title">${this.labelSuggested}</h3>
          ${open.length
            ? html`<ul>${open.map((s) => html`<li><button type="button" class="suggestion" @click=${() => this.setChecked(s.code, true)}
                aria-label="${this.labelAdd} ${s.code} ${s.label}"><span class="code">${s.code}</span> ${s.label}</button></li>`)}</ul>`
            : html`<p class="hint">${this.asked && !this.suggestions.length ? this.labelNoSuggestion : this.asked ? nothing : this.labelNoSuggestion}</p>`}
        </section>
        <section aria-labelledby="chosen-title">
          <h3 id="chosen-title">${this.labelSelected}</h3>
          ${this.selected.length
            ? html`<ul>${this.selected.map((s) => html`<li><button type="button" class="chip" @click=${() => this.setChecked(s.code, false)}
                aria-label="${this.labelRemove} ${s.code} ${s.label}"><span class="code">${s.code}</span> ${s.label} ✕</button></li>`)}</ul>`
            : html`<p class="hint">${this.labelNoneSelected}</p>`}
        </section>
      </div>
      <slot></slot>
    `;
  }
}
