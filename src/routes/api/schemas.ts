import { z } from 'zod';
import { LOCALES } from '../../i18n/index.js';
import { ACTOR_KINDS } from '../../services/accounts.js';
import { TERRITORY_KINDS } from '../../services/territories.js';

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
