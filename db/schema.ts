import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

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
}

export interface ActorTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: string;
  home_territory_id: number | null;
  created_at: string;
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

export interface MembershipTable {
  actor_id: number;
  territory_id: number;
  role: 'member' | 'coordinator';
  created_at: string;
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
}

export interface AuditLogTable {
  id: Generated<number>;
  user_id: number | null;
  action: string;
  target: string;
  details: string;
  created_at: string;
}

export interface Database {
  user: UserTable;
  actor: ActorTable;
  user_actor: UserActorTable;
  territory: TerritoryTable;
  membership: MembershipTable;
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
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Actor = Selectable<ActorTable>;
export type Territory = Selectable<TerritoryTable>;
export type Page = Selectable<PageTable>;
export type PageRevision = Selectable<PageRevisionTable>;
