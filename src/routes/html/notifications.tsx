import type { Context, Hono } from 'hono';
import type { NotificationCategory } from '../../../db/schema.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/env.js';
import { requireViewer } from '../../http/guards.js';
import type { MessageKey } from '../../i18n/index.js';
import {
  FREQUENCIES, NOTIFICATION_CATEGORIES, getNotificationSettings, renewPersonalFeed, resubscribe, revokePersonalFeed, setNotificationFrequencies, unsubscribe,
  type Frequencies, type UnsubscribeScope,
} from '../../services/notification-delivery.js';
import { listNotices, markNoticesRead } from '../../services/notices.js';
import { WATCH_KINDS, addWatch, listWatches, removeWatch } from '../../services/watchlist.js';
import { CsrfField, ErrorSummary, FieldErrors, Layout, formatDate } from '../../views/layout.js';
import { NoticeList, categoryLabel } from '../../views/notice-list.js';
import { errorsByField, sendPage } from '../../views/render.js';
import { WATCH_DURATIONS } from '../../views/watch-button.js';
import { NotificationSettingsBody, WatchBody } from '../api/schemas.js';
import { idOf } from '../api/ids.js';
import { publicOrigin } from '../origin.js';
import { parseForm, readForm, safeNext } from './forms.js';

async function NotificationsPage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const viewer = requireViewer(c);
  const before = idOf(c.req.query('before') ?? '') || undefined;
  const notices = await listNotices(deps, viewer, { limit: 50, before });
  const unread = notices.filter((n) => !n.read);
  // Opening the page reads them: the markers show what is new on this visit, not the next one.
  await markNoticesRead(deps, viewer, unread.map((n) => n.id));
  return (
    <Layout c={c} title={t('notifications.title')} robots="noindex">
      <h1>{t('notifications.title')}</h1>
      <p class="actions"><a href="/me/watchlist">{t('watch.title')}</a> · <a href="/me/notifications/settings">{t('notifications.settings')}</a></p>
      <p role="status">{t('notifications.newCount', { count: unread.length })}</p>
      {notices.length ? <NoticeList c={c} notices={notices} /> : <p>{t('notifications.none')}</p>}
      {notices.length === 50 ? <p><a href={`/me/notifications?before=${notices[notices.length - 1].id}`}>{t('notifications.older')}</a></p> : null}
    </Layout>
  );
}

interface WatchlistState {
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

async function WatchlistPage({ c, state = {} }: { c: Context<AppEnv>; state?: WatchlistState }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const viewer = requireViewer(c);
  const [watches, changes] = await Promise.all([listWatches(deps, viewer), listNotices(deps, viewer, { limit: 50, watchedOnly: true })]);
  const unread = changes.filter((n) => !n.read);
  if (!state.errors) await markNoticesRead(deps, viewer, unread.map((n) => n.id));
  const values = state.values ?? {};
  return (
    <Layout c={c} title={t('watch.title')} robots="noindex">
      <h1>{t('watch.title')}</h1>
      <p class="actions"><a href="/me/notifications">{t('notifications.title')}</a> · <a href="/me/notifications/settings">{t('notifications.settings')}</a></p>
      <ErrorSummary c={c} errors={state.errors} />
      <section aria-labelledby="watch-changes">
        <h2 id="watch-changes">{t('watch.changes')}</h2>
        <p role="status">{t('notifications.newCount', { count: unread.length })}</p>
        {changes.length ? <NoticeList c={c} notices={changes} /> : <p>{t('watch.noChanges')}</p>}
      </section>
      <section aria-labelledby="watch-list">
        <h2 id="watch-list">{t('watch.what')}</h2>
        {watches.length ? (
          <div class="table-wrap" tabindex={0} role="region" aria-label={t('watch.what')}>
            <table>
              <thead><tr><th scope="col">{t('watch.name')}</th><th scope="col">{t('watch.kindColumn')}</th><th scope="col">{t('watch.since')}</th><th scope="col">{t('watch.until')}</th><th scope="col"><span class="visually-hidden">{t('watch.actions')}</span></th></tr></thead>
              <tbody>
                {watches.map((w) => (
                  <tr>
                    <td>{w.url ? <a href={w.url}>{w.label}</a> : w.label}{w.unread ? <> <span class="badge">{t('watch.unread', { count: w.unread })}</span></> : null}</td>
                    <td>{t(`watch.kind.${w.kind}` as MessageKey)}</td>
                    <td>{formatDate(c, w.createdAt, 'day')}</td>
                    <td>{w.expiresAt ? formatDate(c, w.expiresAt, 'day') : t('watch.noExpiry')}</td>
                    <td>
                      <form method="post" action={`/me/watchlist/${w.id}/delete`} class="inline">
                        <CsrfField c={c} />
                        <button type="submit" class="secondary" aria-label={t('watch.stopNamed', { name: w.label })}>{t('watch.stop')}</button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : <p>{t('watch.empty')}</p>}
      </section>
      <section aria-labelledby="watch-add">
        <h2 id="watch-add">{t('watch.add')}</h2>
        <form method="post" action="/me/watchlist" class="stack narrow">
          <CsrfField c={c} />
          <label for="watch-kind">{t('watch.kindLabel')}</label>
          <select id="watch-kind" name="kind">
            {WATCH_KINDS.map((kind) => <option value={kind} selected={values.kind === kind}>{t(`watch.kind.${kind}` as MessageKey)}</option>)}
          </select>
          <label for="watch-target">{t('watch.target')}</label>
          <input id="watch-target" name="target" required maxlength={300} value={values.target ?? ''} aria-describedby="watch-target-hint" aria-invalid={state.errors?.target ? 'true' : undefined} />
          <p class="hint" id="watch-target-hint">{t('watch.targetHint')}</p>
          <FieldErrors errors={state.errors} name="target" />
          <label for="watch-months">{t('watch.duration')}</label>
          <select id="watch-months" name="months">
            {WATCH_DURATIONS.map((months) => <option value={months} selected={values.months === months}>{months ? t('watch.forMonths', { count: Number(months) }) : t('watch.forever')}</option>)}
          </select>
          <button type="submit">{t('watch.start')}</button>
        </form>
      </section>
    </Layout>
  );
}

interface SettingsState {
  notice?: string;
  feedUrl?: string;
  errors?: Record<string, string>;
}

async function NotificationSettingsPage({ c, state = {} }: { c: Context<AppEnv>; state?: SettingsState }) {
  const t = c.get('t');
  const viewer = requireViewer(c);
  const settings = await getNotificationSettings(c.get('deps'), viewer);
  return (
    <Layout c={c} title={t('notifications.settings')} robots="noindex">
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href="/me/settings">{t('me.settings')}</a></li><li aria-current="page">{t('notifications.settings')}</li></ol></nav>
      <h1>{t('notifications.settings')}</h1>
      {state.notice ? <p class="notice" role="status">{state.notice}</p> : null}
      <ErrorSummary c={c} errors={state.errors} />
      <section aria-labelledby="mail-settings">
        <h2 id="mail-settings">{t('notifications.email')}</h2>
        <p>{t('notifications.emailIntro', { email: viewer.user.email })}</p>
        <form method="post" action="/me/notifications/settings" class="stack narrow">
          <CsrfField c={c} />
          {NOTIFICATION_CATEGORIES.map((category) => (
            <>
              <label for={`frequency-${category}`}>{categoryLabel(c, category)}</label>
              <select id={`frequency-${category}`} name={category} aria-describedby={`frequency-${category}-hint`}>
                {FREQUENCIES.map((f) => <option value={f} selected={settings.frequencies[category] === f}>{t(`notifications.frequency.${f}` as MessageKey)}</option>)}
              </select>
              <p class="hint" id={`frequency-${category}-hint`}>{t(`notifications.categoryHint.${category}` as MessageKey)}</p>
            </>
          ))}
          <button type="submit">{t('notifications.save')}</button>
        </form>
      </section>
      <section aria-labelledby="personal-feed">
        <h2 id="personal-feed">{t('notifications.feed')}</h2>
        <p>{t('notifications.feedIntro')}</p>
        {state.feedUrl ? (
          <>
            <label for="feed-url">{t('notifications.feedUrl')}</label>
            <input id="feed-url" readonly value={state.feedUrl} class="wide" />
            <p class="hint">{t('notifications.feedSecret')}</p>
          </>
        ) : settings.personalFeed ? <p>{t('notifications.feedOn')}</p> : null}
        <form method="post" action="/me/notifications/feed" class="inline">
          <CsrfField c={c} />
          <button type="submit">{settings.personalFeed ? t('notifications.feedRenew') : t('notifications.feedCreate')}</button>
        </form>{' '}
        {settings.personalFeed ? (
          <form method="post" action="/me/notifications/feed/delete" class="inline">
            <CsrfField c={c} />
            <button type="submit" class="secondary">{t('notifications.feedRevoke')}</button>
          </form>
        ) : null}
      </section>
    </Layout>
  );
}

/** What the undo button restores, as `page:daily,territory:immediate` (the token still decides whose and which). */
const encodeRestore = (previous: Partial<Record<NotificationCategory, string>>) => Object.entries(previous).map(([k, v]) => `${k}:${v}`).join(',');
const decodeRestore = (text: string | undefined) => Object.fromEntries((text ?? '').split(',').map((pair) => pair.split(':')).filter((pair) => pair.length === 2)) as Partial<Frequencies>;

function UnsubscribePage({ c, scope, token, undone, previous, status }: { c: Context<AppEnv>; scope?: UnsubscribeScope; token: string; undone?: boolean; previous?: Partial<Frequencies>; status?: 'invalid' }) {
  const t = c.get('t');
  const what = scope === 'all' || !scope ? t('notifications.allEmail') : categoryLabel(c, scope);
  return (
    <Layout c={c} title={t('unsubscribe.title')} robots="noindex">
      <h1>{t('unsubscribe.title')}</h1>
      {status === 'invalid' ? <p role="alert">{t('unsubscribe.invalid')}</p> : (
        <>
          <p role="status">{undone ? t('unsubscribe.undone', { what }) : t('unsubscribe.done', { what })}</p>
          {undone ? null : (
            <form method="post" action={`/unsubscribe/${token}/undo`}>
              <input type="hidden" name="restore" value={encodeRestore(previous ?? {})} />
              <button type="submit" class="secondary">{t('unsubscribe.undo')}</button>
            </form>
          )}
        </>
      )}
      <p><a href="/me/notifications/settings">{t('unsubscribe.settings')}</a></p>
    </Layout>
  );
}

/** The expiry of a watch from "for N months" in a form. */
function expiryIn(c: Context<AppEnv>, months: string | undefined): string | null {
  const n = Number(months);
  if (!months || !Number.isInteger(n) || n < 1 || n > 24) return null;
  const date = c.get('deps').clock.now();
  date.setUTCMonth(date.getUTCMonth() + n);
  return date.toISOString();
}

export function notificationPages(app: Hono<AppEnv>) {
  const signedIn = (handler: (c: Context<AppEnv>) => Promise<Response>) => async (c: Context<AppEnv>) => {
    if (!c.get('viewer')) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
    return handler(c);
  };
  app.get('/me/notifications', signedIn(async (c) => sendPage(c, await NotificationsPage({ c }))));
  app.get('/me/watchlist', signedIn(async (c) => sendPage(c, await WatchlistPage({ c }))));
  app.get('/me/notifications/settings', signedIn(async (c) => sendPage(c, await NotificationSettingsPage({ c }))));

  app.post('/me/watchlist', async (c) => {
    const values = await readForm(c);
    try {
      const input = parseForm(WatchBody, { kind: values.kind, target: values.target ?? '', expiresAt: expiryIn(c, values.months) });
      await addWatch(c.get('deps'), requireViewer(c), input);
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 404 && error.status !== 409)) throw error;
      const errors = error.status === 404 ? { target: c.get('t')('watch.notFound') } : errorsByField(c, error.extra.issues, error.message);
      return sendPage(c, await WatchlistPage({ c, state: { errors, values } }), error.status === 404 ? 404 : 400);
    }
    return c.redirect(values.next ? safeNext(values.next) : '/me/watchlist', 303);
  });

  app.post('/me/watchlist/:id/delete', async (c) => {
    const values = await readForm(c);
    await removeWatch(c.get('deps'), requireViewer(c), idOf(c.req.param('id') ?? ''));
    return c.redirect(values.next ? safeNext(values.next) : '/me/watchlist', 303);
  });

  // "Mark all as read" (the journal page's list of new notifications), back to where it was pressed.
  app.post('/me/notifications/read', async (c) => {
    const values = await readForm(c);
    await markNoticesRead(c.get('deps'), requireViewer(c));
    return c.redirect(values.next ? safeNext(values.next) : '/me/notifications', 303);
  });

  app.post('/me/notifications/settings', async (c) => {
    const viewer = requireViewer(c);
    const values = await readForm(c);
    const frequencies = Object.fromEntries(NOTIFICATION_CATEGORIES.filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
    try {
      const body = parseForm(NotificationSettingsBody, { frequencies });
      await setNotificationFrequencies(c.get('deps'), viewer, body.frequencies);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return sendPage(c, await NotificationSettingsPage({ c, state: { errors: errorsByField(c, error.extra.issues, error.message) } }), 400);
    }
    return sendPage(c, await NotificationSettingsPage({ c, state: { notice: c.get('t')('notifications.saved') } }));
  });

  app.post('/me/notifications/feed', async (c) => {
    const token = await renewPersonalFeed(c.get('deps'), requireViewer(c));
    const page = sendPage(c, await NotificationSettingsPage({ c, state: { feedUrl: `${publicOrigin(c)}/feeds/me/${token}.atom` } }));
    page.headers.set('Cache-Control', 'no-store');
    return page;
  });

  app.post('/me/notifications/feed/delete', async (c) => {
    await revokePersonalFeed(c.get('deps'), requireViewer(c));
    return sendPage(c, await NotificationSettingsPage({ c, state: { notice: c.get('t')('notifications.feedRevoked') } }));
  });

  // Unsubscribe links work without logging in: the signed token is the permission. Following the link
  // (GET) unsubscribes at once, as people expect; the page offers to undo it. Mail clients' one-click
  // button POSTs the same address (RFC 8058).
  const unsubscribeWith = (undo: boolean) => async (c: Context<AppEnv>) => {
    const token = c.req.param('token') ?? '';
    try {
      // A HEAD (link checkers) changes nothing.
      if (c.req.method === 'HEAD') return c.body(null, 200);
      const { scope, previous } = undo ? await resubscribe(c.get('deps'), token, decodeRestore((await readForm(c)).restore)) : await unsubscribe(c.get('deps'), token);
      const page = sendPage(c, UnsubscribePage({ c, scope, token, undone: undo, previous }));
      page.headers.set('Cache-Control', 'no-store');
      return page;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid_token') throw error;
      return sendPage(c, UnsubscribePage({ c, token, status: 'invalid' }), 400);
    }
  };
  app.get('/unsubscribe/:token', unsubscribeWith(false));
  app.post('/unsubscribe/:token', unsubscribeWith(false));
  app.post('/unsubscribe/:token/undo', unsubscribeWith(true));
}

