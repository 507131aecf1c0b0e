export interface Config {
  port: number;
  host: string;
  /** SQLite file (DATABASE_PATH), used when no databaseUrl is set. */
  databasePath: string;
  /** postgres://… (DATABASE_URL): run on PostgreSQL instead; no SQLite file is then written. */
  databaseUrl: string | null;
  /** Multiplies every per-IP rate limit (load tests raise it). */
  rateLimitScale: number;
  /** Public origin when behind a reverse proxy (e.g. https://journal.example.org); enables Secure cookies on https. */
  publicUrl: string | null;
  sessionIdleMinutes: number;
  /** Accounts younger than this (days) do not lift a summary cell over the privacy threshold. */
  newAccountDays: number;
  /** How long a summary waits for its words and quotes to be analysed again before serving the previous analysis (checked, provisional). */
  analysisWaitMs: number;
  /** At most one new analysis of a scope's words and quotes this often, however many writes arrive. */
  analysisIntervalMs: number;
  sessionAbsoluteDays: number;
  logLevel: string;
  assetsDir: string;
  /** smtp(s)://user:pass@host:port to send e-mail; without it, e-mails are written to the log. */
  smtpUrl: string | null;
  mailFrom: string;
  /**
   * Self-registered people confirm their e-mail address before publishing (spam-safe sign-up). On by
   * default when the instance sends e-mail (SMTP_URL); without it nobody could receive the link.
   */
  requireEmailVerification: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const scale = Number(env.RATE_LIMIT_SCALE ?? '1');
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databasePath: env.DATABASE_PATH ?? './data/journal.db',
    databaseUrl: env.DATABASE_URL || null,
    rateLimitScale: Number.isFinite(scale) && scale > 0 ? scale : 1,
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/$/, '') : null,
    sessionIdleMinutes: Number(env.SESSION_IDLE_MINUTES ?? 60 * 24 * 7),
    newAccountDays: Number(env.NEW_ACCOUNT_DAYS ?? 7),
    analysisWaitMs: Number(env.ANALYSIS_WAIT_MS ?? 25),
    analysisIntervalMs: Number(env.ANALYSIS_INTERVAL_MS ?? 30_000),
    sessionAbsoluteDays: Number(env.SESSION_ABSOLUTE_DAYS ?? 30),
    logLevel: env.LOG_LEVEL ?? 'info',
    assetsDir: env.ASSETS_DIR ?? 'dist/assets',
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.MAIL_FROM ?? 'Spiral Journal <no-reply@localhost>',
    requireEmailVerification: env.REQUIRE_EMAIL_VERIFICATION ? env.REQUIRE_EMAIL_VERIFICATION === 'true' : Boolean(env.SMTP_URL),
  };
}

/** The site's address in e-mails and other links made outside a request: PUBLIC_URL, else where it listens. */
export function siteOrigin(config: Config): string {
  return config.publicUrl ?? `http://${config.host}:${config.port}`;
}

/** Defaults for tests and tools: in-memory database, silent logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // Tests run as a production instance would: sign-ups confirm their address before publishing.
  return { ...loadConfig({}), databasePath: ':memory:', databaseUrl: null, logLevel: 'silent', requireEmailVerification: true, newAccountDays: 0, analysisWaitMs: 60_000, analysisIntervalMs: 0, ...overrides };
}

/** Where the data is, for messages: the PostgreSQL server (without its password) or the SQLite file. */
export function databaseLabel(config: Pick<Config, 'databasePath' | 'databaseUrl'>): string {
  if (!config.databaseUrl) return config.databasePath;
  try {
    const url = new URL(config.databaseUrl);
    return `postgresql://${url.host}${url.pathname}`;
  } catch {
    return 'postgresql';
  }
}
