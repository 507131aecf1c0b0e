import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Timestamps are ISO-8601 UTC strings and dates are YYYY-MM-DD: portable between SQLite and PostgreSQL
// and sortable as text. Localised labels are JSON objects keyed by locale ({"en": …, "fr": …, "pt": …}).

export type Role = 'admin' | 'coordinator' | 'facilitator' | 'member';

export interface UserTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  name: string;
  role: Role;
  locale: string;
  time_zone: string | null;
  created_at: string;
  disabled_at: string | null;
  /** Null until someone who signed up themselves follows the link sent to them. */
  email_verified_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Consent: what a new choice starts as, and whether it counts in summaries, unless said otherwise. */
  default_visibility: ColumnType<Visibility, Visibility | undefined, Visibility>;
  count_in_summaries_default: ColumnType<number, number | undefined, number>;
}

export interface EmailVerificationTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface ActorTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: string;
  home_territory_id: number | null;
  created_at: string;
  /** Permanent random key for cell-key perturbation (never shown); set by a trigger on insert. */
  record_key: ColumnType<number, number | undefined, number>;
}

export interface UserActorTable {
  user_id: number;
  actor_id: number;
  is_primary: number;
}

export interface TerritoryTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: string;
  parent_id: number | null;
  created_at: string;
  created_by: number | null;
}

export type MembershipStatus = 'active' | 'pending';

export interface MembershipTable {
  actor_id: number;
  territory_id: number;
  role: 'member' | 'coordinator';
  created_at: string;
  /** Pending until a coordinator of the territory (or above) or an admin accepts it: only active ones open territory-only content. */
  status: ColumnType<MembershipStatus, MembershipStatus | undefined, MembershipStatus>;
  decided_by: ColumnType<number | null, number | null | undefined, number | null>;
  decided_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Someone asked to represent an actor (an organisation); they become a representative only by accepting. */
export interface RepresentativeInvitationTable {
  id: Generated<number>;
  actor_id: number;
  user_id: number;
  invited_by: number | null;
  created_at: string;
  expires_at: string;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
}

export interface AccessTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface TaxonomyVersionTable {
  version: string;
  name: string; // JSON labels
  source: string | null;
  extra: string; // JSON: scale, meanings, questions, actorKinds, levels
  is_current: number;
  created_at: string;
}

export interface DimensionTable {
  version: string;
  code: string;
  labels: string;
  descriptions: string;
  position: number;
}

export interface ComponentTable {
  version: string;
  code: string;
  dimension_code: string;
  labels: string;
  descriptions: string;
  crosswalk: string;
  position: number;
}

export interface PageTable {
  id: Generated<number>;
  path: string;
  namespace: string;
  title: string;
  current_revision: number;
  protected: number;
  owner_actor_id: number | null;
  territory_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface PageRevisionTable {
  id: Generated<number>;
  page_id: number;
  number: number;
  title: string;
  markdown: string;
  html: string;
  summary: string;
  author_id: number | null;
  created_at: string;
  size: number;
  reverted_to: number | null;
}

export interface PageLinkTable {
  page_id: number;
  target_path: string;
}

export interface CommentTable {
  id: Generated<number>;
  page_id: number;
  author_id: number;
  markdown: string;
  html: string;
  created_at: string;
  /** Hidden by a moderator: kept, shown to nobody. */
  hidden_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export type FlagKind = 'page' | 'comment' | 'choice';

export interface FlagTable {
  id: Generated<number>;
  kind: FlagKind;
  ref: string;
  reason: string;
  reporter_id: number | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by: number | null;
  resolution: 'hidden' | 'closed' | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  user_id: number | null;
  action: string;
  target: string;
  details: string;
  created_at: string;
}

export type Visibility = 'private' | 'territory' | 'public';
export type ChoiceStatus = 'planned' | 'done' | 'given-up';

export interface ChoiceTable {
  id: Generated<number>;
  actor_id: number;
  territory_id: number;
  author_id: number | null;
  taxonomy_version: string;
  title: string;
  description: string;
  description_html: string;
  lang: string;
  made_on: string;
  level: string;
  visibility: Visibility;
  count_in_summaries: number;
  status: ChoiceStatus | null;
  follow_up_on: string | null;
  result_count: number;
  revision: number;
  created_at: string;
  updated_at: string;
  /** Permanent random key for cell-key perturbation (never shown); set by a trigger on insert. */
  record_key: ColumnType<number, number | undefined, number>;
}

export interface ChoiceComponentTable {
  choice_id: number;
  component_code: string;
  dimension_code: string;
  position: number;
}

export interface ChoiceResultTable {
  id: Generated<number>;
  choice_id: number;
  observed_on: string;
  text: string;
  quantity: number | null;
  unit: string | null;
  author_id: number | null;
  created_at: string;
  /** Permanent random key for cell-key perturbation (never shown); set by a trigger on insert. */
  record_key: ColumnType<number, number | undefined, number>;
}

export interface ChoiceRevisionTable {
  id: Generated<number>;
  choice_id: number;
  number: number;
  author_id: number | null;
  action: string;
  changed: string; // JSON array of field names
  snapshot: string; // JSON
  created_at: string;
}

export type GroupKind = 'homogeneous' | 'coordination' | 'mixed';

export interface SpiralGroupTable {
  id: Generated<number>;
  name: string;
  kind: GroupKind;
  territory_id: number;
  profile: string;
  lang: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface GroupMemberTable {
  group_id: number;
  actor_id: number;
  role: 'facilitator' | 'member';
  created_at: string;
}

export interface GroupSessionTable {
  id: Generated<number>;
  group_id: number;
  held_on: string;
  notes: string;
  created_at: string;
}

export interface StatementTable {
  id: Generated<number>;
  group_id: number;
  taxonomy_version: string;
  question: string;
  text: string;
  lang: string;
  meaning: string | null;
  session_on: string | null;
  author_id: number | null;
  created_at: string;
  /** Permanent random key for cell-key perturbation (never shown); set by a trigger on insert. */
  record_key: ColumnType<number, number | undefined, number>;
}

export interface StatementComponentTable {
  statement_id: number;
  component_code: string;
  dimension_code: string;
  position: number;
}

export interface IndicatorTable {
  id: Generated<number>;
  territory_id: number;
  component_code: string;
  taxonomy_version: string;
  descriptors: string; // JSON: five strings, level 1 (very unsatisfactory) to 5 (ideal)
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface IndicatorRatingTable {
  id: Generated<number>;
  indicator_id: number;
  level: number;
  rated_on: string;
  phase: 'ex-ante' | 'ex-post';
  note: string;
  author_id: number | null;
  created_at: string;
}

export interface SearchEntryTable {
  id: Generated<number>; // also the rowid of the entry in the search_index FTS5 table
  kind: string;
  ref: string;
}

interface SummaryCell {
  scope_id: number;
  month: string;
  actor_kind: string;
  choices: number;
  actors: string; // JSON: up to three distinct actor ids
}

export interface AssessmentTable {
  id: Generated<number>;
  territory_id: number;
  period_from: string;
  period_to: string;
  snapshot: string; // JSON: the summary (English labels; codes relabelled when shown)
  previous: string; // JSON: the summary of the previous period of the same length
  activities: string; // JSON: charters adopted and workshops held in the period (when those features exist)
  created_by: number | null;
  created_at: string;
}

export interface Database {
  user: UserTable;
  actor: ActorTable;
  user_actor: UserActorTable;
  territory: TerritoryTable;
  membership: MembershipTable;
  representative_invitation: RepresentativeInvitationTable;
  session: SessionTable;
  access_token: AccessTokenTable;
  taxonomy_version: TaxonomyVersionTable;
  dimension: DimensionTable;
  component: ComponentTable;
  page: PageTable;
  page_revision: PageRevisionTable;
  page_link: PageLinkTable;
  comment: CommentTable;
  audit_log: AuditLogTable;
  flag: FlagTable;
  email_verification: EmailVerificationTable;
  choice: ChoiceTable;
  choice_component: ChoiceComponentTable;
  choice_result: ChoiceResultTable;
  choice_revision: ChoiceRevisionTable;
  spiral_group: SpiralGroupTable;
  group_member: GroupMemberTable;
  group_session: GroupSessionTable;
  statement: StatementTable;
  statement_component: StatementComponentTable;
  indicator: IndicatorTable;
  indicator_rating: IndicatorRatingTable;
  search_entry: SearchEntryTable;
  summary_component: SummaryCell & { component_code: string };
  summary_dimension: SummaryCell & { dimension_code: string };
  summary_choice: SummaryCell & { level: string };
  summary_week: SummaryCell & { week_start: string };
  summary_result: SummaryCell & { unit: string; quantity_sum: number; results: number };
  summary_actor: { scope_id: number; month: string; actor_kind: string; actor_id: number; choices: number };
  summary_meta: { key: string; value: string };
  assessment: AssessmentTable;
  workshop: WorkshopTable;
  registration: RegistrationTable;
  calendar_feed: { user_id: number; token_hash: string; created_at: string };
  outbox: OutboxTable;
  charter: CharterTable;
  charter_version: { charter_id: number; number: number; markdown: string; html: string; summary: string; author_id: number | null; amendment_id: number | null; created_at: string };
  charter_participant: { charter_id: number; user_id: number; joined_at: string };
  amendment: AmendmentTable;
  approval: { charter_id: number; user_id: number; version: number; decision: 'approve' | 'object'; comment: string; created_at: string };
  charter_signature: { charter_id: number; actor_id: number; signed_by: number | null; signed_at: string };
  topic: TopicTable;
  topic_interest: { topic_id: number; user_id: number; created_at: string };
  tool: ToolTable;
  tool_proposal: { id: Generated<number>; tool_id: number | null; kind: 'new' | 'improvement'; text: string; author_id: number | null; created_at: string };
  tool_use: { tool_id: number; target_kind: 'workshop' | 'choice'; target_id: number; created_at: string };
  notice: NoticeTable;
  watch: WatchTable;
  notification_preference: { user_id: number; category: NotificationCategory; frequency: NotificationFrequency };
  notification_delivery: { user_id: number; frequency: NotificationFrequency; last_sent_at: string };
  personal_feed: { user_id: number; token_hash: string; created_at: string };
  setting: { key: string; value: string };
}

export interface CharterTable {
  id: Generated<number>;
  title: string;
  workshop_id: number | null;
  drafter_id: number | null;
  status: 'draft' | 'adopted';
  current_version: number;
  adopted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AmendmentTable {
  id: Generated<number>;
  charter_id: number;
  author_id: number | null;
  base_version: number;
  text: string;
  rationale: string;
  status: 'open' | 'accepted' | 'declined';
  reason: string | null;
  decided_by: number | null;
  decided_at: string | null;
  created_at: string;
}

export interface TopicTable {
  id: Generated<number>;
  title: string;
  description: string;
  description_html: string;
  proposer_id: number | null;
  workshop_id: number | null;
  created_at: string;
}

export interface ToolTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  description_html: string;
  url: string | null;
  languages: string;
  offered_by: string | null;
  author_id: number | null;
  created_at: string;
}

export interface WorkshopTable {
  id: Generated<number>;
  slug: string;
  title: string;
  description: string;
  description_html: string;
  theme: string | null;
  actor_kind: string | null;
  territory_id: number | null;
  /** A multi-day event the workshop belongs to (its programme groups them). */
  event: string | null;
  /** UTC instant, YYYY-MM-DDTHH:mm:ssZ. */
  starts_at: string;
  /** The organiser's IANA zone. */
  time_zone: string;
  duration_minutes: number;
  /** JSON array of language codes. */
  languages: string;
  capacity: number | null;
  join_url: string | null;
  organiser_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface RegistrationTable {
  workshop_id: number;
  user_id: number;
  status: 'registered' | 'waiting';
  created_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  body: string;
  /** JSON object of extra headers (List-Unsubscribe…). */
  headers: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: string;
  sent_at: string | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Actor = Selectable<ActorTable>;
export type Territory = Selectable<TerritoryTable>;
export type Page = Selectable<PageTable>;
export type PageRevision = Selectable<PageRevisionTable>;
export type Choice = Selectable<ChoiceTable>;
export type SpiralGroup = Selectable<SpiralGroupTable>;
export type Workshop = Selectable<WorkshopTable>;
export type Charter = Selectable<CharterTable>;

export type WatchKind = 'page' | 'territory' | 'component' | 'group' | 'workshop' | 'charter';
/** What a notification is about: a change to something watched (by the kind watched), or something asked of me or done for me. */
export type NotificationCategory = WatchKind | 'participation';
export type NotificationFrequency = 'immediate' | 'daily' | 'weekly' | 'never';

export interface WatchTable {
  id: Generated<number>;
  user_id: number;
  kind: WatchKind;
  target: string;
  created_at: string;
  expires_at: string | null;
}

export interface NoticeTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  params: string;
  url: string;
  created_at: string;
  read_at: string | null;
  category: ColumnType<NotificationCategory, NotificationCategory | undefined, NotificationCategory>;
  watch_id: ColumnType<number | null, number | null | undefined, number | null>;
  emailed_at: ColumnType<string | null, string | null | undefined, string | null>;
}
