import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { LOCALES, LOCALE_NAMES } from '../i18n/index.js';
// Options shared by many forms: territories in tree order (indented by depth), and the IANA time zones.

/**
 * The `<option>`s of a text's language: for a new text, "detect it from the text" comes first (the
 * server detects it, src/text/analysis.ts); an existing text shows the language it has, to correct.
 */
export function TextLanguageOptions({ c, selected, detect }: { c: Context<AppEnv>; selected?: string | null; detect: boolean }) {
  return (
    <>
      {detect ? <option value="" selected={!selected}>{c.get('t')('text.detectLanguage')}</option> : null}
      {LOCALES.map((l) => <option value={l} selected={selected === l}>{LOCALE_NAMES[l]}</option>)}
    </>
  );
}

const ZONES = Intl.supportedValuesOf('timeZone');

/** `<option>`s for a territory `<select>`, children indented under their parents. */
export function TerritoryOptions({ territories, selected }: { territories: { slug: string; name: string; depth: number }[]; selected?: string | null }) {
  return <>{territories.map((tr) => <option value={tr.slug} selected={selected === tr.slug}>{'\u00a0\u00a0'.repeat(tr.depth) + tr.name}</option>)}</>;
}

/** The `<datalist id="time-zones">` that time-zone inputs point to with `list="time-zones"`. */
export function TimeZoneList() {
  return <datalist id="time-zones">{ZONES.map((zone) => <option value={zone} />)}</datalist>;
}
