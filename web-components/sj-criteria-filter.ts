import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { filterCriteria } from './criteria-search.js';

/**
 * Filters the server-rendered list of criteria as the reader types (code, label or description,
 * accents ignored). Without JavaScript the full list stays readable.
 */
@customElement('sj-criteria-filter')
export class SjCriteriaFilter extends LitElement {
  static override styles = css`
    :host { display: block; }
    label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
    input { font: inherit; width: min(100%, 28rem); padding: 0.5rem; border: 2px solid #555; border-radius: 0.4rem; }
    input:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
    .count { margin: 0.5rem 0 1rem; }
  `;

  @property() label = 'Filter';
  @property() empty = 'No match';
  @state() private visible = -1;

  private filter(event: Event) {
    this.visible = filterCriteria(this, (event.target as HTMLInputElement).value);
  }

  override render() {
    return html`
      <label for="filter">${this.label}</label>
      <input id="filter" type="search" autocomplete="off" @input=${this.filter} />
      <p class="count" role="status" aria-live="polite">${this.visible === 0 ? this.empty : this.visible > 0 ? `${this.visible}` : ''}</p>
      <slot></slot>
    `;
  }
}
