import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { listAudit } from '../../services/audit.js';
import { Layout, formatDate } from '../../views/layout.js';
import { sendPage } from '../../views/render.js';

// The audit log for admins: what was done (territories, accounts, locks, taxonomy, deletions…), by
// whom and to what, newest first, filtered by action; works without JavaScript.

async function AuditPage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const before = Number(c.req.query('before')) || undefined;
  const action = c.req.query('action') || undefined;
  const { entries, actions, nextBefore } = await listAudit(c.get('deps'), c.get('viewer'), { limit: 50, before, action });
  return (
    <Layout c={c} title={t('admin.audit')} robots="noindex">
      <h1>{t('admin.audit')}</h1>
      <p>{t('admin.auditIntro')}</p>
      <form method="get" action="/admin/audit" class="filters">
        <label for="audit-action">{t('admin.action')}</label>
        <select id="audit-action" name="action">
          <option value="">{t('admin.allActions')}</option>
          {actions.map((name) => <option value={name} selected={name === action}>{name}</option>)}
        </select>
        <button type="submit">{t('admin.filter')}</button>
      </form>
      {entries.length ? (
        <div class="table-wrap" tabindex={0} role="region" aria-label={t('admin.audit')}>
          <table>
            <caption class="visually-hidden">{t('admin.audit')}</caption>
            <thead><tr><th scope="col">{t('admin.when')}</th><th scope="col">{t('admin.who')}</th><th scope="col">{t('admin.action')}</th><th scope="col">{t('admin.target')}</th><th scope="col">{t('admin.details')}</th></tr></thead>
            <tbody>
              {entries.map((entry) => (
                <tr>
                  <td>{formatDate(c, entry.createdAt)}</td>
                  <td>{entry.by ? `${entry.by.name} <${entry.by.email}>` : t('admin.system')}</td>
                  <td><code>{entry.action}</code></td>
                  <td><code>{entry.target}</code></td>
                  <td>{Object.keys(entry.details).length ? <code>{JSON.stringify(entry.details)}</code> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p>{t('admin.noEntries')}</p>}
      {nextBefore ? <p><a href={`/admin/audit?${new URLSearchParams({ before: String(nextBefore), ...(action ? { action } : {}) })}`}>{t('admin.older')}</a></p> : null}
    </Layout>
  );
}

export function adminPages(app: Hono<AppEnv>) {
  app.get('/admin/audit', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/admin/audit', 303);
    return sendPage(c, await AuditPage({ c }));
  });
}
