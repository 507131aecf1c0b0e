import { createTransport } from 'nodemailer';
import type { Db } from '../../db/database.js';
import type { Config } from '../config.js';
import type { Deps } from './deps.js';
import { nowIso } from './deps.js';

// E-mail goes through an outbox table: written in the same transaction as what it announces (so a
// rolled-back registration sends nothing), sent afterwards by a worker with retries. The transport
// is SMTP when SMTP_URL is set, else the log (development).

export interface Mail {
  to: string;
  subject: string;
  body: string;
  /** Extra headers (List-Unsubscribe…). */
  headers?: Record<string, string>;
}

export async function enqueueMail(db: Db, deps: Pick<Deps, 'clock'>, mail: Mail): Promise<void> {
  await db.insertInto('outbox').values({ to_address: mail.to, subject: mail.subject.replace(/[\r\n]+/g, ' ').slice(0, 300), body: mail.body, headers: mail.headers ? JSON.stringify(mail.headers) : null, created_at: nowIso(deps), sent_at: null, last_error: null }).execute();
}

export type MailTransport = (mail: Mail & { from: string }) => Promise<void>;

export function mailTransport(config: Config, log: (mail: Mail) => void): MailTransport {
  if (!config.smtpUrl) return async (mail) => log(mail);
  const smtp = createTransport(config.smtpUrl);
  return async (mail) => {
    await smtp.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.body, headers: mail.headers });
  };
}

/** After this many failed attempts a message is given up on (and kept until the retention period ends). */
export const MAX_ATTEMPTS = 5;

/** Sends what is waiting (oldest first); a failure is recorded and retried on a later pass. */
export async function deliverOutbox(deps: Deps, transport: MailTransport, limit = 20): Promise<number> {
  const pending = await deps.db.selectFrom('outbox').selectAll().where('sent_at', 'is', null).where('attempts', '<', MAX_ATTEMPTS).orderBy('id').limit(limit).execute();
  let sent = 0;
  for (const mail of pending) {
    try {
      await transport({ from: deps.config.mailFrom, to: mail.to_address, subject: mail.subject, body: mail.body, headers: mail.headers ? JSON.parse(mail.headers) as Record<string, string> : undefined });
      await deps.db.updateTable('outbox').set({ sent_at: nowIso(deps), attempts: mail.attempts + 1, last_error: null }).where('id', '=', mail.id).execute();
      sent++;
    } catch (error) {
      await deps.db.updateTable('outbox').set({ attempts: mail.attempts + 1, last_error: String((error as Error).message ?? error).slice(0, 500) }).where('id', '=', mail.id).execute();
    }
  }
  return sent;
}
