import { raw } from 'hono/html';

/**
 * The one audited place where HTML built elsewhere enters a view. Only pass HTML that our own code
 * produced from escaped input: markdown rendered with html:false (stored per revision) and search
 * snippets escaped by highlightSnippet.
 */
export function TrustedHtml({ html, class: className }: { html: string; class?: string }) {
  return <div class={className}>{raw(html)}</div>;
}
