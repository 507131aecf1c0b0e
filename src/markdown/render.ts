import MarkdownIt from 'markdown-it';
import { toPagePath } from '../services/page-paths.js';

// The one markdown renderer: raw HTML off, only safe link schemes, [[wiki links]] recorded so the
// caller can store backlinks and mark links to missing pages.
const SAFE_URL = /^(https?:|mailto:|\/(?!\/)|#|\.{0,2}\/|[^:]*$)/i;

export interface RenderedMarkdown {
  html: string;
  links: string[];
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

md.validateLink = (url: string) => {
  const trimmed = url.trim().replace(/[\u0000-\u001f\u007f\s]+/g, '');
  return SAFE_URL.test(trimmed);
};

md.inline.ruler.before('link', 'wikilink', (state, silent) => {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x5b || src.charCodeAt(start + 1) !== 0x5b) return false;
  const end = src.indexOf(']]', start + 2);
  if (end < 0) return false;
  const inner = src.slice(start + 2, end);
  if (!inner.trim() || inner.includes('\n') || inner.includes('[')) return false;
  const [target, label] = inner.split('|', 2);
  const path = toPagePath(target);
  if (!path) return false;
  if (!silent) {
    const open = state.push('wikilink_open', 'a', 1);
    open.attrSet('href', `/wiki/${encodePath(path)}`);
    open.attrSet('class', 'wikilink');
    open.attrSet('data-wikilink', path);
    const text = state.push('text', '', 0);
    text.content = (label ?? target).trim();
    state.push('wikilink_close', 'a', -1);
    (state.env.links as Set<string>).add(path);
  }
  state.pos = end + 2;
  return true;
});

// Links to other sites open normally but carry rel=nofollow (spam) and noopener.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = String(tokens[idx].attrGet('href') ?? '');
  if (/^https?:/i.test(href)) tokens[idx].attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// Heading ids are prefixed so user content can never clobber the application's own ids.
md.core.ruler.push('heading_ids', (state) => {
  const seen = new Map<string, number>();
  for (let i = 0; i < state.tokens.length; i++) {
    const token = state.tokens[i];
    if (token.type !== 'heading_open') continue;
    const text = state.tokens[i + 1]?.children?.map((child) => child.content).join('') ?? '';
    const base = `h-${toPagePath(text).replace(/\//g, '-') || 'section'}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    token.attrSet('id', count ? `${base}-${count}` : base);
  }
});

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function renderMarkdown(source: string): RenderedMarkdown {
  const env = { links: new Set<string>() };
  const html = md.render(source, env);
  return { html, links: [...env.links] };
}

/** Marks wiki links whose target does not exist (red links) without re-rendering the stored HTML. */
export function markMissingLinks(html: string, missing: ReadonlySet<string>): string {
  if (missing.size === 0) return html;
  return html.replace(/class="wikilink" data-wikilink="([^"]*)"/g, (whole, path: string) =>
    missing.has(unescapeAttr(path)) ? `class="wikilink new" data-wikilink="${path}"` : whole,
  );
}

function unescapeAttr(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Plain text of markdown for search and feed summaries. */
export function markdownToText(source: string): string {
  const html = md.render(source, { links: new Set<string>() });
  return html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}
