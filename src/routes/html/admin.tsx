import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { requireViewer } from '../../http/guards.js';
import { listAudit } from '../../services/audit.js';
import { blockAccount, listAccounts, unblockAccount } from '../../services/moderation.js';
import { CsrfField, ErrorSummary, FieldErrors, Layout, formatDate } from '../../views/layout.js';
import { errorsByField, sendPage } from '../../views/render.js';
import { parseForm, readForm } from './forms.js';
import { BlockBody, RetentionBody } from '../api/schemas.js';
import { AppError } from '../../errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { RETENTION_FIELDS, retentionForAdmin, updateRetention } from '../../services/retention.js';
import { idOf } from '../api/ids.js';

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

/** Accounts for admins: find someone by name or e-mail, block (with a reason) or unblock them. */
async function AccountsPage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const q = c.req.query('q') ?? '';
  const page = Math.max(0, Number(c.req.query('page')) || 0);
  const { accounts, more } = await listAccounts(c.get('deps'), c.get('viewer'), { q, limit: 50, offset: page * 50 });
  const done = c.req.query('done');
  const me = c.get('viewer')?.user.id;
  return (
    <Layout c={c} title={t('admin.accounts')} robots="noindex">
      <h1>{t('admin.accounts')}</h1>
      <p>{t('admin.accountsIntro')} <a href="/admin/audit">{t('admin.audit')}</a></p>
      {done === 'blocked' ? <p class="notice" role="status">{t('admin.blocked')}</p> : done === 'unblocked' ? <p class="notice" role="status">{t('admin.unblocked')}</p> : null}
      <form method="get" action="/admin/users" class="filters" role="search">
        <label for="account-q">{t('admin.findAccount')}</label>
        <input id="account-q" name="q" value={q} maxlength={200} />
        <button type="submit">{t('admin.filter')}</button>
      </form>
      <div class="table-wrap" tabindex={0} role="region" aria-label={t('admin.accounts')}>
        <table>
          <caption class="visually-hidden">{t('admin.accounts')}</caption>
          <thead><tr><th scope="col">{t('field.name')}</th><th scope="col">{t('field.email')}</th><th scope="col">{t('admin.role')}</th><th scope="col">{t('me.created')}</th><th scope="col">{t('admin.state')}</th></tr></thead>
          <tbody>
            {accounts.map((account) => (
              <tr>
                <td>{account.name}</td>
                <td>{account.email}</td>
                <td>{t(`role.${account.role}`)}</td>
                <td>{formatDate(c, account.createdAt)}</td>
                <td>
                  {account.blockedAt ? (
                    <form method="post" action={`/admin/users/${account.id}/unblock`} class="inline">
                      <CsrfField c={c} />
                      <span>{t('admin.blockedSince', { date: formatDate(c, account.blockedAt) })}</span>{' '}
                      <button type="submit" aria-label={t('admin.unblockNamed', { name: account.name })}>{t('admin.unblock')}</button>
                    </form>
                  ) : account.id === me ? t('admin.you') : (
                    <form method="post" action={`/admin/users/${account.id}/block`} class="inline">
                      <CsrfField c={c} />
                      <label for={`reason-${account.id}`} class="visually-hidden">{t('admin.reasonFor', { name: account.name })}</label>
                      <input id={`reason-${account.id}`} name="reason" required maxlength={500} placeholder={t('admin.reason')} />{' '}
                      <button type="submit" class="danger" aria-label={t('admin.blockNamed', { name: account.name })}>{t('admin.block')}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more ? <p><a href={`/admin/users?${new URLSearchParams({ q, page: String(page + 1) })}`}>{t('admin.moreAccounts')}</a></p> : null}
    </Layout>
  );
}

/** Data retention for admins: how many days each kind of record is kept (empty: forever). */
async function RetentionPage({ c, values, errors }: { c: Context<AppEnv>; values?: Record<string, string>; errors?: Record<string, string> }) {
  const t = c.get('t');
  const current = await retentionForAdmin(c.get('deps'), c.get('viewer'));
  const shown = values ?? Object.fromEntries(RETENTION_FIELDS.map((field) => [field, current[field] === null ? '' : String(current[field])]));
  return (
    <Layout c={c} title={t('retention.title')} robots="noindex">
      <h1>{t('retention.title')}</h1>
      <p>{t('retention.intro')} <a href="/privacy">{t('retention.privacyPage')}</a></p>
      {c.req.query('saved') ? <p class="notice" role="status">{t('retention.saved')}</p> : null}
      <ErrorSummary c={c} errors={errors} />
      <form method="post" action="/admin/retention" class="stack narrow">
        <CsrfField c={c} />
        {RETENTION_FIELDS.map((field) => (
          <>
            <label for={field}>{t(`retention.${field}` as MessageKey)}</label>
            <input id={field} name={field} type="number" inputmode="numeric" min={1} max={36500} step={1} value={shown[field] ?? ''}
              aria-describedby={errors?.[field] ? `${field}-hint ${field}-error` : `${field}-hint`} aria-invalid={errors?.[field] ? 'true' : undefined} />
            <p class="hint" id={`${field}-hint`}>{t(`retention.${field}Hint` as MessageKey)}</p>
            <FieldErrors errors={errors} name={field} />
          </>
        ))}
        <button type="submit">{t('form.save')}</button>
      </form>
      <p>{t('retention.schedule')} <code>npm run journal -- purge</code></p>
    </Layout>
  );
}

export function adminPages(app: Hono<AppEnv>) {
  app.get('/admin/retention', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/admin/retention', 303);
    return sendPage(c, await RetentionPage({ c }));
  });
  app.post('/admin/retention', async (c) => {
    const values = await readForm(c);
    try {
      // An empty field keeps that kind of record forever; anything else must be a whole number of days.
      const input = parseForm(RetentionBody, Object.fromEntries(RETENTION_FIELDS.map((field) => {
        const raw = (values[field] ?? '').trim();
        return [field, raw === '' ? null : Number(raw)];
      })));
      await updateRetention(c.get('deps'), requireViewer(c), input);
      return c.redirect('/admin/retention?saved=1', 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return sendPage(c, await RetentionPage({ c, values, errors: errorsByField(c, error.extra.issues, error.message) }), 400);
    }
  });
  app.get('/admin/users', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/admin/users', 303);
    return sendPage(c, await AccountsPage({ c }));
  });
  app.post('/admin/users/:id{[0-9]+}/block', async (c) => {
    const { reason } = parseForm(BlockBody, await readForm(c));
    await blockAccount(c.get('deps'), requireViewer(c), idOf(c.req.param('id') ?? ''), reason);
    return c.redirect('/admin/users?done=blocked', 303);
  });
  app.post('/admin/users/:id{[0-9]+}/unblock', async (c) => {
    await unblockAccount(c.get('deps'), requireViewer(c), idOf(c.req.param('id') ?? ''));
    return c.redirect('/admin/users?done=unblocked', 303);
  });
  app.get('/admin/audit', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/admin/audit', 303);
    return sendPage(c, await AuditPage({ c }));
  });
}
