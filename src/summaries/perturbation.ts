import { PRIVACY_THRESHOLD, RECORD_KEY_SPACE } from '../../db/summary-store.js';
import type { Deps } from '../services/deps.js';

// Cell-key perturbation, as statistical offices protect flexible table builders (the Australian
// Bureau of Statistics' TableBuilder, the ONS): every counted record has a permanent random key (a
// choice, a result, a statement, an actor: migration 2026-12-05T1300); a published cell's key is the
// sum of its records' keys modulo the key space, and its noise is read from that key. So the same set
// of records always gets the same published value (asking again, or another way, averages nothing
// away), while two overlapping sets get independent noise: subtracting published figures (a region
// minus its towns, a period minus an overlapping one, a snapshot minus the next) never gives back
// an exact count or sum. Zeros stay zeros; cells resting on fewer than PRIVACY_THRESHOLD established
// actors are withheld altogether.

export const MAX_COUNT_NOISE = 2;
export const MAX_SUM_NOISE = 0.05;

/** What every summary says of how its figures are protected. */
export const PRIVACY_METHOD = {
  method: 'cell-key perturbation',
  threshold: PRIVACY_THRESHOLD,
  maxNoise: MAX_COUNT_NOISE,
  maxSumNoise: MAX_SUM_NOISE,
  explained: '/privacy#published-figures',
} as const;

/** The perturbation table: a cell key's place in the key space → the noise added to a count (mean 0). */
const COUNT_NOISE: { upTo: number; noise: number }[] = [
  { upTo: 0.1, noise: -2 }, { upTo: 0.3, noise: -1 }, { upTo: 0.7, noise: 0 }, { upTo: 0.9, noise: 1 }, { upTo: 1, noise: 2 },
];

export const cellKeyOf = (keySum: number) => ((keySum % RECORD_KEY_SPACE) + RECORD_KEY_SPACE) % RECORD_KEY_SPACE;

/** A second, independent reading of the same key (sums must not move with their counts). */
function remix(key: number): number {
  let x = Math.imul(key ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return ((x ^ (x >>> 16)) >>> 0) / 4_294_967_296;
}

/** A published count: 0 stays 0; otherwise the count plus its cell's noise, never below the threshold. */
export function perturbCount(count: number, keySum: number): number {
  if (count <= 0) return 0;
  const place = cellKeyOf(keySum) / RECORD_KEY_SPACE;
  const noise = COUNT_NOISE.find((step) => place < step.upTo)?.noise ?? 0;
  return Math.max(PRIVACY_THRESHOLD, count + noise);
}

/** A published sum: within ±MAX_SUM_NOISE of the truth, the same for the same records. */
export function perturbSum(sum: number, keySum: number): number {
  const factor = 1 + (remix(cellKeyOf(keySum)) * 2 - 1) * MAX_SUM_NOISE;
  return Math.round(sum * factor * 1000) / 1000;
}

/**
 * Actors too new to lift a cell over the threshold: those whose every representative signed up less
 * than `newAccountDays` ago or has not confirmed their address where that is asked. Without this, two
 * throw-away accounts adding their own choices to a cell of one person would reveal that person's.
 */
export async function unestablishedActors(deps: Deps): Promise<Set<number>> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.config.newAccountDays * 86_400_000).toISOString();
  const verification = deps.config.requireEmailVerification;
  // Only actors with at least one new, blocked or unconfirmed representative can be unestablished: look at those.
  const candidates = deps.db.selectFrom('user_actor as candidate').innerJoin('user as who', 'who.id', 'candidate.user_id').select('candidate.actor_id')
    .where((eb) => eb.or([eb('who.created_at', '>', cutoff), eb('who.disabled_at', 'is not', null), ...(verification ? [eb('who.email_verified_at', 'is', null)] : [])]));
  const rows = await deps.db.selectFrom('user_actor').innerJoin('user', 'user.id', 'user_actor.user_id')
    .select('user_actor.actor_id')
    .where('user_actor.actor_id', 'in', candidates)
    .groupBy('user_actor.actor_id')
    .having((eb) => {
      const established = [eb('user.created_at', '<=', cutoff), eb('user.disabled_at', 'is', null)];
      if (verification) established.push(eb('user.email_verified_at', 'is not', null));
      return eb(eb.fn.max(eb.case().when(eb.and(established)).then(1).else(0).end()), '=', 0);
    })
    .execute();
  return new Set(rows.map((r) => r.actor_id));
}
