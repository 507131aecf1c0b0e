import type { NotificationCategory, NotificationFrequency, Role, Visibility, WatchKind } from '../../db/schema.js';
import { notFound, unauthenticated } from '../errors.js';
import { describeDevice, normaliseEmail } from './accounts.js';
import { recordAudit } from './audit.js';
import { type Deps, type Viewer, nowIso } from './deps.js';

// "Export my data": everything the journal holds about one person, as one versioned JSON archive that
// `journal import` reads on another instance. The archive is documented field by field in README.md
// ("Export format"); change both together, and raise ARCHIVE_VERSION when a field changes meaning.
//
// What belongs to me: my profile; the actors I represent, with their memberships; every choice of
// those actors (private ones included, with results and history); and whatever I wrote or created
// (statements, wiki revisions, comments, territories, groups, workshops, charters, topics, tools…).
// What does not: other people's e-mails, their private or territory choices, their names beyond the
// co-representatives of an actor I represent, and any secret (password, token or session hashes).

export const ARCHIVE_FORMAT = 'spiral-journal-export';
export const ARCHIVE_VERSION = 1;

interface TerritoryRef { slug: string; name: string; kind: string }

export interface ExportedChoice {
  id: number;
  actor: string;
  territory: TerritoryRef;
  title: string;
  description: string;
  lang: string;
  madeOn: string;
  level: string;
  visibility: Visibility;
  countInSummaries: boolean;
  status: string | null;
  followUpOn: string | null;
  taxonomyVersion: string;
  components: string[];
  results: { observedOn: string; text: string; quantity: number | null; unit: string | null; createdAt: string }[];
  revisions: { number: number; action: string; changed: string[]; snapshot: Record<string, unknown>; byMe: boolean; createdAt: string }[];
  loggedByMe: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ExportArchive {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  exportedAt: string;
  instance?: { url: string };
  taxonomyVersion: string | null;
  profile: {
    email: string; name: string; locale: string; timeZone: string | null; role: Role; createdAt: string; emailVerifiedAt: string | null;
    defaultVisibility: Visibility; countInSummariesDefault: boolean;
  };
  actors: {
    slug: string; name: string; kind: string; primary: boolean; homeTerritory: TerritoryRef | null; createdAt: string;
    memberships: { territory: TerritoryRef; role: string; since: string }[];
    groups: { id: number; name: string; kind: string; role: string; since: string }[];
    coRepresentatives: string[];
  }[];
  choices: ExportedChoice[];
  statements: { id: number; group: { id: number; name: string; kind: string; territory: string }; question: string; text: string; lang: string; meaning: string | null; sessionOn: string | null; components: string[]; createdAt: string }[];
  pages: { path: string; title: string; namespace: string; createdAt: string; currentRevision: number }[];
  pageRevisions: { path: string; number: number; title: string; markdown: string; summary: string; revertedTo: number | null; createdAt: string }[];
  comments: { page: string; markdown: string; hidden: boolean; createdAt: string }[];
  territories: { slug: string; name: string; kind: string; parent: string | null; createdAt: string }[];
  groups: { id: number; name: string; kind: string; territory: string; profile: string; lang: string; createdAt: string }[];
  indicatorRatings: { territory: string; component: string; level: number; ratedOn: string; phase: string; note: string; createdAt: string }[];
  indicators: { territory: string; component: string; descriptors: string[]; updatedAt: string }[];
  workshops: { id: number; slug: string; title: string; description: string; theme: string | null; actorKind: string | null; territory: string | null; event: string | null; startsAt: string; timeZone: string; durationMinutes: number; languages: string[]; capacity: number | null; joinUrl: string | null; createdAt: string }[];
  registrations: { workshop: { id: number; slug: string; title: string; startsAt: string }; status: string; createdAt: string }[];
  charters: {
    drafted: { id: number; title: string; status: string; currentVersion: number; adoptedAt: string | null; createdAt: string }[];
    versions: { charter: number; number: number; markdown: string; summary: string; createdAt: string }[];
    participations: { charter: number; title: string; joinedAt: string }[];
    amendments: { charter: number; baseVersion: number; text: string; rationale: string; status: string; reason: string | null; createdAt: string }[];
    approvals: { charter: number; version: number; decision: string; comment: string; createdAt: string }[];
    signatures: { charter: number; actor: string; signedAt: string }[];
  };
  topics: {
    proposed: { id: number; title: string; description: string; workshop: number | null; createdAt: string }[];
    interests: { topic: number; title: string; createdAt: string }[];
  };
  tools: {
    authored: { slug: string; name: string; description: string; url: string | null; languages: string[]; offeredBy: string | null; createdAt: string }[];
    proposals: { tool: string | null; kind: string; text: string; createdAt: string }[];
  };
  assessments: { id: number; territory: string; from: string; to: string; createdAt: string }[];
  reports: { kind: string; ref: string; reason: string; createdAt: string }[];
  watchlist: { kind: WatchKind; target: string; createdAt: string; expiresAt: string | null }[];
  notifications: { kind: string; category: NotificationCategory; params: Record<string, unknown>; url: string; read: boolean; createdAt: string; emailedAt: string | null }[];
  notificationPreferences: { category: NotificationCategory; frequency: NotificationFrequency }[];
  accessTokens: { name: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }[];
  sessions: { createdAt: string; lastSeenAt: string; expiresAt: string; device: { browser: string | null; system: string | null } }[];
  feeds: { calendar: { createdAt: string } | null; personal: { createdAt: string } | null };
}

const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** Builds the archive of one account (no audit entry: callers record who asked). */
export async function buildArchive(deps: Deps, userId: number): Promise<ExportArchive> {
  const { db } = deps;
  const user = await db.selectFrom('user')
    .select(['id', 'email', 'name', 'locale', 'time_zone', 'role', 'created_at', 'email_verified_at', 'default_visibility', 'count_in_summaries_default', 'disabled_at'])
    .where('id', '=', userId).executeTakeFirst();
  if (!user || user.email.endsWith('@deleted.invalid')) throw notFound('Account');
  const taxonomy = await db.selectFrom('taxonomy_version').select('version').where('is_current', '=', 1).executeTakeFirst();

  const actorRows = await db.selectFrom('user_actor').innerJoin('actor', 'actor.id', 'user_actor.actor_id')
    .leftJoin('territory', 'territory.id', 'actor.home_territory_id')
    .select(['actor.id', 'actor.slug', 'actor.name', 'actor.kind', 'actor.created_at', 'user_actor.is_primary', 'territory.slug as t_slug', 'territory.name as t_name', 'territory.kind as t_kind'])
    .where('user_actor.user_id', '=', userId).orderBy('user_actor.is_primary', 'desc').orderBy('actor.id').execute();
  const actorIds = actorRows.map((a) => a.id);
  const slugOf = new Map(actorRows.map((a) => [a.id, a.slug]));
  // `in ()` is not valid SQL: an account without actors matches nothing.
  const ids = actorIds.length ? actorIds : [0];

  const [memberships, groupMemberships, coReps] = await Promise.all([
    db.selectFrom('membership').innerJoin('territory', 'territory.id', 'membership.territory_id')
      .select(['membership.actor_id', 'membership.role', 'membership.created_at', 'territory.slug', 'territory.name', 'territory.kind'])
      .where('membership.actor_id', 'in', ids).orderBy('territory.slug').execute(),
    db.selectFrom('group_member').innerJoin('spiral_group', 'spiral_group.id', 'group_member.group_id')
      .select(['group_member.actor_id', 'group_member.role', 'group_member.created_at', 'spiral_group.id', 'spiral_group.name', 'spiral_group.kind'])
      .where('group_member.actor_id', 'in', ids).orderBy('spiral_group.id').execute(),
    // Co-representatives of an organisation: their names only (never their e-mail or account).
    db.selectFrom('user_actor').innerJoin('user', 'user.id', 'user_actor.user_id').select(['user_actor.actor_id', 'user.name'])
      .where('user_actor.actor_id', 'in', ids).where('user_actor.user_id', '!=', userId).orderBy('user.name').execute(),
  ]);

  // Every choice of the actors I represent, whoever of their representatives logged it; nothing else.
  const choiceRows = await db.selectFrom('choice').innerJoin('territory', 'territory.id', 'choice.territory_id')
    .select(['choice.id', 'choice.actor_id', 'choice.author_id', 'choice.title', 'choice.description', 'choice.lang', 'choice.made_on', 'choice.level', 'choice.visibility',
      'choice.count_in_summaries', 'choice.status', 'choice.follow_up_on', 'choice.taxonomy_version', 'choice.created_at', 'choice.updated_at',
      'territory.slug as t_slug', 'territory.name as t_name', 'territory.kind as t_kind'])
    .where('choice.actor_id', 'in', ids).orderBy('choice.made_on').orderBy('choice.id').execute();
  const [components, results, revisions] = await Promise.all([
    db.selectFrom('choice_component').innerJoin('choice', 'choice.id', 'choice_component.choice_id').select(['choice_component.choice_id', 'choice_component.component_code'])
      .where('choice.actor_id', 'in', ids).orderBy('choice_component.choice_id').orderBy('choice_component.position').execute(),
    db.selectFrom('choice_result').innerJoin('choice', 'choice.id', 'choice_result.choice_id')
      .select(['choice_result.choice_id', 'choice_result.observed_on', 'choice_result.text', 'choice_result.quantity', 'choice_result.unit', 'choice_result.created_at'])
      .where('choice.actor_id', 'in', ids).orderBy('choice_result.observed_on').orderBy('choice_result.id').execute(),
    db.selectFrom('choice_revision').innerJoin('choice', 'choice.id', 'choice_revision.choice_id')
      .select(['choice_revision.choice_id', 'choice_revision.number', 'choice_revision.action', 'choice_revision.changed', 'choice_revision.snapshot', 'choice_revision.author_id', 'choice_revision.created_at'])
      .where('choice.actor_id', 'in', ids).orderBy('choice_revision.choice_id').orderBy('choice_revision.number').execute(),
  ]);
  const group = <T extends { choice_id: number }>(rows: T[]) => {
    const byChoice = new Map<number, T[]>();
    for (const row of rows) byChoice.set(row.choice_id, [...(byChoice.get(row.choice_id) ?? []), row]);
    return byChoice;
  };
  const componentsOf = group(components);
  const resultsOf = group(results);
  const revisionsOf = group(revisions);

  const [statements, statementComponents, pages, pageRevisions, comments] = await Promise.all([
    db.selectFrom('statement').innerJoin('spiral_group', 'spiral_group.id', 'statement.group_id').innerJoin('territory', 'territory.id', 'spiral_group.territory_id')
      .select(['statement.id', 'statement.question', 'statement.text', 'statement.lang', 'statement.meaning', 'statement.session_on', 'statement.created_at',
        'spiral_group.id as group_id', 'spiral_group.name as group_name', 'spiral_group.kind as group_kind', 'territory.slug as t_slug'])
      .where('statement.author_id', '=', userId).orderBy('statement.id').execute(),
    db.selectFrom('statement_component').innerJoin('statement', 'statement.id', 'statement_component.statement_id')
      .select(['statement_component.statement_id', 'statement_component.component_code'])
      .where('statement.author_id', '=', userId).orderBy('statement_component.statement_id').orderBy('statement_component.position').execute(),
    // Pages I created: those whose first revision is mine.
    db.selectFrom('page').innerJoin('page_revision', 'page_revision.page_id', 'page.id')
      .select(['page.path', 'page.title', 'page.namespace', 'page.created_at', 'page.current_revision'])
      .where('page_revision.number', '=', 1).where('page_revision.author_id', '=', userId).orderBy('page.path').execute(),
    db.selectFrom('page_revision').innerJoin('page', 'page.id', 'page_revision.page_id')
      .select(['page.path', 'page_revision.number', 'page_revision.title', 'page_revision.markdown', 'page_revision.summary', 'page_revision.reverted_to', 'page_revision.created_at'])
      .where('page_revision.author_id', '=', userId).orderBy('page.path').orderBy('page_revision.number').execute(),
    // Hidden comments too: a moderator hid them from others, they are still mine.
    db.selectFrom('comment').innerJoin('page', 'page.id', 'comment.page_id')
      .select(['page.path', 'comment.markdown', 'comment.hidden_at', 'comment.created_at'])
      .where('comment.author_id', '=', userId).orderBy('comment.id').execute(),
  ]);
  const statementCodes = new Map<number, string[]>();
  for (const row of statementComponents) statementCodes.set(row.statement_id, [...(statementCodes.get(row.statement_id) ?? []), row.component_code]);

  const [territories, groups, ratings, workshops, registrations, indicators] = await Promise.all([
    db.selectFrom('territory').leftJoin('territory as parent', 'parent.id', 'territory.parent_id')
      .select(['territory.slug', 'territory.name', 'territory.kind', 'territory.created_at', 'parent.slug as parent_slug'])
      .where('territory.created_by', '=', userId).orderBy('territory.id').execute(),
    db.selectFrom('spiral_group').innerJoin('territory', 'territory.id', 'spiral_group.territory_id')
      .select(['spiral_group.id', 'spiral_group.name', 'spiral_group.kind', 'spiral_group.profile', 'spiral_group.lang', 'spiral_group.created_at', 'territory.slug as t_slug'])
      .where('spiral_group.created_by', '=', userId).orderBy('spiral_group.id').execute(),
    db.selectFrom('indicator_rating').innerJoin('indicator', 'indicator.id', 'indicator_rating.indicator_id').innerJoin('territory', 'territory.id', 'indicator.territory_id')
      .select(['territory.slug', 'indicator.component_code', 'indicator_rating.level', 'indicator_rating.rated_on', 'indicator_rating.phase', 'indicator_rating.note', 'indicator_rating.created_at'])
      .where('indicator_rating.author_id', '=', userId).orderBy('indicator_rating.id').execute(),
    db.selectFrom('workshop').leftJoin('territory', 'territory.id', 'workshop.territory_id')
      .select(['workshop.id', 'workshop.slug', 'workshop.title', 'workshop.description', 'workshop.theme', 'workshop.actor_kind', 'workshop.event', 'workshop.starts_at', 'workshop.time_zone',
        'workshop.duration_minutes', 'workshop.languages', 'workshop.capacity', 'workshop.join_url', 'workshop.created_at', 'territory.slug as t_slug'])
      .where('workshop.organiser_id', '=', userId).orderBy('workshop.id').execute(),
    db.selectFrom('registration').innerJoin('workshop', 'workshop.id', 'registration.workshop_id')
      .select(['workshop.id', 'workshop.slug', 'workshop.title', 'workshop.starts_at', 'registration.status', 'registration.created_at'])
      .where('registration.user_id', '=', userId).orderBy('registration.created_at').execute(),
    db.selectFrom('indicator').innerJoin('territory', 'territory.id', 'indicator.territory_id')
      .select(['territory.slug', 'indicator.component_code', 'indicator.descriptors', 'indicator.updated_at'])
      .where('indicator.updated_by', '=', userId).orderBy('indicator.id').execute(),
  ]);

  const [drafted, versions, participations, amendments, approvals, signatures] = await Promise.all([
    db.selectFrom('charter').select(['id', 'title', 'status', 'current_version', 'adopted_at', 'created_at']).where('drafter_id', '=', userId).orderBy('id').execute(),
    db.selectFrom('charter_version').select(['charter_id', 'number', 'markdown', 'summary', 'created_at']).where('author_id', '=', userId).orderBy('charter_id').orderBy('number').execute(),
    db.selectFrom('charter_participant').innerJoin('charter', 'charter.id', 'charter_participant.charter_id')
      .select(['charter.id', 'charter.title', 'charter_participant.joined_at']).where('charter_participant.user_id', '=', userId).orderBy('charter.id').execute(),
    db.selectFrom('amendment').select(['charter_id', 'base_version', 'text', 'rationale', 'status', 'reason', 'created_at']).where('author_id', '=', userId).orderBy('id').execute(),
    db.selectFrom('approval').select(['charter_id', 'version', 'decision', 'comment', 'created_at']).where('user_id', '=', userId).orderBy('charter_id').orderBy('version').execute(),
    db.selectFrom('charter_signature').innerJoin('actor', 'actor.id', 'charter_signature.actor_id')
      .select(['charter_signature.charter_id', 'actor.slug', 'charter_signature.signed_at']).where('charter_signature.signed_by', '=', userId).orderBy('charter_signature.signed_at').execute(),
  ]);

  const [topics, interests, tools, proposals, assessments, reports] = await Promise.all([
    db.selectFrom('topic').select(['id', 'title', 'description', 'workshop_id', 'created_at']).where('proposer_id', '=', userId).orderBy('id').execute(),
    db.selectFrom('topic_interest').innerJoin('topic', 'topic.id', 'topic_interest.topic_id')
      .select(['topic.id', 'topic.title', 'topic_interest.created_at']).where('topic_interest.user_id', '=', userId).orderBy('topic.id').execute(),
    db.selectFrom('tool').select(['slug', 'name', 'description', 'url', 'languages', 'offered_by', 'created_at']).where('author_id', '=', userId).orderBy('id').execute(),
    db.selectFrom('tool_proposal').leftJoin('tool', 'tool.id', 'tool_proposal.tool_id')
      .select(['tool.slug', 'tool_proposal.kind', 'tool_proposal.text', 'tool_proposal.created_at']).where('tool_proposal.author_id', '=', userId).orderBy('tool_proposal.id').execute(),
    db.selectFrom('assessment').innerJoin('territory', 'territory.id', 'assessment.territory_id')
      .select(['assessment.id', 'territory.slug', 'assessment.period_from', 'assessment.period_to', 'assessment.created_at']).where('assessment.created_by', '=', userId).orderBy('assessment.id').execute(),
    db.selectFrom('flag').select(['kind', 'ref', 'reason', 'created_at']).where('reporter_id', '=', userId).orderBy('id').execute(),
  ]);

  const [watches, notices, preferences, tokens, sessions, calendarFeed, personalFeed] = await Promise.all([
    db.selectFrom('watch').select(['kind', 'target', 'created_at', 'expires_at']).where('user_id', '=', userId).orderBy('id').execute(),
    db.selectFrom('notice').select(['kind', 'category', 'params', 'url', 'read_at', 'created_at', 'emailed_at']).where('user_id', '=', userId).orderBy('id').execute(),
    db.selectFrom('notification_preference').select(['category', 'frequency']).where('user_id', '=', userId).orderBy('category').execute(),
    // Tokens and sessions are described, never given: their hashes stay here.
    db.selectFrom('access_token').select(['name', 'created_at', 'last_used_at', 'revoked_at']).where('user_id', '=', userId).orderBy('id').execute(),
    db.selectFrom('session').select(['created_at', 'last_seen_at', 'expires_at', 'user_agent']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('calendar_feed').select('created_at').where('user_id', '=', userId).executeTakeFirst(),
    db.selectFrom('personal_feed').select('created_at').where('user_id', '=', userId).executeTakeFirst(),
  ]);

  const territoryRef = (slug: string | null, name: string | null, kind: string | null): TerritoryRef | null => (slug ? { slug, name: name ?? slug, kind: kind ?? 'other' } : null);
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: nowIso(deps),
    ...(deps.config.publicUrl ? { instance: { url: deps.config.publicUrl } } : {}),
    taxonomyVersion: taxonomy?.version ?? null,
    profile: {
      email: user.email, name: user.name, locale: user.locale, timeZone: user.time_zone, role: user.role, createdAt: user.created_at,
      emailVerifiedAt: user.email_verified_at, defaultVisibility: user.default_visibility, countInSummariesDefault: Boolean(user.count_in_summaries_default),
    },
    actors: actorRows.map((a) => ({
      slug: a.slug, name: a.name, kind: a.kind, primary: Boolean(a.is_primary), homeTerritory: territoryRef(a.t_slug, a.t_name, a.t_kind), createdAt: a.created_at,
      memberships: memberships.filter((m) => m.actor_id === a.id).map((m) => ({ territory: { slug: m.slug, name: m.name, kind: m.kind }, role: m.role, since: m.created_at })),
      groups: groupMemberships.filter((g) => g.actor_id === a.id).map((g) => ({ id: g.id, name: g.name, kind: g.kind, role: g.role, since: g.created_at })),
      coRepresentatives: coReps.filter((r) => r.actor_id === a.id).map((r) => r.name),
    })),
    choices: choiceRows.map((c) => ({
      id: c.id, actor: slugOf.get(c.actor_id)!, territory: { slug: c.t_slug, name: c.t_name, kind: c.t_kind },
      title: c.title, description: c.description, lang: c.lang, madeOn: c.made_on, level: c.level, visibility: c.visibility,
      countInSummaries: Boolean(c.count_in_summaries), status: c.status, followUpOn: c.follow_up_on, taxonomyVersion: c.taxonomy_version,
      components: (componentsOf.get(c.id) ?? []).map((r) => r.component_code),
      results: (resultsOf.get(c.id) ?? []).map((r) => ({ observedOn: r.observed_on, text: r.text, quantity: r.quantity, unit: r.unit, createdAt: r.created_at })),
      // Who else edited is not said: only whether it was me.
      revisions: (revisionsOf.get(c.id) ?? []).map((r) => ({
        number: r.number, action: r.action, changed: parseJson<string[]>(r.changed, []), snapshot: parseJson<Record<string, unknown>>(r.snapshot, {}), byMe: r.author_id === userId, createdAt: r.created_at,
      })),
      loggedByMe: c.author_id === userId, createdAt: c.created_at, updatedAt: c.updated_at,
    })),
    statements: statements.map((s) => ({
      id: s.id, group: { id: s.group_id, name: s.group_name, kind: s.group_kind, territory: s.t_slug }, question: s.question, text: s.text, lang: s.lang,
      meaning: s.meaning, sessionOn: s.session_on, components: statementCodes.get(s.id) ?? [], createdAt: s.created_at,
    })),
    pages: pages.map((p) => ({ path: p.path, title: p.title, namespace: p.namespace, createdAt: p.created_at, currentRevision: p.current_revision })),
    pageRevisions: pageRevisions.map((r) => ({ path: r.path, number: r.number, title: r.title, markdown: r.markdown, summary: r.summary, revertedTo: r.reverted_to, createdAt: r.created_at })),
    comments: comments.map((c) => ({ page: c.path, markdown: c.markdown, hidden: c.hidden_at !== null, createdAt: c.created_at })),
    territories: territories.map((t) => ({ slug: t.slug, name: t.name, kind: t.kind, parent: t.parent_slug, createdAt: t.created_at })),
    groups: groups.map((g) => ({ id: g.id, name: g.name, kind: g.kind, territory: g.t_slug, profile: g.profile, lang: g.lang, createdAt: g.created_at })),
    indicatorRatings: ratings.map((r) => ({ territory: r.slug, component: r.component_code, level: r.level, ratedOn: r.rated_on, phase: r.phase, note: r.note, createdAt: r.created_at })),
    indicators: indicators.map((i) => ({ territory: i.slug, component: i.component_code, descriptors: parseJson<string[]>(i.descriptors, []), updatedAt: i.updated_at })),
    workshops: workshops.map((w) => ({
      id: w.id, slug: w.slug, title: w.title, description: w.description, theme: w.theme, actorKind: w.actor_kind, territory: w.t_slug, event: w.event,
      startsAt: w.starts_at, timeZone: w.time_zone, durationMinutes: w.duration_minutes, languages: parseJson<string[]>(w.languages, []), capacity: w.capacity,
      joinUrl: w.join_url, createdAt: w.created_at,
    })),
    registrations: registrations.map((r) => ({ workshop: { id: r.id, slug: r.slug, title: r.title, startsAt: r.starts_at }, status: r.status, createdAt: r.created_at })),
    charters: {
      drafted: drafted.map((c) => ({ id: c.id, title: c.title, status: c.status, currentVersion: c.current_version, adoptedAt: c.adopted_at, createdAt: c.created_at })),
      versions: versions.map((v) => ({ charter: v.charter_id, number: v.number, markdown: v.markdown, summary: v.summary, createdAt: v.created_at })),
      participations: participations.map((p) => ({ charter: p.id, title: p.title, joinedAt: p.joined_at })),
      amendments: amendments.map((a) => ({ charter: a.charter_id, baseVersion: a.base_version, text: a.text, rationale: a.rationale, status: a.status, reason: a.reason, createdAt: a.created_at })),
      approvals: approvals.map((a) => ({ charter: a.charter_id, version: a.version, decision: a.decision, comment: a.comment, createdAt: a.created_at })),
      signatures: signatures.map((s) => ({ charter: s.charter_id, actor: s.slug, signedAt: s.signed_at })),
    },
    topics: {
      proposed: topics.map((t) => ({ id: t.id, title: t.title, description: t.description, workshop: t.workshop_id, createdAt: t.created_at })),
      interests: interests.map((i) => ({ topic: i.id, title: i.title, createdAt: i.created_at })),
    },
    tools: {
      authored: tools.map((t) => ({ slug: t.slug, name: t.name, description: t.description, url: t.url, languages: parseJson<string[]>(t.languages, []), offeredBy: t.offered_by, createdAt: t.created_at })),
      proposals: proposals.map((p) => ({ tool: p.slug, kind: p.kind, text: p.text, createdAt: p.created_at })),
    },
    assessments: assessments.map((a) => ({ id: a.id, territory: a.slug, from: a.period_from, to: a.period_to, createdAt: a.created_at })),
    reports: reports.map((r) => ({ kind: r.kind, ref: r.ref, reason: r.reason, createdAt: r.created_at })),
    watchlist: watches.map((w) => ({ kind: w.kind, target: w.target, createdAt: w.created_at, expiresAt: w.expires_at })),
    notifications: notices.map((n) => ({
      kind: n.kind, category: n.category, params: parseJson<Record<string, unknown>>(n.params, {}), url: n.url, read: n.read_at !== null, createdAt: n.created_at, emailedAt: n.emailed_at,
    })),
    notificationPreferences: preferences.map((p) => ({ category: p.category, frequency: p.frequency })),
    accessTokens: tokens.map((t) => ({ name: t.name, createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at })),
    sessions: sessions.map((s) => ({ createdAt: s.created_at, lastSeenAt: s.last_seen_at, expiresAt: s.expires_at, device: describeDevice(s.user_agent) })),
    feeds: { calendar: calendarFeed ? { createdAt: calendarFeed.created_at } : null, personal: personalFeed ? { createdAt: personalFeed.created_at } : null },
  };
}

/** How much an archive holds, for the audit log and the command line (counts only, never content). */
export function archiveCounts(archive: ExportArchive): Record<string, number> {
  return {
    actors: archive.actors.length, choices: archive.choices.length, statements: archive.statements.length, pages: archive.pages.length,
    pageRevisions: archive.pageRevisions.length, comments: archive.comments.length, watchlist: archive.watchlist.length, notifications: archive.notifications.length,
  };
}

/** "Export my data": the viewer's own archive; the audit log keeps that it was taken (and how), not what it held. */
export async function exportMyData(deps: Deps, viewer: Viewer | null): Promise<ExportArchive> {
  if (!viewer) throw unauthenticated();
  const archive = await buildArchive(deps, viewer.user.id);
  await recordAudit(deps, viewer.user.id, 'user.export', `user/${viewer.user.id}`, { via: viewer.via, ...archiveCounts(archive) });
  return archive;
}

/** The command line exports an account for an administrator (no viewer: the audit entry says so). */
export async function exportAccountByEmail(deps: Deps, email: string): Promise<ExportArchive> {
  const user = await deps.db.selectFrom('user').select('id').where('email', '=', normaliseEmail(email)).executeTakeFirst();
  if (!user) throw notFound('Account');
  const archive = await buildArchive(deps, user.id);
  await recordAudit(deps, null, 'user.export', `user/${user.id}`, { via: 'cli', ...archiveCounts(archive) });
  return archive;
}
