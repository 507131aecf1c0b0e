import { createApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import { seedTaxonomy } from '../seed/taxonomy.js';
import { createAccessToken, registerUser } from '../src/services/accounts.js';
import { sendDueNotifications } from '../src/services/notification-delivery.js';
import { exportMyData } from '../src/services/account-export.js';
import { importArchive } from '../src/services/account-import.js';
import { createTerritory } from '../src/services/territories.js';
import { freshBenchDatabase } from './bench-database.js';

// Issue 8: what watching costs the people who write, and what e-mail, export and import cost. In
// process (createApp on a file database, WAL and synchronous=FULL as the server runs).

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number) => Math.round(n * 100) / 100;

export interface AttentionResult {
  watchers: number;
  post: { label: string; p50: number; p95: number; p99: number }[];
  notices: number;
  digest: { people: number; mails: number; ms: number };
  export: { choices: number; ms: number; bytes: number };
  import: { ms: number; choices: number };
}

export async function attentionBench(options: { watchers?: number; writes?: number; exportChoices?: number } = {}): Promise<AttentionResult> {
  const watchers = options.watchers ?? 1_000;
  const writes = options.writes ?? 300;
  const exportChoices = options.exportChoices ?? 2_000;
  const { db, remove } = await freshBenchDatabase('attention');
  const config = testConfig({ databasePath: 'bench', rateLimitScale: 10_000, requireEmailVerification: false });
  const deps = { db, clock: systemClock, config };
  await seedTaxonomy(deps);
  const { app } = createApp(deps);
  const admin = await registerUser(deps, { email: 'admin@bench.invalid', password: 'a long bench passphrase 2026', name: 'Admin', actorKind: 'citizen', role: 'admin' });
  const adminViewer = { user: { ...admin, time_zone: null }, via: 'token' as const };
  await createTerritory(deps, adminViewer, { slug: 'region', name: 'Region', kind: 'region' });
  await createTerritory(deps, adminViewer, { slug: 'town', name: 'Town', kind: 'municipality', parent: 'region' });
  await createTerritory(deps, adminViewer, { slug: 'district', name: 'District', kind: 'district', parent: 'town' });
  const author = await registerUser(deps, { email: 'author@bench.invalid', password: 'a long bench passphrase 2026', name: 'Author', actorKind: 'citizen', territory: 'district' });
  const { token } = await createAccessToken(deps, { user: { ...author, time_zone: null }, via: 'token' }, 'bench');
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const post = async (i: number) => {
    const start = performance.now();
    const res = await app.request('http://localhost/api/choices', {
      method: 'POST', headers, body: JSON.stringify({ title: `Choice ${i}: we walk to school`, madeOn: '2026-10-15', level: 'family', components: ['A08', 'H06'], territory: 'district', visibility: 'public' }),
    });
    if (res.status !== 201) throw new Error(`POST /api/choices → ${res.status} ${await res.text()}`);
    return performance.now() - start;
  };
  const measure = async (label: string) => {
    for (let i = 0; i < 30; i++) await post(i); // warm-up
    const times: number[] = [];
    for (let i = 0; i < writes; i++) times.push(await post(i));
    times.sort((a, b) => a - b);
    return { label, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), p99: round(percentile(times, 99)) };
  };
  const results: AttentionResult['post'] = [await measure('nobody watching')];

  // Watchers spread over the region, the town, the district and the components.
  const targets = [['territory', 'region'], ['territory', 'town'], ['territory', 'district'], ['component', 'A08'], ['component', 'H06']] as const;
  const now = new Date().toISOString();
  const people: number[] = [];
  const addWatchers = async (from: number, to: number) => { for (let i = from; i < to; i++) {
    const row = await db.insertInto('user').values({ email: `w${i}@bench.invalid`, password_hash: 'x', name: `Watcher ${i}`, role: 'member', locale: 'en', time_zone: null, created_at: now, disabled_at: null, email_verified_at: now })
      .returning('id').executeTakeFirstOrThrow();
    people.push(row.id);
    const [kind, target] = targets[i % targets.length];
    await db.insertInto('watch').values({ user_id: row.id, kind, target, created_at: now, expires_at: null }).execute();
    await db.insertInto('notification_preference').values({ user_id: row.id, category: kind, frequency: 'immediate' }).execute();
  } };
  const some = Math.min(100, watchers);
  await addWatchers(0, some);
  results.push(await measure(`${some.toLocaleString('en')} people watching (territories above, components)`));
  await addWatchers(some, watchers);
  results.push(await measure(`${watchers.toLocaleString('en')} people watching`));
  const { n: notices } = await db.selectFrom('notice').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

  // Every watcher has pending notices: one pass of the mailer (as the server's minute timer runs it).
  const digestStart = performance.now();
  let mails = 0;
  for (let sent = -1; sent !== 0;) {
    sent = await sendDueNotifications(deps);
    mails += sent;
  }
  const digest = { people: watchers, mails, ms: Math.round(performance.now() - digestStart) };

  // Export and import of a journal of a few thousand choices with results.
  const viewer = { user: { ...author, time_zone: null }, via: 'token' as const };
  for (let i = 0; i < exportChoices - writes * 2 - 60; i++) {
    await app.request('http://localhost/api/choices', {
      method: 'POST', headers, body: JSON.stringify({ title: `Private choice ${i}`, madeOn: '2026-09-01', level: 'individual', components: ['B01'], territory: 'district', visibility: 'private', results: [{ observedOn: '2026-10-01', quantity: i, unit: 'km' }] }),
    });
  }
  const exportStart = performance.now();
  const archive = await exportMyData(deps, viewer);
  const exportMs = Math.round(performance.now() - exportStart);
  const bytes = Buffer.byteLength(JSON.stringify(archive));
  const target = await freshBenchDatabase('attention-import');
  const targetDeps = { db: target.db, clock: systemClock, config };
  await seedTaxonomy(targetDeps);
  const importStart = performance.now();
  const imported = await importArchive(targetDeps, archive, {});
  const importMs = Math.round(performance.now() - importStart);
  target.remove();
  remove();
  return {
    watchers, post: results, notices: Number(notices), digest,
    export: { choices: archive.choices.length, ms: exportMs, bytes },
    import: { ms: importMs, choices: imported.imported.choices },
  };
}

export function attentionMarkdown(r: AttentionResult): string {
  return [
    '`POST /api/choices` (a public choice in a district, two components), in process, server time in ms:',
    '',
    '| Watchers | p50 | p95 | p99 |',
    '|---|---:|---:|---:|',
    ...r.post.map((p) => `| ${p.label} | ${p.p50} | ${p.p95} | ${p.p99} |`),
    '',
    `Every watcher is told of each of those writes, in its transaction (${r.notices.toLocaleString('en')} notices in all by the end): the cost grows with the number of people told, about ${Math.round(((r.post[r.post.length - 1].p50 - r.post[0].p50) / r.watchers) * 1000)} µs each at the median, mostly the notice rows' index pages (one person's notices sit together, so a write told to a thousand people touches a thousand pages).`,
    `Mailing them (every watcher "at once", ${Math.round(r.notices / r.watchers)} notices each on average): ${r.digest.mails.toLocaleString('en')} messages put in the outbox in ${r.digest.ms.toLocaleString('en')} ms.`,
    `Export of a journal of ${r.export.choices.toLocaleString('en')} choices: ${r.export.ms} ms, ${(r.export.bytes / 1024 / 1024).toFixed(1)} MB of JSON; import into a fresh instance: ${r.import.ms} ms (${r.import.choices.toLocaleString('en')} choices, summaries and search included).`,
  ].join('\n');
}
