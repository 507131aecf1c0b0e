// Options shared by many forms: territories in tree order (indented by depth), and the IANA time zones.

const ZONES = Intl.supportedValuesOf('timeZone');

/** `<option>`s for a territory `<select>`, children indented under their parents. */
export function TerritoryOptions({ territories, selected }: { territories: { slug: string; name: string; depth: number }[]; selected?: string | null }) {
  return <>{territories.map((tr) => <option value={tr.slug} selected={selected === tr.slug}>{'\u00a0\u00a0'.repeat(tr.depth) + tr.name}</option>)}</>;
}

/** The `<datalist id="time-zones">` that time-zone inputs point to with `list="time-zones"`. */
export function TimeZoneList() {
  return <datalist id="time-zones">{ZONES.map((zone) => <option value={zone} />)}</datalist>;
}
