import { Command, Option } from 'commander';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { migrateToLatest, openDatabase } from '../db/database.js';
import { backupSqliteFile, checkIntegrity, restoreSqliteFile } from '../db/maintenance.js';
import { isSeeded, seedDemo } from '../seed/demo.js';
import { seedTaxonomy } from '../seed/taxonomy.js';
import { seedSyntheticNetwork } from '../seed/synthetic.js';
import { systemClock } from './clock.js';
import { databaseLabel, loadConfig } from './config.js';
import { AppError } from './errors.js';
import { translator } from './i18n/index.js';
import { translateIssues } from './i18n/issues.js';
import { ROLES } from './services/deps.js';
import { ACTOR_KINDS, createUserWithRole } from './services/accounts.js';
import { exportTaxonomy, importTaxonomy } from './services/criteria.js';
import { exportAccountByEmail } from './services/account-export.js';
import { importArchive } from './services/account-import.js';
import { setCoordinator } from './services/territories.js';
import { verifySummaries } from './summaries/maintenance.js';
import { applyRetention, getRetention } from './services/retention.js';

const config = loadConfig();

async function open() {
  const { db, close } = openDatabase(config);
  await migrateToLatest(db);
  return { deps: { db, clock: systemClock, config }, close };
}

const program = new Command()
  .name('journal')
  .description(`Administer Spiral Journal (database: ${databaseLabel(config)}; set DATABASE_URL for PostgreSQL, or DATABASE_PATH for another SQLite file)`)
  .showHelpAfterError();

program.command('migrate').description('Apply pending database migrations').action(async () => {
  const { db, close } = openDatabase(config);
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  await close();
});

function wholeNumber(option: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${option} takes a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`);
    return n;
  };
}

/** A one-line progress bar on a terminal (nothing when the output is a file or a pipe). */
function progressBar(started: number) {
  return (done: number, total: number) => {
    if (!process.stderr.isTTY) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')} / ${total.toLocaleString('en')} choices, ${rate.toLocaleString('en')}/s${done === total ? '\n' : ''}`);
  };
}

program
  .command('seed')
  .description('Load the SPIRAL taxonomy; with --demo, also a small demo network (only into an empty database); with --choices N, a large synthetic one')
  .option('--demo', 'add demo territories, actors and pages')
  .option('--choices <n>', 'add a synthetic network with n choices (bulk-loaded in batched transactions), for benchmarks', wholeNumber('--choices', 1, 10_000_000))
  .option('--territories <n>', 'with --choices: how many territories (countries and towns; default 300)', wholeNumber('--territories', 2, 100_000))
  .option('--actors <n>', 'with --choices: how many actors (default 5,000)', wholeNumber('--actors', 1, 10_000_000))
  .action(async (options: { demo?: boolean; choices?: number; territories?: number; actors?: number }) => {
    const { deps, close } = await open();
    if (options.choices) {
      if (await deps.db.selectFrom('territory').select('id').where('slug', '=', 'country-0').executeTakeFirst()) {
        console.log('A synthetic network is already loaded: nothing added.');
      } else {
        const started = Date.now();
        const seeded = await seedSyntheticNetwork(deps, { choices: options.choices, territories: options.territories, actors: options.actors, onProgress: progressBar(started) });
        const seconds = (Date.now() - started) / 1000;
        console.log(`Synthetic network: ${seeded.territories} territories, ${seeded.actors} actors, ${seeded.choices} choices, ${seeded.statements} statements, ${seeded.indicators} indicators, ${seeded.pages} pages in ${seconds.toFixed(1)} s (${Math.round(seeded.choices / seconds).toLocaleString('en')} choices/s overall).`);
      }
    }
    if (options.demo) {
      if (await isSeeded(deps)) console.log('The database already has territories: demo not loaded.');
      else console.log('Demo seeded:', await seedDemo(deps));
    } else if (!options.choices) {
      console.log((await seedTaxonomy(deps)) ? 'Taxonomy loaded.' : 'A taxonomy is already current.');
    }
    await close();
  });

program
  .command('verify')
  .description('Check the database file (integrity_check, foreign keys) and that the summary tables match the journal: rebuild them from the raw rows and compare (what differed is repaired)')
  .action(async () => {
    const { deps, close } = await open();
    const integrity = await checkIntegrity(deps.db);
    if (!integrity.ok) {
      console.log(`The database is damaged: ${integrity.detail}. Restore the last good backup (journal restore).`);
      process.exitCode = 3;
      await close();
      return;
    }
    console.log(`Database: ${integrity.detail}.`);
    const started = Date.now();
    const result = await verifySummaries(deps);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (!result.differences.length) console.log(`Summary tables match the journal: ${result.cells.toLocaleString('en')} cells checked in ${seconds} s.`);
    else {
      console.log(`${result.differences.length} of ${result.cells.toLocaleString('en')} summary cells had drifted from the journal (now repaired), in ${seconds} s. First ones:`);
      for (const d of result.differences.slice(0, 10)) console.log(`  ${d.cell}: kept ${d.kept ?? '(missing)'}, recounted ${d.recounted ?? '(none)'}`);
      process.exitCode = 2;
    }
    await close();
  });

program
  .command('purge')
  .description('Apply the data retention set by admins now (the server also does it every hour): expired or idle sessions, sent e-mails, read notifications and audit entries older than their periods')
  .action(async () => {
    const { deps, close } = await open();
    const retention = await getRetention(deps);
    const kept = (days: number | null) => (days === null ? 'forever' : `${days} days`);
    console.log(`Retention: idle sessions ${kept(retention.sessionsDays)}, sent e-mails ${kept(retention.outboxDays)}, read notifications ${kept(retention.readNotificationsDays)}, audit entries ${kept(retention.auditDays)}.`);
    const deleted = await applyRetention(deps);
    console.log(`Deleted ${deleted.sessions} sessions, ${deleted.outbox} sent e-mails, ${deleted.notifications} read notifications, ${deleted.audit} audit entries.`);
    await close();
  });

const user = program.command('user').description('Manage accounts');
user
  .command('create')
  .description('Create an account (use it to make the first admin)')
  .requiredOption('--email <email>', 'login email')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--password <password>', 'at least 10 characters, not a common password')
  .addOption(new Option('--role <role>', 'role').choices([...ROLES]).default('member'))
  .addOption(new Option('--kind <actorKind>', 'actor kind').choices([...ACTOR_KINDS]).default('citizen'))
  .option('--territory <slug>', 'home territory (coordinators coordinate it)')
  .action(async (options: { email: string; name: string; password: string; role: (typeof ROLES)[number]; kind: (typeof ACTOR_KINDS)[number]; territory?: string }) => {
    const { deps, close } = await open();
    await seedTaxonomy(deps);
    const created = await createUserWithRole(deps, { email: options.email, name: options.name, password: options.password, role: options.role, actorKind: options.kind, territory: options.territory });
    if (options.role === 'coordinator' && options.territory) {
      const link = await deps.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', created.id).executeTakeFirstOrThrow();
      await setCoordinator(deps, link.actor_id, options.territory);
    }
    console.log(`Created ${options.role} ${created.email} (id ${created.id}).`);
    await close();
  });

program
  .command('backup <file>')
  .description('Copy the database to <file> as it is at one instant (VACUUM INTO: safe while the server writes, and compact)')
  .action(async (file: string) => {
    if (config.databaseUrl) throw new Error('On PostgreSQL, back up with pg_dump (or the managed service\'s backups): `journal backup` copies a SQLite file.');
    if (existsSync(file)) throw new Error(`${file} exists already: choose a new file name.`);
    backupSqliteFile(config.databasePath, file);
    console.log(`Backup written to ${file} (integrity ok).`);
  });

program
  .command('restore <file>')
  .description('Restore a backup into DATABASE_PATH (or --to); checks the backup first. Stop the server before restoring.')
  .option('--to <path>', 'restore into this file instead of DATABASE_PATH')
  .option('--force', 'replace an existing database file (it is kept as <path>.before-restore)')
  .action(async (file: string, options: { to?: string; force?: boolean }) => {
    if (config.databaseUrl && !options.to) throw new Error('On PostgreSQL, restore with pg_restore: `journal restore` restores a SQLite file (or pass --to <file>).');
    const target = options.to ?? config.databasePath;
    await restoreSqliteFile(file, target, () => {
      if (existsSync(target)) {
        if (!options.force) throw new Error(`${target} exists: pass --force to replace it (the old file is kept).`);
        renameSync(target, `${target}.before-restore`);
        for (const suffix of ['-wal', '-shm']) if (existsSync(target + suffix)) renameSync(target + suffix, `${target}.before-restore${suffix}`);
      }
    });
    const { db, close } = openDatabase(target);
    await migrateToLatest(db);
    await close();
    console.log(`Restored ${file} into ${target}.`);
  });

const taxonomy = program.command('taxonomy').description('Export or import the criteria taxonomy (versioned JSON)');
taxonomy.command('export [file]').description('Write the current taxonomy as JSON (stdout without a file)').option('--version <version>', 'another version').action(async (file: string | undefined, options: { version?: string }) => {
  const { deps, close } = await open();
  const json = JSON.stringify(await exportTaxonomy(deps, options.version), null, 2);
  if (file) writeFileSync(file, json + '\n');
  else console.log(json);
  await close();
});
taxonomy.command('import <file>').description('Import a taxonomy version and make it current').option('--replace', 'overwrite the version if it exists').action(async (file: string, options: { replace?: boolean }) => {
  const { deps, close } = await open();
  console.log(await importTaxonomy(deps, null, JSON.parse(readFileSync(file, 'utf8')), { replace: options.replace }));
  await close();
});

program
  .command('export [file]')
  .description('Write the data archive of one account ("Export my data": JSON, documented in README.md, "Export format") to <file>, or to stdout; the audit log records it')
  .requiredOption('--email <email>', 'the account to export')
  .action(async (file: string | undefined, options: { email: string }) => {
    if (file && existsSync(file)) throw new Error(`${file} exists already: choose a new file name.`);
    const { deps, close } = await open();
    const json = JSON.stringify(await exportAccountByEmail(deps, options.email), null, 2);
    if (file) {
      writeFileSync(file, json + '\n', { mode: 0o600 });
      console.error(`Archive of ${options.email} written to ${file}.`);
    } else console.log(json);
    await close();
  });

program
  .command('import <file>')
  .description('Create an account on this instance from an archive written by "Export my data" (journal export): profile, actors, memberships, choices with results, watchlist, notification preferences, the pages it created where their paths are free. All or nothing.')
  .option('--email <email>', 'use this e-mail address instead of the archive\'s (it must not be in use here)')
  .action(async (file: string, options: { email?: string }) => {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file} cannot be read as JSON (${(error as Error).message}): give the file that "Export my data" downloaded.`);
    }
    const { deps, close } = await open();
    await seedTaxonomy(deps);
    try {
      const report = await importArchive(deps, data, { email: options.email });
      const i = report.imported;
      console.log(`Imported ${report.user.email} (account ${report.user.id}): ${i.actors} actor(s), ${i.memberships} membership(s), ${i.choices} choice(s) with ${i.results} result(s), ${i.pages} page(s), ${i.watchlist} watch(es), ${i.notificationPreferences} notification preference(s).`);
      if (i.territoriesCreated.length) console.log(`Territories created (at the top of the tree; move them if needed): ${i.territoriesCreated.join(', ')}.`);
      for (const s of report.skipped) console.log(`Not imported: ${s.count} ${s.what}${s.count > 1 ? '(s)' : ''}: ${s.reason}${s.refs ? ` (${s.refs.slice(0, 10).join(', ')}${s.refs.length > 10 ? ', …' : ''})` : ''}.`);
      console.log(`Temporary password, shown only now: ${report.temporaryPassword}`);
      console.log('Give it to the person over a safe channel: they log in with it and choose their own password in their settings (/me/settings).');
    } finally {
      await close();
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof AppError) {
    // Issues carry message keys: put them into words, as the API does.
    const issues = error.extra.issues ? translateIssues(translator('en'), error.extra.issues) : null;
    console.error(`Error: ${error.message}${issues ? '\n' + issues.map((i) => `  ${i.path}: ${i.message}`).join('\n') : ''}`);
  } else {
    console.error(`Error: ${(error as Error).message}`);
  }
  process.exit(1);
}
