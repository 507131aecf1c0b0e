import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { markMissingLinks, renderMarkdown } from '../../src/markdown/render.js';
import { LOCALES, negotiateLocale, translator } from '../../src/i18n/index.js';
import en from '../../src/i18n/messages/en.json' with { type: 'json' };
import fr from '../../src/i18n/messages/fr.json' with { type: 'json' };
import pt from '../../src/i18n/messages/pt.json' with { type: 'json' };
import { highlightSnippet } from '../../src/text/snippets.js';
import { toPagePath } from '../../src/services/page-paths.js';

describe('markdown', () => {
  it('escapes raw HTML and keeps only safe link schemes', () => {
    const { html } = renderMarkdown('<b onclick="x()">hi</b> [a](javascript:alert(1)) [b](https://example.org) [c](/wiki/x) ![i](data:image/png;base64,AAAA)');
    expect(html).toContain('&lt;b onclick=&quot;x()&quot;&gt;');
    expect(html).not.toMatch(/href="javascript:|src="data:/);
    expect(html).toContain('<a href="https://example.org" rel="nofollow noopener noreferrer">b</a>');
    expect(html).toContain('<a href="/wiki/x">c</a>');
  });

  it('renders wiki links with labels, records targets and marks missing ones', () => {
    const { html, links } = renderMarkdown('[[Jardin Partagé]] and [[actor/ana|Ana]]');
    expect(links).toEqual(['jardin-partagé', 'actor/ana']);
    expect(html).toContain('<a href="/wiki/jardin-partag%C3%A9" class="wikilink" data-wikilink="jardin-partagé">Jardin Partagé</a>');
    const marked = markMissingLinks(html, new Set(['actor/ana']));
    expect(marked).toContain('class="wikilink new" data-wikilink="actor/ana"');
    expect(marked).not.toContain('class="wikilink new" data-wikilink="jardin-partagé"');
  });

  it('prefixes heading ids so content cannot clobber application ids', () => {
    expect(renderMarkdown('# Main\n## Main').html).toBe('<h1 id="h-main">Main</h1>\n<h2 id="h-main-1">Main</h2>\n');
  });

  it('canonicalises page paths', () => {
    expect(toPagePath('  Jardin  Partagé / Été_2026 ')).toBe('jardin-partagé/été-2026');
    expect(toPagePath('../../etc/passwd')).toBe('etc/passwd');
    expect(toPagePath('<script>')).toBe('script');
  });

  it('highlights matching words by stem and escapes everything else', () => {
    expect(highlightSnippet('<b>Les jardins</b> & écoles', 'jardin ecole')).toBe('&lt;b&gt;Les <mark>jardins</mark>&lt;/b&gt; &amp; <mark>écoles</mark>');
  });
});

describe('i18n', () => {
  it('negotiates the language from Accept-Language with quality values', () => {
    expect(negotiateLocale('de-DE,fr-BE;q=0.8,en;q=0.5')).toBe('fr');
    expect(negotiateLocale('pt-BR')).toBe('pt');
    expect(negotiateLocale('en;q=0.2, pt;q=0.9')).toBe('pt');
    expect(negotiateLocale('de, it')).toBeNull();
    expect(negotiateLocale(undefined)).toBeNull();
  });

  it('has every message in every language, all valid ICU with the same arguments', () => {
    const catalogues: Record<string, Record<string, string>> = { en, fr, pt };
    // Argument names from the parsed ICU tree (literal text inside plural branches is not an argument).
    const argumentsOf = (message: string): string[] => {
      const names: string[] = [];
      const walk = (elements: any[]) => {
        for (const el of elements) {
          if (el.type >= 1 && el.type <= 6) names.push(el.value);
          if (el.options) for (const option of Object.values(el.options) as { value: any[] }[]) walk(option.value);
        }
      };
      walk(new IntlMessageFormat(message, 'en').getAst() as any[]);
      return names;
    };
    for (const locale of LOCALES) {
      expect(Object.keys(catalogues[locale]).sort()).toEqual(Object.keys(en).sort());
      for (const [key, message] of Object.entries(catalogues[locale])) {
        expect(() => new IntlMessageFormat(message, locale), `${locale}:${key}`).not.toThrow();
        expect(new Set(argumentsOf(message)), `${locale}:${key}`).toEqual(new Set(argumentsOf((en as Record<string, string>)[key])));
      }
    }
  });

  it('formats plurals and numbers in the reader language', () => {
    expect(translator('en')('territories.members', { count: 1 })).toBe('1 member');
    expect(translator('fr')('territories.members', { count: 2 })).toMatch(/2/);
    expect(translator('pt')('nav.login')).not.toBe(translator('en')('nav.login'));
  });
});
