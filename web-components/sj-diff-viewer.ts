import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';

/**
 * Enhances a server-rendered word diff (<pre> with <ins>/<del>): step through changes with buttons
 * or the n/p keys, and fold long unchanged passages. Texts come from data attributes set by the server
 * (already translated), so the component holds no user-facing strings of its own.
 */
@customElement('sj-diff-viewer')
export class SjDiffViewer extends LitElement {
  static override styles = css`
    :host { display: block; }
    .toolbar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-bottom: 0.5rem; }
    button { font: inherit; padding: 0.35rem 0.75rem; border-radius: 0.4rem; border: 1px solid #1d4e89; background: #fff; color: #1d4e89; cursor: pointer; }
    button:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
    button[aria-pressed='true'] { background: #1d4e89; color: #fff; }
  `;

  @state() private index = -1;
  @state() private folded = false;

  private get changes(): HTMLElement[] {
    return [...this.querySelectorAll<HTMLElement>('ins, del')];
  }

  private label(name: string, fallback: string): string {
    return this.dataset[name] ?? fallback;
  }

  private go(step: number) {
    const changes = this.changes;
    if (!changes.length) return;
    changes[this.index]?.classList.remove('current-change');
    this.index = (this.index + step + changes.length) % changes.length;
    const target = changes[this.index];
    target.classList.add('current-change');
    target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  private toggleFold() {
    this.folded = !this.folded;
    this.classList.toggle('folded', this.folded);
  }

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener('keydown', (event) => {
      if (event.key === 'n') this.go(1);
      if (event.key === 'p') this.go(-1);
    });
  }

  override render() {
    const total = this.changes.length;
    return html`
      <div class="toolbar" role="toolbar" aria-label=${this.label('toolbar', 'Diff')}>
        <button type="button" @click=${() => this.go(-1)} ?disabled=${!total}>${this.label('previous', '←')}</button>
        <button type="button" @click=${() => this.go(1)} ?disabled=${!total}>${this.label('next', '→')}</button>
        <button type="button" aria-pressed=${this.folded ? 'true' : 'false'} @click=${this.toggleFold}>${this.label('fold', '…')}</button>
        <span role="status" aria-live="polite">${total ? `${this.index + 1 > 0 ? this.index + 1 : '–'} / ${total}` : ''}</span>
      </div>
      <slot></slot>
    `;
  }
}
