import { readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { renderMarkdown } from '../../markdown/render.js';
import { PROJECT_ROOT } from '../../project-root.js';
import { Layout } from '../../views/layout.js';
import { sendPage } from '../../views/render.js';
import { TrustedHtml } from '../../views/trusted-html.js';

// The export format is documented once, in README.md ("Export format"); this page shows that section
// so that the settings page can link to it and the two never disagree.

let rendered: string | null = null;

function formatSection(): string {
  if (rendered === null) {
    const readme = readFileSync(`${PROJECT_ROOT}README.md`, 'utf8');
    const start = readme.indexOf('\n## Export format\n');
    const end = start < 0 ? -1 : readme.indexOf('\n## ', start + 1);
    // Our own file, rendered like any wiki page (markdown-it, html disabled).
    rendered = start < 0 ? '' : renderMarkdown(readme.slice(start + 1, end < 0 ? undefined : end).replace(/^## Export format\n/, '')).html;
  }
  return rendered;
}

export function exportFormatPages(app: Hono<AppEnv>) {
  app.get('/help/export-format', (c) => {
    const t = c.get('t');
    return sendPage(c, (
      <Layout c={c} title={t('export.helpTitle')}>
        <h1>{t('export.helpTitle')}</h1>
        <p>{t('export.helpIntro')}</p>
        <div lang="en"><TrustedHtml class="prose" html={formatSection()} /></div>
      </Layout>
    ));
  });
}
