import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/routes/html/forms.js';
import { disambiguationOf, resolveStart } from '../../src/services/workshop-time.js';

describe('safeNext', () => {
  it('keeps same-site paths and turns every way out into /', () => {
    expect(safeNext('/workshops/3?tz=Europe/Lisbon#take-part')).toBe('/workshops/3?tz=Europe/Lisbon#take-part');
    for (const bad of ['//evil.example/', '/\\evil.example', '/\t/evil.example/', '/\n/evil.example', 'https://evil.example', 'evil', '', undefined]) expect(safeNext(bad), String(bad)).toBe('/');
  });
});

describe('wall times that happen twice', () => {
  it('tell which of the two a stored start is', () => {
    expect(disambiguationOf(resolveStart('2026-10-25T02:30', 'Europe/Brussels', 'earlier'), 'Europe/Brussels')).toBe('earlier');
    expect(disambiguationOf(resolveStart('2026-10-25T02:30', 'Europe/Brussels', 'later'), 'Europe/Brussels')).toBe('later');
    expect(disambiguationOf('2026-12-10T09:00:00Z', 'Europe/Brussels')).toBeUndefined();
  });
});
