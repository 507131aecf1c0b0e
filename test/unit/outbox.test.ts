import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers.js';
import { deliverOutbox, enqueueMail } from '../../src/services/outbox.js';

describe('the outbox', () => {
  it('sends what waits once, and keeps a failure for a later try with its reason', async () => {
    const t = await createTestApp();
    await enqueueMail(t.db, t.deps, { to: 'a@example.org', subject: 'Hello\r\nBcc: everyone@example.org', body: 'First' });
    await enqueueMail(t.db, t.deps, { to: 'b@example.org', subject: 'Second', body: 'Second' });
    const sent: string[] = [];
    const flaky = async (mail: { to: string; subject: string }) => {
      if (mail.to === 'b@example.org' && !sent.includes('retry')) {
        sent.push('retry');
        throw new Error('SMTP said no');
      }
      sent.push(`${mail.to}|${mail.subject}`);
    };
    expect(await deliverOutbox(t.deps, flaky)).toBe(1);
    const failed = await t.db.selectFrom('outbox').selectAll().where('to_address', '=', 'b@example.org').executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ sent_at: null, attempts: 1, last_error: 'SMTP said no' });
    expect(await deliverOutbox(t.deps, flaky)).toBe(1);
    expect(await deliverOutbox(t.deps, flaky)).toBe(0);
    // A subject never carries a header on a new line.
    expect(sent).toEqual(['a@example.org|Hello Bcc: everyone@example.org', 'retry', 'b@example.org|Second']);
  });
});
