import { existsSync, readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../project-root.js';
import { ThemeFeatures, type ThemeConcept, type ThemeLexicons } from './themes.js';

// The lexicons themes are found with, read once per process (the analysis worker's, or a test's):
// the everyday concepts (seed/lexicon/themes.json) and the SPIRAL components' words of a taxonomy.

const LEXICON_DIR = `${PROJECT_ROOT}seed/lexicon/`;
const built = new Map<string, ThemeFeatures>();

export function readThemeLexicons(taxonomyVersion: string): ThemeLexicons {
  const concepts = (JSON.parse(readFileSync(`${LEXICON_DIR}themes.json`, 'utf8')) as { concepts: ThemeConcept[] }).concepts;
  const componentsPath = `${LEXICON_DIR}${taxonomyVersion}.json`;
  const components = existsSync(componentsPath) ? (JSON.parse(readFileSync(componentsPath, 'utf8')) as ThemeLexicons).components : {};
  return { concepts, components };
}

export function themeFeatures(taxonomyVersion: string): ThemeFeatures {
  let features = built.get(taxonomyVersion);
  if (!features) built.set(taxonomyVersion, (features = new ThemeFeatures(readThemeLexicons(taxonomyVersion))));
  return features;
}
