import { serve } from '@hono/node-server';
import pino from 'pino';
import { migrateToLatest, openDatabase } from '../db/database.js';
import { mergeSearchIndex } from '../db/search-index.js';
import { isSeeded, seedDemo } from '../seed/demo.js';
import { seedTaxonomy } from '../seed/taxonomy.js';
import { createApp } from './app.js';
import { warmSuggestions } from './services/criteria-suggest.js';
import { ensureSummaries } from './summaries/maintenance.js';
import { networkBackground } from './summaries/qualitative-sources.js';
import { getSummary } from './summaries/quantitative.js';
import { deliverOutbox, mailTransport } from './services/outbox.js';
import { sendDueNotifications } from './services/notification-delivery.js';
import { systemClock } from './clock.js';
import { databaseLabel, loadConfig } from './config.js';
import { hasUsableAdmin } from './services/accounts.js';
import { applyRetention } from './services/retention.js';

const config = loadConfig();
const logger = pino({ level: config.logLevel });
const database = openDatabase(config);
const { db } = database;
const deps = { db, clock: systemClock, config };

const applied = await migrateToLatest(db);
if (applied.length) logger.info({ applied }, 'migrations applied');
if (!(await isSeeded(deps)) && process.env.SEED_DEMO !== 'false') {
  const seeded = await seedDemo(deps);
  logger.info(seeded, 'demo network seeded on first run');
} else {
  await seedTaxonomy(deps);
}

const summarised = await ensureSummaries(deps);
if (summarised !== null) logger.info({ choices: summarised }, 'summary tables built from the journal');

const { app } = createApp({ ...deps, logger });
const adminExists = await hasUsableAdmin(deps);
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const url = `http://${info.address === '::' ? 'localhost' : info.address}:${info.port}`;
  console.log(`\nSpiral Journal is running at ${url}  (database: ${databaseLabel(config)})`);
  if (!adminExists) {
    console.log('No administrator yet. Create yours with:\n  npm run journal -- user create --email you@example.org --name "Your Name" --role admin --password "a long passphrase"\n');
  }
  // The criteria suggestion learns from what people classified: load it now, a batch at a time,
  // so that the first person to type in the picker does not wait for it.
  const started = Date.now();
  warmSuggestions(deps).then(
    () => logger.info({ ms: Date.now() - started }, 'criteria suggestion ready'),
    (error) => logger.error({ err: error }, 'criteria suggestion could not load what people classified'),
  );
  // Likewise the network's word frequencies, against which every dashboard's words are weighed, and
  // the network's default dashboard (also warming the queries every dashboard runs).
  networkBackground(deps).then(() => getSummary(deps, {}, 'en')).catch((error) => logger.error({ err: error }, 'summaries could not be prepared'));
});

// E-mail: the outbox is sent every few seconds (to the log unless SMTP_URL is set).
const transport = mailTransport(config, (mail) => logger.info({ to: mail.to, subject: mail.subject, body: mail.body }, 'e-mail (no SMTP_URL: logged, not sent)'));
let delivering = false;
const outboxTimer = setInterval(() => {
  if (delivering) return;
  delivering = true;
  deliverOutbox(deps, transport).catch((error) => logger.error({ err: error }, 'outbox delivery failed')).finally(() => (delivering = false));
}, 5_000);
outboxTimer.unref();

// Notification e-mail (immediate ones within seconds, digests when due) goes to the outbox; a pass with
// nothing pending reads only the small index of unmailed notices.
let notifying = false;
const notificationTimer = setInterval(() => {
  if (notifying) return;
  notifying = true;
  sendDueNotifications(deps).then((mails) => mails && logger.info({ mails }, 'notification e-mails queued'))
    .catch((error) => logger.error({ err: error }, 'notification e-mails failed')).finally(() => (notifying = false));
}, 15_000);
notificationTimer.unref();

// The full-text index merges its segments here, a little at a time, rather than inside a commit.
const mergeTimer = setInterval(() => {
  mergeSearchIndex(db).catch((error) => logger.error({ err: error }, 'search index merge failed'));
}, 2_000);
mergeTimer.unref();

// Data retention (set by admins at /admin/retention): applied now, then every hour.
const purge = () => applyRetention(deps).then(
  (deleted) => logger.info({ deleted }, 'data retention applied'),
  (error) => logger.error({ err: error }, 'data retention failed'),
);
void purge();
const retentionTimer = setInterval(purge, 3_600_000);
retentionTimer.unref();

// Graceful shutdown: stop accepting, let in-flight requests finish, close the database (SQLite: checkpoint the WAL).
let closing = false;
function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  server.close(() => {
    database.close().then(() => process.exit(0), () => process.exit(1));
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
