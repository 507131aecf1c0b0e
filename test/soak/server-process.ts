import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';

// The one way soak tests run the real thing: the server (src/server.ts) and the CLI in their own
// processes on a database file, and a signed-up account with an API token.

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

export function startServer(databasePath: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0', LOG_LEVEL: 'warn', RATE_LIMIT_SCALE: '100000', SCRYPT_COST: '1024' },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /running at (http:\/\/[^\s]+)/.exec(output);
      if (found) resolve({ child, base: found[1], exited });
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`server stopped (${code ?? signal}) before listening: ${output}`)));
  });
}

export const journalCli = (databasePath: string, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_PATH: databasePath } });

/** Registers an account (home territory Sines, from the demo), confirms its e-mail address with the link from the outbox, and returns an API token for it. */
export async function signUpWithToken(base: string, email: string, databasePath: string): Promise<string> {
  const headers = { 'Content-Type': 'application/json', Origin: base };
  const registered = await fetch(`${base}/api/auth/register`, { method: 'POST', headers, body: JSON.stringify({ email, password: 'a long soak-test passphrase', name: 'Soak Tester', actorKind: 'citizen', territory: 'sines' }) });
  if (registered.status !== 201) throw new Error(`registration: ${registered.status} ${await registered.text()}`);
  const cookie = registered.headers.get('set-cookie')!.split(';')[0];
  const { csrfToken } = (await registered.json()) as { csrfToken: string };
  const outbox = new SQLite(databasePath, { readonly: true });
  const mail = outbox.prepare('SELECT body FROM outbox WHERE to_address = ? ORDER BY id DESC').get(email) as { body: string };
  outbox.close();
  const token = /verify-email\?token=(\S+)/.exec(mail.body)![1];
  const confirmed = await fetch(`${base}/api/auth/verify-email`, { method: 'POST', headers, body: JSON.stringify({ token }) });
  if (confirmed.status !== 200) throw new Error(`confirmation: ${confirmed.status} ${await confirmed.text()}`);
  const created = await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { ...headers, Cookie: cookie, 'X-CSRF-Token': csrfToken }, body: JSON.stringify({ name: 'soak' }) });
  return ((await created.json()) as { token: string }).token;
}
