import type { Locale, Translate } from '../i18n/index.js';
import type { Deps, Viewer } from '../services/deps.js';

/** Per-request values set by middleware; routes read them with c.get(…). */
export interface AppEnv {
  Variables: {
    deps: Deps;
    viewer: Viewer | null;
    sessionToken: string | null;
    csrfToken: string | null;
    locale: Locale;
    t: Translate;
    clientIp: string;
    assets: AssetUrls;
    /** Unread notifications of the signed-in reader (HTML pages only; 0 elsewhere). */
    unreadNotices: number;
  };
}

export interface AssetUrls {
  script: string | null;
  styles: string[];
}
