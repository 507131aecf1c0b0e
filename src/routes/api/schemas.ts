import { z } from 'zod';
import { cleanText, cleanTitle } from '../../text/clean.js';
import { LOCALES } from '../../i18n/index.js';
import { ACTOR_KINDS } from '../../services/accounts.js';
import { TERRITORY_KINDS } from '../../services/territories.js';
import { GROUP_KINDS, MAX_STATEMENT_COMPONENTS, MEANINGS, QUESTIONS } from '../../services/groups.js';
import { PHASES } from '../../services/indicators.js';
import { WATCH_KINDS } from '../../services/watchlist.js';
import { FREQUENCIES, NOTIFICATION_CATEGORIES } from '../../services/notification-delivery.js';
import type { NotificationCategory } from '../../../db/schema.js';
import { CHOICE_LEVELS, CHOICE_STATUSES, MAX_COMPONENTS, VISIBILITIES } from '../../services/choices.js';

// Request schemas shared by the JSON API and the HTML forms (one validation per input).

/** A free-text field: cleaned before it is checked. */
const typed = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (typeof value === 'string' ? cleanText(value) : value), schema);
/** Titles and names are one line (text/clean.ts cleanTitle: the one rule for every title field). */
const oneLine = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (typeof value === 'string' ? cleanTitle(value) : value), schema);
/** Titles and names must show something: letters, digits or signs, not only spaces or invisible characters (empty is left to min). */
const hasVisibleText = (value: string) => value === '' || /[\p{L}\p{N}\p{S}\p{P}]/u.test(value);

/** EN, FR or PT; regional tags (fr-BE, pt_PT, EN) name the same language. */
export const LocaleSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase().split(/[-_]/)[0] : value),
  z.enum(LOCALES, { error: 'issue.language' }),
);
export const EmailSchema = z.string().trim().max(254).email('issue.email');
/** Every required title: one line, something visible, at most 200 characters. */
export const TitleSchema = oneLine(z.string().trim().min(1, 'issue.titleRequired').max(200, 'issue.titleLong').refine(hasVisibleText, 'issue.visibleText'));
export const NameSchema = oneLine(z.string().trim().min(1, 'issue.name').max(120).refine(hasVisibleText, 'issue.visibleText'));
export const SlugSchema = z.string().trim().min(2).max(60).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'issue.slug');

/** Consent: what a person's new choices start as, unless they say otherwise on the choice. */
const ConsentFields = {
  defaultVisibility: z.enum(VISIBILITIES, { error: 'issue.visibility' }).optional(),
  countInSummaries: z.boolean().optional(),
};

export const RegisterBody = z.object({
  email: EmailSchema,
  password: z.string().min(1).max(1024),
  name: NameSchema,
  actorKind: z.enum(ACTOR_KINDS),
  territory: SlugSchema.nullish(),
  locale: LocaleSchema.optional(),
  ...ConsentFields,
});

export const LoginBody = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024) });

export const WatchBody = z.object({
  kind: z.enum(WATCH_KINDS),
  /** A page path, a territory slug, a component code, or a group, workshop or charter id. */
  target: z.union([z.string().trim().min(1).max(300), z.number().int().positive().transform(String)]),
  /** Until when (YYYY-MM-DD, an ISO date and time, or milliseconds since 1970); none: until I stop. */
  expiresAt: z.union([z.string().trim().max(40), z.number().int()], { error: 'issue.dateFormat' }).nullish(),
});
export const NoticeQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  before: z.coerce.number().int().min(1).optional(),
  unread: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
});
export const NoticesReadBody = z.object({ ids: z.array(z.number().int().positive()).max(500).optional() });
const FrequencySchema = z.enum(FREQUENCIES);
export const NotificationSettingsBody = z.object({
  frequencies: z.object(Object.fromEntries(NOTIFICATION_CATEGORIES.map((c) => [c, FrequencySchema.optional()])) as Record<NotificationCategory, z.ZodOptional<typeof FrequencySchema>>).strict(),
});
export const UnsubscribeBody = z.object({ token: z.string().trim().min(1).max(200) });

export const ProfileBody = z.object({
  name: NameSchema.optional(),
  locale: LocaleSchema.optional(),
  timeZone: z.string().max(64).nullish(),
  actorKind: z.enum(ACTOR_KINDS).optional(),
  territory: SlugSchema.nullish(),
  currentPassword: z.string().max(1024).optional(),
  newPassword: z.string().max(1024).optional(),
  ...ConsentFields,
});

/** Admins' data retention: whole days, or null to keep forever. PUT replaces all four. */
const RetentionDays = z.number().int().min(1).max(36_500).nullable();
export const RetentionBody = z.object({
  sessionsDays: RetentionDays,
  outboxDays: RetentionDays,
  readNotificationsDays: RetentionDays,
  auditDays: RetentionDays,
});

export const FlagBody = z.object({
  kind: z.enum(['page', 'comment', 'choice'], { error: 'issue.choose' }),
  ref: z.string().trim().min(1).max(300),
  reason: typed(z.string().trim().min(1, 'issue.reasonRequired').max(1000)),
});
export const VerifyEmailBody = z.object({ token: z.string().trim().min(1).max(100) });
export const DeleteAccountBody = z.object({ password: z.string().min(1).max(1024) });
export const BlockBody = z.object({ reason: typed(z.string().trim().min(1, 'issue.reasonRequired').max(500)) });
export const TokenBody = z.object({ name: typed(z.string().trim().min(1, 'issue.tokenName').max(100)) });

export const TerritoryBody = z.object({
  slug: SlugSchema,
  name: NameSchema,
  kind: z.enum(TERRITORY_KINDS),
  parent: SlugSchema.nullish(),
  description: typed(z.string().max(20_000)).optional(),
});

export const PageBody = z.object({
  title: oneLine(z.string().trim().max(200, 'issue.titleLong')).optional(),
  markdown: typed(z.string()),
  summary: typed(z.string().max(500)).optional(),
  baseRevision: z.number().int().min(0).optional(),
});

export const RevertBody = z.object({ revision: z.number().int().min(1) });
/** Protecting a page says why; the reason goes to the audit log with who did it. */
export const ProtectBody = z.object({ protected: z.boolean(), reason: typed(z.string().max(500)).optional() });
export const CommentBody = z.object({ markdown: typed(z.string().min(1).max(20_000)) });

export const LabelsPatch = z.object({ en: z.string().max(300), fr: z.string().max(300), pt: z.string().max(300) }).partial();
export const CriterionPatch = z.object({
  labels: LabelsPatch.optional(),
  descriptions: z.object({ en: z.string().max(2000), fr: z.string().max(2000), pt: z.string().max(2000) }).partial().optional(),
});

export const PageQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.coerce.number().int().min(1).optional() });
export const LangQuery = z.object({ lang: LocaleSchema.optional() });

// Dates are calendar days (YYYY-MM-DD), checked to exist (no 2026-02-30).
export const IsoDate = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'issue.dateFormat').refine((value) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && value >= '1900-01-01' && value <= '2100-12-31';
}, 'issue.dateMissing');

export const ComponentCode = z.string().trim().regex(/^[A-Za-z]\d{2}$/, 'issue.componentCode').transform((v) => v.toUpperCase());
export const Quantity = z.number({ error: 'issue.quantity' }).finite().min(-1e12).max(1e12);
export const UnitSchema = typed(z.string().trim().max(40, 'issue.unitLong'));

export const ResultBody = z.object({
  observedOn: IsoDate,
  text: typed(z.string().max(5000, 'issue.resultLong')).optional(),
  quantity: Quantity.nullish(),
  unit: UnitSchema.nullish(),
});

const ChoiceFields = {
  title: TitleSchema,
  description: typed(z.string().max(20_000, 'issue.descriptionLong')).optional(),
  madeOn: IsoDate,
  level: z.enum(CHOICE_LEVELS, { error: 'issue.level' }),
  components: z.array(ComponentCode).min(1, 'issue.componentsRequired').max(MAX_COMPONENTS),
  territory: SlugSchema,
  visibility: z.enum(VISIBILITIES, { error: 'issue.visibility' }).optional(),
  countInSummaries: z.boolean().optional(),
  status: z.enum(CHOICE_STATUSES).nullish(),
  lang: LocaleSchema.optional(),
  followUpInDays: z.number().int().min(1).max(3650).nullish(),
};

export const ChoiceBody = z.object({
  ...ChoiceFields,
  actor: SlugSchema.optional(),
  results: z.array(ResultBody).max(50).optional(),
});

export const ChoicePatchBody = z.object(ChoiceFields).partial().refine((patch) => Object.keys(patch).length > 0, 'issue.changeSomething');

export const ChoiceQuery = z.object({
  territory: SlugSchema.optional(),
  component: ComponentCode.optional(),
  dimension: z.string().trim().regex(/^[A-Za-z]$/, 'issue.dimensionLetter').optional(),
  actor: z.string().trim().max(60).optional(),
  level: z.enum(CHOICE_LEVELS).optional(),
  status: z.enum(CHOICE_STATUSES).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  lang: LocaleSchema.optional(),
});

export const SuggestBody = z.object({
  text: typed(z.string().trim().min(1, 'issue.suggestText').max(10_000, 'issue.suggestLong')),
  lang: LocaleSchema.optional(),
  limit: z.number().int().min(1).max(20).optional(),
});

export const GroupBody = z.object({
  name: NameSchema,
  kind: z.enum(GROUP_KINDS, { error: 'issue.groupKind' }),
  territory: SlugSchema,
  profile: typed(z.string().max(2000, 'issue.profileLong')).optional(),
  lang: LocaleSchema.optional(),
});
export const GroupPatchBody = GroupBody.pick({ name: true, profile: true, lang: true }).partial().strict().refine((patch) => Object.keys(patch).length > 0, 'issue.changeSomething');

export const StatementBody = z.object({
  question: z.enum(QUESTIONS, { error: 'issue.question' }),
  text: typed(z.string().trim().min(1, 'issue.statementRequired').max(2000, 'issue.statementLong').refine(hasVisibleText, 'issue.visibleText')),
  components: z.array(ComponentCode).max(MAX_STATEMENT_COMPONENTS).optional(),
  lang: LocaleSchema.optional(),
  meaning: z.enum(MEANINGS, { error: 'issue.meaning' }).nullish(),
  sessionOn: IsoDate.nullish(),
});
export const StatementPatchBody = z.object({ lang: LocaleSchema }).strict();
export const StatementQuery = z.object({
  question: z.enum(QUESTIONS).optional(),
  dimension: z.string().trim().regex(/^[A-Za-z]$/).optional(),
  lang: LocaleSchema.optional(),
});

export const GroupMemberBody = z.object({
  actor: SlugSchema.optional(),
  email: EmailSchema.optional(),
  role: z.enum(['facilitator', 'member']).optional(),
});
export const GroupSessionBody = z.object({ heldOn: IsoDate, notes: typed(z.string().max(2000)).optional() });

export const IndicatorBody = z.object({
  level: z.number({ error: 'issue.ratingLevel' }).int('issue.ratingLevel').min(1, 'issue.ratingLevel').max(5, 'issue.ratingLevel').optional(),
  ratedOn: IsoDate.optional(),
  phase: z.enum(PHASES, { error: 'issue.phase' }).optional(),
  note: typed(z.string().max(2000)).optional(),
  descriptors: z.array(typed(z.string().max(1000, 'issue.descriptorLong'))).length(5, 'issue.descriptorsFive').optional(),
});

export const ActorBody = z.object({
  name: NameSchema,
  kind: z.enum(ACTOR_KINDS),
  territory: SlugSchema.nullish(),
});
export const RepresentativeBody = z.object({ email: EmailSchema });
export const InvitationDecisionBody = z.object({ decision: z.enum(['accept', 'decline'], { error: 'issue.choose' }) });
export const MemberQuery = z.object({ status: z.enum(['active', 'pending']).optional() });
export const MemberDecisionBody = z.object({ decision: z.enum(['approve', 'decline'], { error: 'issue.choose' }) });

export const SummaryQuery = z.object({
  territory: SlugSchema.optional(),
  group: z.coerce.number().int().min(1).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  actorKind: z.enum(ACTOR_KINDS).optional(),
  compareFrom: IsoDate.optional(),
  compareTo: IsoDate.optional(),
  compareTerritory: SlugSchema.optional(),
  timeline: z.enum(['month', 'week']).optional(),
  lang: LocaleSchema.optional(),
});

export const AssessmentBody = z.object({ territory: SlugSchema, from: IsoDate, to: IsoDate });

// Workshops. A start is a wall time in `timeZone` (2020-10-31T11:00) or an instant (…Z / …+01:00).
const HttpUrl = z.string().trim().max(500).url('issue.url').refine((value) => /^https?:\/\//i.test(value), 'issue.url');
const LanguageCode = z.string().trim().toLowerCase().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/, 'issue.language');
export const WorkshopBody = z.object({
  title: TitleSchema,
  description: typed(z.string().max(20_000)).optional(),
  theme: oneLine(z.string().trim().max(100)).nullish(),
  actorKind: z.enum(ACTOR_KINDS).nullish(),
  territory: SlugSchema.nullish(),
  event: oneLine(z.string().trim().max(200)).nullish(),
  startsAt: z.string({ error: 'issue.startFormat' }).trim().min(1, 'issue.startFormat').max(40),
  timeZone: z.string({ error: 'issue.timeZone' }).trim().min(1, 'issue.timeZone').max(64),
  disambiguation: z.enum(['earlier', 'later']).optional(),
  durationMinutes: z.coerce.number({ error: 'issue.duration' }).int('issue.duration').min(5, 'issue.duration').max(60 * 24 * 7, 'issue.duration'),
  languages: z.array(LanguageCode).min(1, 'issue.languages').max(10),
  capacity: z.coerce.number({ error: 'issue.capacity' }).int('issue.capacity').min(1, 'issue.capacity').max(100_000, 'issue.capacity').nullish(),
  joinUrl: HttpUrl.nullish(),
});
export const WorkshopPatchBody = WorkshopBody.partial();
export const WorkshopQuery = z.object({
  when: z.enum(['upcoming', 'past']).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  lang: LanguageCode.optional(),
  theme: z.string().trim().max(100).optional(),
  actorKind: z.enum(ACTOR_KINDS).optional(),
  territory: SlugSchema.optional(),
  event: z.string().trim().max(200).optional(),
  tz: z.string().trim().max(64).optional(),
});
export const ConclusionsBody = z.object({ markdown: typed(z.string().max(100_000)), summary: typed(z.string().max(500)).optional() });

// Charters.
export const CharterBody = z.object({
  title: TitleSchema,
  markdown: typed(z.string().trim().min(1, 'issue.charterText').max(100_000)),
  workshop: z.coerce.number().int().min(1).nullish(),
  summary: typed(z.string().max(500)).optional(),
});
export const CharterVersionBody = z.object({ markdown: typed(z.string().trim().min(1, 'issue.charterText').max(100_000)), summary: typed(z.string().max(500)).optional() });
export const AmendmentBody = z.object({ text: typed(z.string().trim().min(1, 'issue.charterText').max(100_000)), rationale: typed(z.string().max(5_000)).optional() });
export const AmendmentDecisionBody = z.object({ decision: z.enum(['accept', 'decline'], { error: 'issue.choose' }), reason: typed(z.string().max(5_000)).optional() });
export const ApprovalBody = z.object({
  version: z.coerce.number({ error: 'issue.number' }).int().min(1),
  decision: z.enum(['approve', 'object'], { error: 'issue.choose' }),
  comment: typed(z.string().max(5_000)).optional(),
});
export const SignatureBody = z.object({ actor: SlugSchema.optional() });

export const TopicBody = z.object({
  title: TitleSchema,
  description: typed(z.string().max(5_000, 'issue.descriptionLong')).optional(),
});
export const TopicWorkshopBody = WorkshopBody.omit({ title: true, description: true }).extend({ title: WorkshopBody.shape.title.optional(), description: WorkshopBody.shape.description });

export const ToolBody = z.object({
  name: NameSchema,
  description: typed(z.string().trim().min(1, 'issue.descriptionRequired').max(20_000, 'issue.descriptionLong')),
  url: HttpUrl.nullish(),
  languages: z.array(LanguageCode).max(20).optional(),
  offeredBy: oneLine(z.string().trim().max(200)).nullish(),
});
export const ToolProposalBody = z.object({ kind: z.enum(['new', 'improvement'], { error: 'issue.choose' }), text: typed(z.string().trim().min(1, 'issue.proposalText').max(5_000)) });
export const ToolUseBody = z.object({ workshop: z.coerce.number().int().min(1).optional(), choice: z.coerce.number().int().min(1).optional() });
