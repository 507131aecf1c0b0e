import { describe, expect, it } from 'vitest';
import { applyRetention, RETENTION_DEFAULTS } from '../../src/services/retention.js';
import { createTreeTestApp } from '../helpers.js';

// Data retention (issue 8): admins set how long sessions, sent e-mails, read notifications and audit
// entries are kept; applyRetention deletes exactly what is older, never unsent mail nor other settings;
// and admins' looks at personal data are in the audit log.

const DAY = 86_400_000;

describe('retention settings', () => {
  it('are read and set by admins only, validated, and every change is audited', async () => {
    const t = await createTreeTestApp();
    const member = await t.userWithToken();
    expect(await (await t.request('/api/admin/retention', { headers: t.admin.auth })).json()).toEqual(RETENTION_DEFAULTS);
    expect((await t.request('/api/admin/retention', { headers: member.auth })).status).toBe(403);
    expect((await t.request('/api/admin/retention')).status).toBe(401);

    const valid = { sessionsDays: 14, outboxDays: 7, readNotificationsDays: 60, auditDays: null };
    expect((await t.json('PUT', '/api/admin/retention', valid, member.auth)).status).toBe(403);
    for (const bad of [
      { ...valid, sessionsDays: 0 }, { ...valid, outboxDays: -3 }, { ...valid, auditDays: 1.5 }, { ...valid, readNotificationsDays: '30' },
      { ...valid, sessionsDays: 36_501 }, { sessionsDays: 14, outboxDays: 7, readNotificationsDays: 60 }, {},
    ]) {
      const res = await t.json('PUT', '/api/admin/retention', bad, t.admin.auth);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect(await (await t.request('/api/admin/retention', { headers: t.admin.auth })).json()).toEqual(RETENTION_DEFAULTS);

    const res = await t.json('PUT', '/api/admin/retention', valid, t.admin.auth);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(valid);
    expect(await (await t.request('/api/admin/retention', { headers: t.admin.auth })).json()).toEqual(valid);
    const audit = (await (await t.request('/api/admin/audit?action=retention.update', { headers: t.admin.auth })).json()) as { entries: { details: Record<string, unknown>; by: { id: number } }[] };
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ by: { id: t.admin.user.id }, details: { before: RETENTION_DEFAULTS, after: valid } });
    // The signing secret shares the table and is left alone.
    expect(await t.db.selectFrom('setting').select('key').where('key', '=', 'signing.secret').executeTakeFirst()).toBeTruthy();
  });

  it('has an admin page that works without JavaScript', async () => {
    const t = await createTreeTestApp();
    const member = await t.userWithToken();
    const admin = await t.loginCookie(t.admin.user.email);
    const post = (fields: Record<string, string>, session = admin) => t.request('/admin/retention', {
      method: 'POST', redirect: 'manual', headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: session.csrfToken, ...fields }),
    });
    expect(await (await t.request('/me/settings', { headers: { Cookie: admin.cookie } })).text()).toContain('href="/admin/retention"');
    const page = await (await t.request('/admin/retention', { headers: { Cookie: admin.cookie } })).text();
    expect(page).toContain('name="sessionsDays" type="number"');
    expect(page).toContain('value="90"');

    const saved = await post({ sessionsDays: '30', outboxDays: '', readNotificationsDays: '90', auditDays: '730' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/admin/retention?saved=1');
    expect(await (await t.request('/api/admin/retention', { headers: t.admin.auth })).json()).toEqual({ sessionsDays: 30, outboxDays: null, readNotificationsDays: 90, auditDays: 730 });

    const wrong = await post({ sessionsDays: 'soon', outboxDays: '0', readNotificationsDays: '90', auditDays: '730' });
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('value="soon"');
    expect(html).toContain('id="outboxDays-error"');
    expect(await (await t.request('/api/admin/retention', { headers: t.admin.auth })).json()).toMatchObject({ sessionsDays: 30, outboxDays: null });

    const someone = await t.loginCookie(member.user.email);
    expect((await t.request('/admin/retention', { headers: { Cookie: someone.cookie } })).status).toBe(403);
    expect((await post({ sessionsDays: '1', outboxDays: '1', readNotificationsDays: '1', auditDays: '1' }, someone)).status).toBe(403);
    expect((await t.request('/admin/retention', { redirect: 'manual' })).status).toBe(303);
  });
});

describe('applyRetention', () => {
  it('deletes exactly the expired rows, never unsent mail nor other settings', async () => {
    const t = await createTreeTestApp();
    const { user } = await t.userWithToken();
    const now = t.clock.now();
    const ago = (days: number, extraMs = 0) => new Date(now.getTime() - days * DAY - extraMs).toISOString();
    const later = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
    // Defaults: idle sessions 90 days (but the configured idle limit, 7 days, is shorter), sent e-mails 30, read notifications 180, audit 365.
    const session = (id: string, lastSeen: string, expires: string) => ({ token_hash: id, user_id: user.id, created_at: lastSeen, last_seen_at: lastSeen, expires_at: expires, user_agent: null });
    await t.db.insertInto('session').values([
      session('active', ago(1), later(20)),
      session('past-its-end', ago(0, 60_000), ago(0, 1_000)),
      session('idle-8-days', ago(8), later(20)),
      session('idle-6-days', ago(6), later(20)),
    ]).execute();
    const mail = (subject: string, created: string, sent: string | null) => ({ to_address: 'x@example.org', subject, body: '', created_at: created, sent_at: sent, last_error: null });
    await t.db.deleteFrom('outbox').execute();
    await t.db.insertInto('outbox').values([
      mail('sent long ago', ago(40), ago(31)),
      mail('sent recently', ago(40), ago(29)),
      mail('never sent', ago(400), null),
    ]).execute();
    const notice = (url: string, created: string, read: string | null) => ({ user_id: user.id, kind: 'test', params: '{}', url, created_at: created, read_at: read });
    await t.db.insertInto('notice').values([
      notice('/read-long-ago', ago(300), ago(181)),
      notice('/read-recently', ago(300), ago(179)),
      notice('/unread', ago(1000), null),
    ]).execute();
    await t.db.deleteFrom('audit_log').execute();
    await t.db.insertInto('audit_log').values([
      { user_id: null, action: 'old', target: 'x', details: '{}', created_at: ago(366) },
      { user_id: null, action: 'recent', target: 'x', details: '{}', created_at: ago(364) },
    ]).execute();
    const secret = await t.db.selectFrom('setting').select('value').where('key', '=', 'signing.secret').executeTakeFirstOrThrow();

    expect(await applyRetention(t.deps)).toEqual({ sessions: 2, outbox: 1, notifications: 1, audit: 1 });
    const left = async () => ({
      sessions: (await t.db.selectFrom('session').select('token_hash').where('user_id', '=', user.id).orderBy('token_hash').execute()).map((r) => r.token_hash),
      outbox: (await t.db.selectFrom('outbox').select('subject').orderBy('id').execute()).map((r) => r.subject),
      notices: (await t.db.selectFrom('notice').select('url').orderBy('id').execute()).map((r) => r.url),
      audit: (await t.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action),
    });
    expect(await left()).toEqual({ sessions: ['active', 'idle-6-days'], outbox: ['sent recently', 'never sent'], notices: ['/read-recently', '/unread'], audit: ['recent'] });
    expect(await t.db.selectFrom('setting').select('value').where('key', '=', 'signing.secret').executeTakeFirstOrThrow()).toEqual(secret);
    // Nothing more to do a second time.
    expect(await applyRetention(t.deps)).toEqual({ sessions: 0, outbox: 0, notifications: 0, audit: 0 });

    // Shorter periods, and "forever": a day later, a 1-day session limit ends the 6-day idle one, mail is kept.
    await t.json('PUT', '/api/admin/retention', { sessionsDays: 1, outboxDays: null, readNotificationsDays: null, auditDays: null }, t.admin.auth);
    t.clock.advance(1_000 * DAY);
    const deleted = await applyRetention(t.deps);
    expect(deleted).toMatchObject({ outbox: 0, notifications: 0, audit: 0 });
    expect(await left()).toMatchObject({ sessions: [], outbox: ['sent recently', 'never sent'], notices: ['/read-recently', '/unread'] });
  });

  it('ends sessions idle longer than the retention period even within the configured idle limit', async () => {
    const t = await createTreeTestApp();
    const { user } = await t.userWithToken();
    const { cookie } = await t.loginCookie(user.email);
    await t.json('PUT', '/api/admin/retention', { sessionsDays: 2, outboxDays: 30, readNotificationsDays: 180, auditDays: 365 }, t.admin.auth);
    t.clock.advance(DAY);
    expect((await applyRetention(t.deps)).sessions).toBe(0);
    t.clock.advance(DAY + 60_000);
    expect((await applyRetention(t.deps)).sessions).toBe(1);
    expect((await t.request('/api/me', { headers: { Cookie: cookie } })).status).toBe(401);
  });
});

describe('who accessed what', () => {
  it('records admins listing accounts, with the search, from the page and the API', async () => {
    const t = await createTreeTestApp();
    const admin = await t.loginCookie(t.admin.user.email);
    expect((await t.request('/admin/users?q=rita', { headers: { Cookie: admin.cookie } })).status).toBe(200);
    expect((await t.request('/api/admin/users?q=%40example.org&offset=0', { headers: t.admin.auth })).status).toBe(200);
    const member = await t.userWithToken();
    expect((await t.request('/api/admin/users', { headers: member.auth })).status).toBe(403);
    const audit = (await (await t.request('/api/admin/audit?action=user.list', { headers: t.admin.auth })).json()) as { entries: { details: Record<string, unknown>; by: { id: number } }[] };
    expect(audit.entries.map((e) => e.details.q)).toEqual(['@example.org', 'rita']);
    expect(audit.entries.every((e) => e.by.id === t.admin.user.id)).toBe(true);
  });
});
