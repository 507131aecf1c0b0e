import { z } from 'zod';
import { LOCALES } from '../../i18n/index.js';
import { ACTOR_KINDS } from '../../services/accounts.js';
import { TERRITORY_KINDS } from '../../services/territories.js';
import { GROUP_KINDS, MAX_STATEMENT_COMPONENTS, MEANINGS, QUESTIONS } from '../../services/groups.js';
import { PHASES } from '../../services/indicators.js';
import { CHOICE_LEVELS, CHOICE_STATUSES, MAX_COMPONENTS, VISIBILITIES } from '../../services/choices.js';

// Request schemas shared by the JSON API and the HTML forms (one validation per input).
export const LocaleSchema = z.enum(LOCALES);
export const EmailSchema = z.string().trim().max(254).email('Enter a valid email address.');
export const NameSchema = z.string().trim().min(1, 'Enter a name.').max(120);
export const SlugSchema = z.string().trim().min(2).max(60).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and hyphens.');

export const RegisterBody = z.object({
  email: EmailSchema,
  password: z.string().min(1).max(1024),
  name: NameSchema,
  actorKind: z.enum(ACTOR_KINDS),
  territory: SlugSchema.nullish(),
  locale: LocaleSchema.optional(),
});

export const LoginBody = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024) });

export const ProfileBody = z.object({
  name: NameSchema.optional(),
  locale: LocaleSchema.optional(),
  timeZone: z.string().max(64).nullish(),
  actorKind: z.enum(ACTOR_KINDS).optional(),
  territory: SlugSchema.nullish(),
  currentPassword: z.string().max(1024).optional(),
  newPassword: z.string().max(1024).optional(),
});

export const TokenBody = z.object({ name: z.string().trim().min(1, 'Name the token.').max(100) });

export const TerritoryBody = z.object({
  slug: SlugSchema,
  name: NameSchema,
  kind: z.enum(TERRITORY_KINDS),
  parent: SlugSchema.nullish(),
  description: z.string().max(20_000).optional(),
});

export const PageBody = z.object({
  title: z.string().trim().max(200).optional(),
  markdown: z.string(),
  summary: z.string().max(500).optional(),
  baseRevision: z.number().int().min(0).optional(),
});

export const RevertBody = z.object({ revision: z.number().int().min(1) });
export const ProtectBody = z.object({ protected: z.boolean() });
export const CommentBody = z.object({ markdown: z.string().min(1).max(20_000) });

export const LabelsPatch = z.object({ en: z.string().max(300), fr: z.string().max(300), pt: z.string().max(300) }).partial();
export const CriterionPatch = z.object({
  labels: LabelsPatch.optional(),
  descriptions: z.object({ en: z.string().max(2000), fr: z.string().max(2000), pt: z.string().max(2000) }).partial().optional(),
});

export const PageQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.coerce.number().int().min(1).optional() });
export const LangQuery = z.object({ lang: LocaleSchema.optional() });

// Dates are calendar days (YYYY-MM-DD), checked to exist (no 2026-02-30).
export const IsoDate = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-05-31.').refine((value) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && value >= '1900-01-01' && value <= '2100-12-31';
}, 'This date does not exist.');

export const ComponentCode = z.string().trim().regex(/^[A-Za-z]\d{2}$/, 'Use a component code like A08.').transform((v) => v.toUpperCase());
export const Quantity = z.number({ error: 'The quantity must be a number.' }).finite().min(-1e12).max(1e12);
export const UnitSchema = z.string().trim().max(40, 'Keep the unit under 40 characters.');

export const ResultBody = z.object({
  observedOn: IsoDate,
  text: z.string().max(5000, 'Keep the result under 5,000 characters.').optional(),
  quantity: Quantity.nullish(),
  unit: UnitSchema.nullish(),
});

const ChoiceFields = {
  title: z.string().trim().min(1, 'Give the choice a title.').max(200, 'Keep the title under 200 characters.'),
  description: z.string().max(20_000, 'Keep the description under 20,000 characters.').optional(),
  madeOn: IsoDate,
  level: z.enum(CHOICE_LEVELS, { error: `Level must be one of ${CHOICE_LEVELS.join(', ')}.` }),
  components: z.array(ComponentCode).min(1, 'Choose at least one component.').max(MAX_COMPONENTS),
  territory: SlugSchema,
  visibility: z.enum(VISIBILITIES, { error: 'Visibility must be private, territory or public.' }).optional(),
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

export const ChoicePatchBody = z.object(ChoiceFields).partial().refine((patch) => Object.keys(patch).length > 0, 'Change at least one field.');

export const ChoiceQuery = z.object({
  territory: SlugSchema.optional(),
  component: ComponentCode.optional(),
  dimension: z.string().trim().regex(/^[A-Za-z]$/, 'Use a dimension letter like A.').optional(),
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
  text: z.string().trim().min(1, 'Give a text to classify.').max(10_000, 'Keep the text under 10,000 characters.'),
  lang: LocaleSchema.optional(),
  limit: z.number().int().min(1).max(20).optional(),
});

export const GroupBody = z.object({
  name: NameSchema,
  kind: z.enum(GROUP_KINDS, { error: 'Kind must be homogeneous, coordination or mixed.' }),
  territory: SlugSchema,
  profile: z.string().max(2000, 'Keep the profile under 2,000 characters.').optional(),
  lang: LocaleSchema.optional(),
});
export const GroupPatchBody = GroupBody.pick({ name: true, profile: true, lang: true }).partial();

export const StatementBody = z.object({
  question: z.enum(QUESTIONS, { error: `Question must be one of ${QUESTIONS.join(', ')}.` }),
  text: z.string().trim().min(1, 'Write the statement.').max(2000, 'One idea per statement: keep it under 2,000 characters.'),
  components: z.array(ComponentCode).max(MAX_STATEMENT_COMPONENTS).optional(),
  lang: LocaleSchema.optional(),
  meaning: z.enum(MEANINGS, { error: 'Meaning must be one of P, O, Q, S, R.' }).nullish(),
  sessionOn: IsoDate.nullish(),
});
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
export const GroupSessionBody = z.object({ heldOn: IsoDate, notes: z.string().max(2000).optional() });

export const IndicatorBody = z.object({
  level: z.number({ error: 'Level must be a whole number from 1 to 5.' }).int('Level must be a whole number from 1 to 5.').min(1, 'Level must be from 1 to 5.').max(5, 'Level must be from 1 to 5.').optional(),
  ratedOn: IsoDate.optional(),
  phase: z.enum(PHASES, { error: 'Phase must be ex-ante or ex-post.' }).optional(),
  note: z.string().max(2000).optional(),
  descriptors: z.array(z.string().max(1000, 'Keep each descriptor under 1,000 characters.')).length(5, 'Give five descriptors, from very unsatisfactory to ideal.').optional(),
});

export const ActorBody = z.object({
  name: NameSchema,
  kind: z.enum(ACTOR_KINDS),
  territory: SlugSchema.nullish(),
});
export const RepresentativeBody = z.object({ email: EmailSchema });
