// Page paths are lower-case, hyphenated, slash-separated segments of letters and digits in any script,
// so [[Jardin partagé]] and "jardin-partagé" name the same page.
export const NAMESPACES = ['actor', 'territory', 'group', 'workshop', 'tool', 'charter'] as const;
export type Namespace = (typeof NAMESPACES)[number] | 'main';

/** Route suffixes the API reserves after a page path. */
export const RESERVED_LAST_SEGMENTS = new Set(['revisions', 'diff', 'revert', 'backlinks', 'comments', 'protect']);

export function toPagePath(text: string): string {
  return text
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^\p{L}\p{N}\-/]+/gu, '')
    .split('/')
    .map((segment) => segment.replace(/-+/g, '-').replace(/^-|-$/g, ''))
    .filter(Boolean)
    .join('/')
    .slice(0, 200);
}

export function namespaceOf(path: string): Namespace {
  const first = path.split('/')[0];
  return (NAMESPACES as readonly string[]).includes(first) && path.includes('/') ? (first as Namespace) : 'main';
}

/** A readable default title from a path: "community-garden" → "Community garden". */
export function titleFromPath(path: string): string {
  const last = path.split('/').pop() ?? path;
  const words = last.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
