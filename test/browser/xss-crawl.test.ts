import { describe, expect, it } from 'vitest';
import { useBrowser, withSite } from './site.js';

// Hostile content in every text field people can write (territories, pages and comments, choices and
// results, groups and statements, workshops, charters and amendments, topics, tools, names), then a
// crawl of the whole site in Chromium, anonymous and signed in: no script of theirs ever runs, none of
// their markup becomes live (no element with an on… handler, no javascript: or data: link, no frame),
// and the CSP never has to block anything (it would mean markup got through the escaping).

const MARK = 'window.__xss=1';
const LINE = [`<script>${MARK}</script>`, `<img src=x onerror="${MARK}">`, `"><svg onload=${MARK}>`, `'-alert(1)-'`, '{{7*7}}${7*7}', `</title><script>${MARK}</script>`].join(' ');
const MARKDOWN = [
  `# Title <script>${MARK}</script>`, `[click](javascript:${MARK})`, `[data](data:text/html,<script>${MARK}</script>)`, `![img](javascript:${MARK})`,
  `<a href="javascript:${MARK}">raw</a>`, `[[<script>${MARK}</script>]]`, `[[x" onmouseover="${MARK}]]`, `<iframe src="javascript:${MARK}"></iframe>`,
  `<div style="background:url(javascript:${MARK})">styled</div>`, '<!-- comment --><style>*{}</style>', `[x](  JaVaScRiPt:${MARK})`,
].join('\n\n');

describe('hostile content everywhere', () => {
  const browser = useBrowser();

  it('runs no script and leaves no live markup on any page of a crawl, anonymous or signed in', async () => {
    await withSite(browser(), async ({ page, server, context, testApp, admin, problems }) => {
      // Links to pages nobody wrote yet answer 404 on purpose; anything else missing is a fault.
      const missing: string[] = [];
      page.on('response', (res) => {
        if (res.status() === 404 && res.request().resourceType() !== 'document') missing.push(res.url());
      });
      await page.addInitScript(() => {
        (window as unknown as { __violations: string[] }).__violations = [];
        document.addEventListener('securitypolicyviolation', (event) => (window as unknown as { __violations: string[] }).__violations.push(`${event.violatedDirective} ${event.sample}`));
      });
      page.on('dialog', (dialog) => {
        throw new Error(`a dialog opened: ${dialog.message()}`);
      });
      const visit = async (path: string) => {
        const res = await page.goto(`${server.url}${path}`);
        expect(res?.status(), path).toBeLessThan(500);
        const found = await page.evaluate(() => {
          const all = [...document.querySelectorAll('*')];
          return {
            xss: (window as unknown as { __xss?: number }).__xss ?? null,
            violations: (window as unknown as { __violations: string[] }).__violations,
            handlers: all.filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).map((el) => el.outerHTML.slice(0, 80)),
            badLinks: [...document.querySelectorAll('[href],[src],[action],[formaction]')].map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? el.getAttribute('formaction') ?? '')
              .filter((url) => /^\s*(javascript|data|vbscript):/i.test(url.replace(/[\u0000-\u001f\s]/g, '')) && !/^data:image\//i.test(url) && url !== 'data:,'),
            frames: document.querySelectorAll('iframe, frame, object, embed').length,
            scripts: [...document.querySelectorAll('script')].filter((s) => !(s.getAttribute('src') ?? '').startsWith('/assets/')).length,
            links: [...document.querySelectorAll('a[href^="/"]')].map((a) => a.getAttribute('href')!),
          };
        });
        expect(found.xss, path).toBeNull();
        expect(found.violations, path).toEqual([]);
        expect(found.handlers, path).toEqual([]);
        expect(found.badLinks, path).toEqual([]);
        expect(found.frames, path).toBe(0);
        expect(found.scripts, path).toBe(0);
        return found.links;
      };
      const crawl = async (start: string[], max: number) => {
        const seen = new Set<string>();
        const queue = [...start];
        while (queue.length && seen.size < max) {
          const path = queue.shift()!;
          // Actions and downloads are not pages: leave them to the other tests.
          if (seen.has(path) || /\/(logout|edit|revert|export)|\.(csv|ics|atom|json)(\?|$)|^\/assets\/|^\/feeds\//.test(path)) continue;
          seen.add(path);
          for (const link of await visit(path)) if (!seen.has(link.split('#')[0])) queue.push(link.split('#')[0]);
        }
        return seen.size;
      };
      const start = ['/', '/wiki/xss-page', '/wiki/xss-page/history', '/territories/xss-town', '/choices', '/groups', '/workshops', '/charters', '/topics', '/tools',
        '/summaries', '/search?q=script', `/search?q=${encodeURIComponent(LINE)}`, '/recent-changes', `/wiki/${encodeURIComponent('<script>')}`];
      const anonymous = await crawl(start, 90);
      const { cookie } = await testApp.loginCookie(admin.user.email);
      const [name, value] = cookie.split('=');
      await context.addCookies([{ name, value, url: server.url }]);
      const signedIn = await crawl(['/me', '/me/settings', '/admin/flags', '/admin/audit', '/admin/users', ...start], 90);
      expect(anonymous + signedIn).toBeGreaterThan(60);
      expect(missing).toEqual([]);
      const pageNotFound = /status of 404 \(Not Found\)/;
      problems.splice(0, problems.length, ...problems.filter((problem) => !pageNotFound.test(problem)));
    }, async (t, admin) => {
      const ok = async (method: string, path: string, body: unknown) => {
        const res = await t.json(method, path, body, admin.auth);
        expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
        return (await res.json()) as Record<string, any>;
      };
      const short = LINE.slice(0, 110);
      await ok('PATCH', '/api/me', { name: short });
      await ok('POST', '/api/territories', { slug: 'xss-town', name: short, kind: 'municipality', description: MARKDOWN });
      await ok('PUT', '/api/pages/xss-page', { title: short, markdown: `${MARKDOWN}\n\n${LINE}`, summary: LINE.slice(0, 400) });
      await ok('PUT', '/api/pages/xss-page', { title: short, markdown: `${MARKDOWN}\n\nsecond`, summary: 'again', baseRevision: 1 });
      await ok('POST', '/api/pages/xss-page/comments', { markdown: MARKDOWN });
      for (const visibility of ['public', 'territory']) {
        await ok('POST', '/api/choices', { title: short, description: MARKDOWN, madeOn: '2026-11-01', level: 'individual', components: ['A08'], territory: 'xss-town', visibility,
          results: [{ observedOn: '2026-11-10', text: LINE, quantity: 3, unit: '<b>kg</b>' }] });
      }
      const group = await ok('POST', '/api/groups', { name: short, kind: 'homogeneous', territory: 'xss-town', profile: LINE });
      await ok('POST', `/api/groups/${group.id}/statements`, { question: 'wellbeing', text: LINE, components: ['A08'] });
      const workshop = await ok('POST', '/api/workshops', { title: short, description: MARKDOWN, theme: short.slice(0, 90), event: short, startsAt: '2026-12-10T10:00', timeZone: 'Europe/Brussels',
        durationMinutes: 60, languages: ['en'], territory: 'xss-town', joinUrl: 'https://meet.example.org/x?<script>' });
      await ok('POST', `/api/workshops/${workshop.id}/registrations`, {});
      const charter = await ok('POST', '/api/charters', { title: short, markdown: MARKDOWN, summary: LINE.slice(0, 400) });
      await ok('POST', `/api/charters/${charter.id}/amendments`, { text: `${MARKDOWN}\n\namended`, rationale: LINE });
      await ok('POST', '/api/topics', { title: short, description: LINE });
      await ok('POST', '/api/tools', { name: short, description: MARKDOWN, url: 'https://tools.example.org/"><script>', offeredBy: short });
      await ok('POST', '/api/flags', { kind: 'page', ref: 'xss-page', reason: LINE });
    });
  }, 180_000);
});
