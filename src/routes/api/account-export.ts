import type { ApiRoutes } from '../../http/api-route.js';
import { type Limits, limitByIpAndAccount, requireViewer } from '../../http/guards.js';
import { exportMyData } from '../../services/account-export.js';

export function accountExportRoutes(api: ApiRoutes, limits: Limits) {
  api.add({
    method: 'get', path: '/api/me/export', tag: 'accounts', auth: true,
    summary: 'Export my data: one JSON archive (format "spiral-journal-export", version 1) of my profile, actors and memberships, every choice of my actors with results (private ones included), '
      + 'statements, pages and revisions I wrote, comments, registrations, charters, topics, tools, watchlist and notifications; no secrets and nothing of other people’s private data. '
      + 'Documented field by field in README.md (“Export format”) and at /help/export-format; `journal import` reads it on another instance. Works with the session cookie, so a plain link downloads it.',
    responses: { 200: { description: 'The archive, as an attachment (spiral-journal-<date>.json)' }, 429: { description: 'Too many exports: wait a little' } },
  }, async (c) => {
    const viewer = requireViewer(c);
    limitByIpAndAccount(c, limits, 'export', limits.rules.writesPerIp, limits.rules.exportPerAccount);
    const archive = await exportMyData(c.get('deps'), viewer);
    c.header('Content-Disposition', `attachment; filename="spiral-journal-${archive.exportedAt.slice(0, 10)}.json"`);
    // Personal data: never kept by a browser or proxy cache.
    c.header('Cache-Control', 'no-store');
    return c.json(archive);
  });
}
