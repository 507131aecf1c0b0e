import type { Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { requireViewer } from '../../http/guards.js';
import { updateProfile } from '../../services/accounts.js';
import { ProfileBody } from '../api/schemas.js';
import { consentFromForm } from '../../views/consent-fields.js';
import { parseForm, readForm } from './forms.js';

export function privacyPages(app: Hono<AppEnv>) {
  // The settings page's consent form (src/views/consent-fields.tsx): radio buttons, so only a forged
  // request can be invalid, and it gets the plain 400 page.
  app.post('/me/consent', async (c) => {
    const viewer = requireViewer(c);
    const input = parseForm(ProfileBody.pick({ defaultVisibility: true, countInSummaries: true }), consentFromForm(await readForm(c)));
    await updateProfile(c.get('deps'), viewer, input);
    return c.redirect('/me/settings?consent=saved#privacy-choices', 303);
  });
}
