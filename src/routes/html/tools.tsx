import type { Context, Hono } from 'hono';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/env.js';
import { requireViewer } from '../../http/guards.js';
import { createTool, getTool, listTools, proposeToTool } from '../../services/tools.js';
import { ToolBody, ToolProposalBody } from '../api/schemas.js';
import { CsrfField, ErrorSummary, FieldErrors, Layout, formatDate } from '../../views/layout.js';
import { TrustedHtml } from '../../views/trusted-html.js';
import { errorsByField, sendPage } from '../../views/render.js';
import { LANGUAGE_CHOICES, languageName } from '../../views/languages.js';
import { emptyToUndefined, parseForm, readForm, readFormList } from './forms.js';

// The tools catalogue: list, a page per tool (what it is, who offers it, where it was used, proposals), and the forms.

const isFormError = (error: unknown): error is AppError => error instanceof AppError && error.status === 400;

async function ToolsPage({ c, values = {}, languages, errors }: { c: Context<AppEnv>; values?: Record<string, string>; languages?: string[]; errors?: Record<string, string> }) {
  const t = c.get('t');
  const language = c.req.query('language') || undefined;
  const tools = await listTools(c.get('deps'), { lang: language });
  return (
    <Layout c={c} title={t('tools.title')}>
      <h1>{t('tools.title')}</h1>
      <p>{t('tools.intro')}</p>
      <form method="get" action="/tools" class="inline-form" aria-label={t('tools.filter')}>
        <label for="t-lang">{t('workshops.language')}</label>
        <select id="t-lang" name="language"><option value="">{t('workshops.any')}</option>{LANGUAGE_CHOICES.map((l) => <option value={l} selected={language === l}>{languageName(c, l)}</option>)}</select>
        <button type="submit" class="secondary">{t('choices.apply')}</button>
      </form>
      {tools.length ? (
        <ul class="group-list">
          {tools.map((tool) => (
            <li>
              <a href={tool.url}>{tool.name}</a>
              <p class="meta">{[tool.offeredBy ? t('tools.offeredBy', { network: tool.offeredBy }) : null, tool.languages.map((l) => languageName(c, l)).join(', ') || null].filter(Boolean).join(' · ')}</p>
            </li>
          ))}
        </ul>
      ) : <p>{t('tools.none')}</p>}
      {c.get('viewer') ? (
        <section aria-labelledby="add-tool">
          <h2 id="add-tool">{t('tools.add')}</h2>
          <ErrorSummary c={c} errors={errors} />
          <form method="post" action="/tools" class="stack">
            <CsrfField c={c} />
            <label for="tool-name">{t('tools.fieldName')}</label>
            <input id="tool-name" name="name" required maxlength={120} value={values.name ?? ''} />
            <FieldErrors errors={errors} name="name" />
            <label for="tool-description">{t('tools.fieldDescription')}</label>
            <textarea id="tool-description" name="description" rows={4} required>{values.description ?? ''}</textarea>
            <FieldErrors errors={errors} name="description" />
            <label for="tool-url">{t('tools.fieldUrl')}</label>
            <input id="tool-url" name="url" type="url" maxlength={500} value={values.url ?? ''} placeholder="https://" />
            <FieldErrors errors={errors} name="url" />
            <label for="tool-offered">{t('tools.fieldOfferedBy')}</label>
            <input id="tool-offered" name="offeredBy" maxlength={200} value={values.offeredBy ?? ''} />
            <fieldset>
              <legend>{t('tools.fieldLanguages')}</legend>
              {LANGUAGE_CHOICES.map((l) => <label class="choice-option"><input type="checkbox" name="languages" value={l} checked={(languages ?? []).includes(l)} /> {languageName(c, l)}</label>)}
            </fieldset>
            <button type="submit">{t('tools.addButton')}</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

async function ToolPage({ c, errors, values = {}, notice }: { c: Context<AppEnv>; errors?: Record<string, string>; values?: Record<string, string>; notice?: string }) {
  const t = c.get('t');
  const tool = await getTool(c.get('deps'), c.req.param('slug') ?? '');
  return (
    <Layout c={c} title={tool.name}>
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href="/tools">{t('tools.title')}</a></li><li aria-current="page">{tool.name}</li></ol></nav>
      <h1>{tool.name}</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <p class="meta">{[tool.offeredBy ? t('tools.offeredBy', { network: tool.offeredBy }) : null, tool.languages.map((l) => languageName(c, l)).join(', ') || null].filter(Boolean).join(' · ')}</p>
      <TrustedHtml class="prose" html={tool.descriptionHtml} />
      {tool.link ? <p><a class="button secondary" href={tool.link} rel="noopener noreferrer">{t('tools.open')}</a></p> : null}
      <section aria-labelledby="used-in">
        <h2 id="used-in">{t('tools.usedIn')}</h2>
        {tool.usedIn.workshops.length || tool.usedIn.choices.length ? (
          <ul>
            {tool.usedIn.workshops.map((w) => <li>{t('tools.workshop')}: <a href={w.url}>{w.title}</a> · {formatDate(c, w.startsAt)}</li>)}
            {tool.usedIn.choices.map((ch) => <li>{t('tools.choice')}: <a href={ch.url}>{ch.title}</a></li>)}
          </ul>
        ) : <p>{t('tools.notUsed')}</p>}
      </section>
      <section aria-labelledby="proposals">
        <h2 id="proposals">{t('tools.proposals')}</h2>
        {tool.proposals.length ? (
          <ul class="statements">{tool.proposals.map((p) => <li><p><span class="badge">{t(p.kind === 'new' ? 'tools.kindNew' : 'tools.kindImprovement')}</span> {p.text}</p><p class="meta">{p.author ?? '—'} · {formatDate(c, p.createdAt)}</p></li>)}</ul>
        ) : <p>{t('tools.noProposals')}</p>}
        {c.get('viewer') ? (
          <form method="post" action={`${tool.url}/proposals`} class="stack">
            <CsrfField c={c} />
            <ErrorSummary c={c} errors={errors} />
            <fieldset>
              <legend>{t('tools.proposalKind')}</legend>
              <label class="choice-option"><input type="radio" name="kind" value="improvement" checked={values.kind !== 'new'} /> {t('tools.kindImprovement')}</label>
              <label class="choice-option"><input type="radio" name="kind" value="new" checked={values.kind === 'new'} /> {t('tools.kindNew')}</label>
            </fieldset>
            <label for="proposal-text">{t('tools.proposalText')}</label>
            <textarea id="proposal-text" name="text" rows={3} required>{values.text ?? ''}</textarea>
            <FieldErrors errors={errors} name="text" />
            <button type="submit">{t('tools.propose')}</button>
          </form>
        ) : null}
      </section>
    </Layout>
  );
}

export function toolPages(app: Hono<AppEnv>) {
  app.get('/tools', async (c) => sendPage(c, await ToolsPage({ c })));
  app.post('/tools', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    const languages = await readFormList(c, 'languages');
    try {
      const v = emptyToUndefined(values) as Record<string, string | undefined>;
      const slug = await createTool(c.get('deps'), c.get('viewer'), parseForm(ToolBody, { ...v, languages, url: v.url ?? null }));
      return c.redirect(`/tools/${slug}?added=1`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await ToolsPage({ c, values, languages, errors: errorsByField(c, error.extra.issues, error.message) }), 400);
    }
  });
  app.get('/tools/:slug{[^/]+}', async (c) => sendPage(c, await ToolPage({ c, notice: c.req.query('added') ? c.get('t')('tools.added') : c.req.query('proposed') ? c.get('t')('tools.proposed') : undefined })));
  app.post('/tools/:slug{[^/]+}/proposals', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    try {
      await proposeToTool(c.get('deps'), c.get('viewer'), c.req.param('slug'), parseForm(ToolProposalBody, emptyToUndefined(values)));
      return c.redirect(`/tools/${encodeURIComponent(c.req.param('slug'))}?proposed=1#proposals`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await ToolPage({ c, values, errors: errorsByField(c, error.extra.issues, error.message) }), 400);
    }
  });
}
