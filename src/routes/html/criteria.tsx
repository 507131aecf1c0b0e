import { WatchButton } from '../../views/watch-button.js';
import { findWatch } from '../../services/watchlist.js';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { AppError } from '../../errors.js';
import { LOCALES, LOCALE_NAMES } from '../../i18n/index.js';
import { getCriterion, importTaxonomy, localisedTaxonomy, updateCriterion } from '../../services/criteria.js';
import { CsrfField, ErrorSummary, Layout } from '../../views/layout.js';
import { sendPage } from '../../views/render.js';
import { readForm } from './forms.js';

const isAdmin = (c: Context<AppEnv>) => c.get('viewer')?.user.role === 'admin';

async function CriteriaPage({ c, notice, error }: { c: Context<AppEnv>; notice?: string; error?: string }) {
  const t = c.get('t');
  const taxonomy = await localisedTaxonomy(c.get('deps'), c.get('locale'));
  const count = taxonomy.dimensions.reduce((n, d) => n + d.components.length, 0);
  return (
    <Layout c={c} title={t('criteria.title')}>
      <h1>{t('criteria.title')}</h1>
      <p>{t('criteria.intro', { dimensions: taxonomy.dimensions.length, components: count, version: taxonomy.version })}</p>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <ErrorSummary c={c} errors={{ form: error }} /> : null}
      <sj-criteria-filter label={t('criteria.filter')} empty={t('criteria.noMatch')}>
        {taxonomy.dimensions.map((d) => (
          <section class="dimension" aria-labelledby={`dim-${d.code}`} data-dimension={d.code}>
            <h2 id={`dim-${d.code}`}><a href={`/criteria/${d.code}`}><span class="code">{d.code}</span> {d.label}</a></h2>
            <ul class="components">
              {d.components.map((comp) => (
                <li data-code={comp.code} data-text={`${comp.code} ${comp.label} ${comp.description}`.toLowerCase()}>
                  <a href={`/criteria/${comp.code}`}><span class="code">{comp.code}</span> {comp.label}</a>
                  <p class="meta">{comp.description}</p>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </sj-criteria-filter>
      <section aria-labelledby="taxonomy-data">
        <h2 id="taxonomy-data">{t('criteria.data')}</h2>
        <p><a href="/api/criteria/export" download>{t('criteria.export')}</a> · <a href={`/api/criteria?lang=${c.get('locale')}`}>JSON</a></p>
        {isAdmin(c) ? (
          <form method="post" action="/criteria/import" class="stack" enctype="multipart/form-data">
            <CsrfField c={c} />
            <label for="taxonomy-file">{t('criteria.importFile')}</label>
            <input id="taxonomy-file" type="file" name="file" accept="application/json,.json" required />
            <label><input type="checkbox" name="replace" value="true" /> {t('criteria.replace')}</label>
            <button type="submit">{t('criteria.import')}</button>
          </form>
        ) : null}
      </section>
    </Layout>
  );
}

async function CriterionPage({ c, code, notice }: { c: Context<AppEnv>; code: string; notice?: string }) {
  const t = c.get('t');
  const criterion = await getCriterion(c.get('deps'), code, c.get('locale'));
  const watch = criterion.kind === 'component' ? await findWatch(c.get('deps'), c.get('viewer'), 'component', criterion.code) : null;
  return (
    <Layout c={c} title={`${criterion.code} ${criterion.label}`}>
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb">
        <ol>
          <li><a href="/criteria">{t('criteria.title')}</a></li>
          {criterion.kind === 'component' ? <li><a href={`/criteria/${criterion.dimension.code}`}>{criterion.dimension.code} {criterion.dimension.label}</a></li> : null}
          <li aria-current="page">{criterion.code}</li>
        </ol>
      </nav>
      <h1><span class="code">{criterion.code}</span> {criterion.label}</h1>
      {criterion.kind === 'component' ? <WatchButton c={c} kind="component" target={criterion.code} watch={watch} /> : null}
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <p>{criterion.description}</p>
      {criterion.components.length ? (
        <ul>{criterion.components.map((comp) => <li><a href={`/criteria/${comp.code}`}><span class="code">{comp.code}</span> {comp.label}</a></li>)}</ul>
      ) : null}
      {criterion.kind === 'component' && (criterion.crosswalk.oecd?.length || criterion.crosswalk.sdg?.length) ? (
        <dl>
          {criterion.crosswalk.oecd?.length ? <><dt>{t('criteria.oecd')}</dt><dd>{criterion.crosswalk.oecd.join(', ')}</dd></> : null}
          {criterion.crosswalk.sdg?.length ? <><dt>{t('criteria.sdg')}</dt><dd>{criterion.crosswalk.sdg.map((n) => `SDG ${n}`).join(', ')}</dd></> : null}
        </dl>
      ) : null}
      <table>
        <caption>{t('criteria.translations')}</caption>
        <thead><tr><th scope="col">{t('field.language')}</th><th scope="col">{t('criteria.label')}</th><th scope="col">{t('criteria.description')}</th></tr></thead>
        <tbody>{LOCALES.map((l) => <tr><th scope="row">{LOCALE_NAMES[l]}</th><td lang={l}>{criterion.labels[l]}</td><td lang={l}>{criterion.descriptions[l]}</td></tr>)}</tbody>
      </table>
      {isAdmin(c) ? (
        <form method="post" action={`/criteria/${criterion.code}`} class="stack">
          <CsrfField c={c} />
          <h2>{t('criteria.edit')}</h2>
          {LOCALES.map((l) => (
            <fieldset>
              <legend>{LOCALE_NAMES[l]}</legend>
              <label for={`label-${l}`}>{t('criteria.label')}</label>
              <input id={`label-${l}`} name={`label_${l}`} value={criterion.labels[l] ?? ''} maxlength={300} required lang={l} />
              <label for={`description-${l}`}>{t('criteria.description')}</label>
              <textarea id={`description-${l}`} name={`description_${l}`} rows={3} maxlength={2000} lang={l}>{criterion.descriptions[l] ?? ''}</textarea>
            </fieldset>
          ))}
          <button type="submit">{t('form.save')}</button>
        </form>
      ) : null}
    </Layout>
  );
}

export function criteriaPages(app: Hono<AppEnv>) {
  app.get('/criteria', async (c) => sendPage(c, await CriteriaPage({ c })));
  app.post('/criteria/import', async (c) => {
    const body = await c.req.parseBody();
    const file = body.file;
    let document: unknown;
    try {
      document = JSON.parse(typeof file === 'string' ? file : await (file as File).text());
    } catch {
      return sendPage(c, await CriteriaPage({ c, error: c.get('t')('criteria.badJson') }), 400);
    }
    try {
      if (!isAdmin(c)) throw new AppError(403, 'forbidden', 'Only admins can import a taxonomy.');
      const result = await importTaxonomy(c.get('deps'), c.get('viewer'), document, { replace: body.replace === 'true' });
      return sendPage(c, await CriteriaPage({ c, notice: c.get('t')('criteria.imported', { version: result.version, components: result.components }) }));
    } catch (error) {
      if (!(error instanceof AppError) || ![400, 409].includes(error.status)) throw error;
      const details = (error.extra.issues ?? []).slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ');
      return sendPage(c, await CriteriaPage({ c, error: `${error.message} ${details}` }), error.status as 400 | 409);
    }
  });
  app.get('/criteria/:code', async (c) => sendPage(c, await CriterionPage({ c, code: c.req.param('code') })));
  app.post('/criteria/:code', async (c) => {
    const form = await readForm(c);
    const pick = (prefix: string) => Object.fromEntries(LOCALES.map((l) => [l, form[`${prefix}_${l}`] ?? '']));
    await updateCriterion(c.get('deps'), c.get('viewer'), c.req.param('code'), { labels: pick('label'), descriptions: pick('description') });
    return sendPage(c, await CriterionPage({ c, code: c.req.param('code'), notice: c.get('t')('form.saved') }));
  });
}
