import { MAX_ATTEMPTS } from './outbox.js';
import { type Deps, type Viewer, requireAdmin } from './deps.js';
import { recordAudit } from './audit.js';

// Data retention: records about people that serve nobody once they are old are deleted on a schedule
// the admins set (the server applies it hourly, `journal purge` at once). Each period is whole days,
// or null to keep forever. Stored in the `setting` table under `retention.*`; other settings there
// (the signing secret above all) are never read or touched here.

export interface Retention {
  /** Sessions idle this long are ended and deleted (expired ones always are). */
  sessionsDays: number | null;
  /** E-mails sent this long ago leave the outbox (unsent ones always stay). */
  outboxDays: number | null;
  /** Notifications read this long ago are deleted (unread ones always stay). */
  readNotificationsDays: number | null;
  /** Audit entries this old are deleted. */
  auditDays: number | null;
}

export const RETENTION_DEFAULTS: Readonly<Retention> = { sessionsDays: 90, outboxDays: 30, readNotificationsDays: 180, auditDays: 365 };
export const RETENTION_FIELDS = Object.keys(RETENTION_DEFAULTS) as (keyof Retention)[];

const KEEP_FOREVER = 'forever';
const settingKey = (field: keyof Retention) => `retention.${field}`;
const DAY_MS = 86_400_000;

function parseDays(raw: string | undefined, fallback: number | null): number | null {
  if (raw === undefined) return fallback;
  if (raw === KEEP_FOREVER) return null;
  const days = Number(raw);
  return Number.isInteger(days) && days >= 1 ? days : fallback;
}

/** The periods in force (defaults for any an admin never set); public: the privacy page states them. */
export async function getRetention(deps: Pick<Deps, 'db'>): Promise<Retention> {
  const rows = await deps.db.selectFrom('setting').select(['key', 'value']).where('key', 'in', RETENTION_FIELDS.map(settingKey)).execute();
  const stored = new Map(rows.map((row) => [row.key, row.value]));
  return Object.fromEntries(RETENTION_FIELDS.map((field) => [field, parseDays(stored.get(settingKey(field)), RETENTION_DEFAULTS[field])])) as unknown as Retention;
}

export async function retentionForAdmin(deps: Deps, viewer: Viewer | null): Promise<Retention> {
  requireAdmin(viewer, 'Only admins set data retention.');
  return getRetention(deps);
}

/** Sets all four periods (admins); the change, before and after, goes to the audit log. */
export async function updateRetention(deps: Deps, viewer: Viewer | null, input: Retention): Promise<Retention> {
  const admin = requireAdmin(viewer, 'Only admins set data retention.');
  const after: Retention = { sessionsDays: input.sessionsDays, outboxDays: input.outboxDays, readNotificationsDays: input.readNotificationsDays, auditDays: input.auditDays };
  await deps.db.transaction().execute(async (trx) => {
    const before = await getRetention({ db: trx });
    for (const field of RETENTION_FIELDS) {
      const value = after[field] === null ? KEEP_FOREVER : String(after[field]);
      await trx.insertInto('setting').values({ key: settingKey(field), value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    }
    await recordAudit({ ...deps, db: trx }, admin.user.id, 'retention.update', 'setting/retention', { before, after });
  });
  return after;
}

export interface RetentionCounts {
  sessions: number;
  outbox: number;
  notifications: number;
  audit: number;
}

/**
 * Deletes what the periods in force say is too old: sessions past their end or idle too long (the
 * configured idle limit or the retention period, whichever is shorter), e-mails sent before the
 * cut-off (never unsent ones), notifications read before it (never unread ones), and old audit
 * entries. Each delete stands alone: nothing here needs the others to succeed.
 */
/** How long a session may stay idle: the configured limit, or the retention period when that is shorter. */
export function sessionIdleMinutes(config: Pick<Deps['config'], 'sessionIdleMinutes'>, retention: Pick<Retention, 'sessionsDays'>): number {
  return retention.sessionsDays === null ? config.sessionIdleMinutes : Math.min(config.sessionIdleMinutes, retention.sessionsDays * 1440);
}

export async function applyRetention(deps: Deps): Promise<RetentionCounts> {
  const retention = await getRetention(deps);
  const now = deps.clock.now();
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const deleted = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

  // A session idle past the configured limit no longer works (resolveSession refuses it): its row goes too.
  const idleCutoff = new Date(now.getTime() - sessionIdleMinutes(deps.config, retention) * 60_000).toISOString();
  const sessions = deleted(await deps.db.deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<', now.toISOString()), eb('last_seen_at', '<', idleCutoff)])).executeTakeFirst());

  // Sent mail, and mail given up on after every attempt failed; never mail still waiting to go.
  const outboxCutoff = retention.outboxDays === null ? null : before(retention.outboxDays);
  const outbox = outboxCutoff === null ? 0 : deleted(await deps.db.deleteFrom('outbox')
    .where((eb) => eb.or([
      eb.and([eb('sent_at', 'is not', null), eb('sent_at', '<', outboxCutoff)]),
      eb.and([eb('sent_at', 'is', null), eb('attempts', '>=', MAX_ATTEMPTS), eb('created_at', '<', outboxCutoff)]),
    ])).executeTakeFirst());
  // Watches past their expiry say nothing more; they go whatever the settings.
  await deps.db.deleteFrom('watch').where('expires_at', '<=', now.toISOString()).execute();

  const notifications = retention.readNotificationsDays === null ? 0 : deleted(await deps.db.deleteFrom('notice')
    .where('read_at', 'is not', null).where('read_at', '<', before(retention.readNotificationsDays)).executeTakeFirst());

  const audit = retention.auditDays === null ? 0 : deleted(await deps.db.deleteFrom('audit_log')
    .where('created_at', '<', before(retention.auditDays)).executeTakeFirst());

  return { sessions, outbox, notifications, audit };
}
