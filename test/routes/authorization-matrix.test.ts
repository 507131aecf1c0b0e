import { describe, expect, it } from 'vitest';
import { createTreeTestApp } from '../helpers.js';

// Who may read and change a journal entry, table by table: every role (anonymous, the author, another
// member of the same territory, a member of another territory, a facilitator, a coordinator of the
// territory above, an admin) against one private, one territory-only and one public choice, through
// every way in: the choice itself, its history, lists, exports, feeds, search, pages and summaries'
// words. And who may change or delete it (only its author), whatever their role.

type Role = 'anonymous' | 'author' | 'sameTerritory' | 'otherTerritory' | 'facilitator' | 'coordinatorAbove' | 'admin';
const ROLES: Role[] = ['anonymous', 'author', 'sameTerritory', 'otherTerritory', 'facilitator', 'coordinatorAbove', 'admin'];
const SEES: Record<'private' | 'territory' | 'public', Role[]> = {
  private: ['author'],
  territory: ['author', 'sameTerritory', 'coordinatorAbove'],
  public: ROLES,
};

describe('the authorization matrix of journal entries', () => {
  it('lets each role read exactly what the visibility rule allows, everywhere, and only the author change it', async () => {
    const t = await createTreeTestApp();
    const author = await t.userWithToken({ name: 'Author', territory: 'town-a' });
    const headersOf: Record<Role, Record<string, string>> = {
      anonymous: {},
      author: author.auth,
      sameTerritory: (await t.userWithToken({ name: 'Neighbour', territory: 'town-a' })).auth,
      otherTerritory: (await t.userWithToken({ name: 'Stranger', territory: 'town-b' })).auth,
      facilitator: (await t.userWithToken({ name: 'Facilitator', role: 'facilitator', territory: 'south' })).auth,
      coordinatorAbove: (await t.userWithToken({ name: 'Coordinator', role: 'coordinator', territory: 'region-x' })).auth,
      admin: t.admin.auth,
    };
    const ids = {} as Record<'private' | 'territory' | 'public', number>;
    for (const visibility of ['private', 'territory', 'public'] as const) {
      const res = await t.json('POST', '/api/choices', {
        title: `Zebra ${visibility} crossing`, description: `We painted a zebra${visibility} crossing by the school with the parents.`, madeOn: '2026-10-05',
        level: 'family', components: ['A08', 'B05'], territory: 'town-a', visibility, results: [{ observedOn: '2026-10-20', text: `fewer cars zebra${visibility}`, quantity: 3, unit: 'crossings' }],
      }, author.auth);
      expect(res.status).toBe(201);
      ids[visibility] = ((await res.json()) as { id: number }).id;
    }
    const failures: string[] = [];
    // 'rule': shows exactly what the role may see; 'public': public entries only, for everyone (the search
    // index knows no reader); 'no-leak': may show public entries, never others (summaries' words, feeds of other things).
    const ways: [string, string, 'rule' | 'public' | 'no-leak'][] = [
      ['list', '/api/choices', 'rule'], ['territory list', '/api/choices?territory=town-a', 'rule'], ['region list', '/api/choices?territory=region-x', 'rule'],
      ['component list', '/api/choices?component=A08', 'rule'], ['CSV export', '/api/choices.csv', 'rule'], ['Atom feed', '/feeds/choices.atom', 'rule'],
      ['journal page', '/choices', 'rule'], ['territory page', '/territories/town-a', 'rule'],
      ['search', '/api/search?q=zebra', 'public'], ['search page', '/search?q=zebra', 'public'],
      ['recent feed', '/feeds/recent.atom', 'no-leak'], ['territory feed', '/feeds/territories/town-a.atom', 'no-leak'],
      ['summary words', '/api/summaries?territory=town-a&from=2026-10-01&to=2026-10-31', 'no-leak'], ['network summary words', '/api/summaries?from=2026-10-01&to=2026-10-31', 'no-leak'],
    ];
    for (const role of ROLES) {
      const headers = headersOf[role];
      for (const visibility of ['private', 'territory', 'public'] as const) {
        const allowed = SEES[visibility].includes(role);
        const one = await t.request(`/api/choices/${ids[visibility]}`, { headers });
        if (one.status !== (allowed ? 200 : 404)) failures.push(`${role} GET ${visibility} choice: ${one.status}`);
        const history = await t.request(`/api/choices/${ids[visibility]}/history`, { headers });
        if ((history.status === 200) !== allowed) failures.push(`${role} GET ${visibility} history: ${history.status}`);
        const html = await t.request(`/choices/${ids[visibility]}`, { headers });
        if ((html.status === 200) !== allowed) failures.push(`${role} page of ${visibility} choice: ${html.status}`);
        for (const [way, path, mode] of ways) {
          const res = await t.request(path, { headers });
          if (res.status !== 200) failures.push(`${role} ${way}: ${res.status}`);
          const text = await res.text();
          const shown = text.includes(`zebra${visibility}`) || text.includes(`Zebra ${visibility}`);
          const wrong = mode === 'rule' ? shown !== allowed : mode === 'public' ? shown !== (visibility === 'public') : shown && visibility !== 'public';
          if (wrong) failures.push(`${role} ${way}: ${visibility} ${shown ? 'shown' : 'missing'}`);
        }
      }
      // Changing or deleting: the author only (others get 404 when they cannot see it, 403 when they can).
      for (const visibility of ['private', 'territory', 'public'] as const) {
        if (role === 'author') continue;
        const patch = await t.json('PATCH', `/api/choices/${ids[visibility]}`, { title: 'Taken over' }, headers);
        const removed = await t.json('DELETE', `/api/choices/${ids[visibility]}`, undefined, headers);
        const result = await t.json('POST', `/api/choices/${ids[visibility]}/results`, { observedOn: '2026-10-21', text: 'not mine' }, headers);
        const denied = role === 'anonymous' ? [401] : SEES[visibility].includes(role) ? [403] : [404];
        for (const [what, res] of [['PATCH', patch], ['DELETE', removed], ['POST result', result]] as const) {
          if (!denied.includes(res.status)) failures.push(`${role} ${what} ${visibility} choice: ${res.status}, expected ${denied.join('/')}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Nothing of theirs changed it.
    for (const visibility of ['private', 'territory', 'public'] as const) {
      const res = await t.request(`/api/choices/${ids[visibility]}`, { headers: author.auth });
      expect(((await res.json()) as { title: string }).title).toBe(`Zebra ${visibility} crossing`);
    }
  });
});
