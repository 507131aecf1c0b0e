import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import { invalid } from '../errors.js';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;
const COMMON_PASSWORDS = new Set<string>((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** Cost N of scrypt: 2^17 as OWASP recommends; tests lower it through the environment for speed. */
function defaultCost(): number {
  const fromEnv = Number(process.env.SCRYPT_COST);
  return Number.isInteger(fromEnv) && fromEnv >= 1024 ? fromEnv : 2 ** 17;
}

export function checkPasswordPolicy(password: string, context: string[] = []): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`, [
      { path: 'password', message: 'too_short', params: { min: MIN_PASSWORD_LENGTH } },
    ]);
  }
  if (password.length > MAX_PASSWORD_LENGTH) throw invalid('The password is too long.', [{ path: 'password', message: 'too_long' }]);
  const lowered = password.toLowerCase();
  // A name or email inside the password is fine as long as what remains is still long enough.
  const withoutContext = context.filter((c) => c && c.length >= 3).reduce((rest, c) => rest.split(c.toLowerCase()).join(''), lowered);
  if (COMMON_PASSWORDS.has(lowered) || /^(.)\1+$/.test(password) || withoutContext.length < MIN_PASSWORD_LENGTH) {
    throw invalid('This password is too common or too easy to guess; choose another.', [
      { path: 'password', message: 'too_common' },
    ]);
  }
}

export async function hashPassword(password: string, cost = defaultCost()): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, 32, { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 + 1024 * 1024 });
  return `scrypt$${cost}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !keyText) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const N = Number(n);
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(saltText, 'base64url'), expected.length, {
    N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r) + 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

/** A hash to verify against when the account does not exist, so timing does not reveal which emails exist. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-' + randomBytes(8).toString('hex'));
  return dummyHash;
}
