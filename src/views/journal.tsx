import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import type { MessageKey } from '../i18n/index.js';
import type { LocalisedTaxonomy } from '../services/criteria.js';
import type { ChoiceView } from '../services/choices.js';
import { CHOICE_STATUSES, FOLLOW_UP_DELAYS, VISIBILITIES } from '../services/choices.js';
import type { TerritoryNode } from '../services/territories.js';
import { LOCALES, LOCALE_NAMES } from '../i18n/index.js';
import { CsrfField, FieldErrors } from './layout.js';
import { TerritoryOptions, TextLanguageOptions } from './form-options.js';

// Shared pieces of the journal pages: a choice in a list, the criteria picker, the choice form.

export const visibilityLabel = (c: Context<AppEnv>, visibility: string) => c.get('t')(`visibility.${visibility}` as MessageKey);
export const statusLabel = (c: Context<AppEnv>, status: string) => c.get('t')(`status.${status}` as MessageKey);

export function formatDay(c: Context<AppEnv>, isoDate: string): string {
  return new Intl.DateTimeFormat(c.get('locale'), { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}

export function formatQuantity(c: Context<AppEnv>, quantity: number, unit: string | null): string {
  return `${new Intl.NumberFormat(c.get('locale'), { maximumFractionDigits: 2 }).format(quantity)}${unit ? `\u00a0${unit}` : ''}`;
}

/** Components as the reader names them, their code as secondary text: the one way pages show a choice's criteria. */
export function ComponentChips({ components }: { components: ChoiceView['components'] }) {
  return (
    <ul class="chips">
      {components.map((comp) => <li><a href={`/criteria/${comp.code}`} title={comp.dimension.label}>{comp.label} <span class="code">{comp.code}</span></a></li>)}
    </ul>
  );
}

export function ChoiceCard({ c, choice, levelLabel, headingLevel = 3 }: { c: Context<AppEnv>; choice: ChoiceView; levelLabel: (code: string) => string; headingLevel?: 2 | 3 }) {
  const t = c.get('t');
  const heading = <a href={choice.url} lang={choice.lang}>{choice.title}</a>;
  return (
    <article class="choice-card" aria-labelledby={`choice-${choice.id}`}>
      {headingLevel === 2 ? <h2 id={`choice-${choice.id}`}>{heading}</h2> : <h3 id={`choice-${choice.id}`}>{heading}</h3>}
      <p class="meta">
        <time datetime={choice.madeOn}>{formatDay(c, choice.madeOn)}</time> · <a href={`/wiki/actor/${choice.actor.slug}`}>{choice.actor.name}</a> · <a href={`/territories/${choice.territory.slug}`}>{choice.territory.name}</a> · {levelLabel(choice.level)}
        {choice.status ? <>{' '}<span class={`badge status-${choice.status}`}>{statusLabel(c, choice.status)}</span></> : null}
        {' '}<span class={`badge visibility-${choice.visibility}`}>{visibilityLabel(c, choice.visibility)}</span>
      </p>
      <ComponentChips components={choice.components} />
      {choice.results.length ? (
        <p class="meta">{t('choice.resultCount', { count: choice.results.length })}{choice.results.some((r) => r.quantity !== null) ? `: ${choice.results.filter((r) => r.quantity !== null).map((r) => formatQuantity(c, r.quantity!, r.unit)).join(', ')}` : ''}</p>
      ) : null}
    </article>
  );
}

export function CriteriaPicker({ c, taxonomy, selected, errors, legend }: { c: Context<AppEnv>; taxonomy: LocalisedTaxonomy; selected: Set<string>; errors?: Record<string, string>; legend?: string }) {
  const t = c.get('t');
  return (
    <fieldset id="components" aria-describedby="components-hint">
      <legend>{legend ?? t('choice.components')}</legend>
      <p class="hint" id="components-hint">{t('picker.hint')}</p>
      <FieldErrors errors={errors} name="components" />
      <sj-criteria-picker
        suggest-url="/api/criteria/suggest"
        text-fields="title description text"
        lang-field="lang"
        label-search={t('picker.search')}
        label-suggested={t('picker.suggested')}
        label-no-suggestion={t('picker.noSuggestion')}
        label-selected={t('picker.selected')}
        label-none-selected={t('picker.noneSelected')}
        label-remove={t('picker.remove')}
        label-add={t('picker.add')}
        label-matches={JSON.stringify({ zero: t('picker.matches', { count: 0 }), one: t('picker.matches', { count: 1 }), other: t('picker.matches', { count: 2 }).replace('2', '{n}') })}
      >
        {taxonomy.dimensions.map((d) => (
          <details data-dimension={d.code} open={d.components.some((comp) => selected.has(comp.code)) || undefined}>
            <summary><span class="code">{d.code}</span> {d.label}</summary>
            <ul class="picker-list">
              {d.components.map((comp) => (
                <li data-text={`${comp.code} ${comp.label} ${comp.description}`}>
                  <label><input type="checkbox" name="components" value={comp.code} checked={selected.has(comp.code)} /> <span class="code">{comp.code}</span> {comp.label}</label>
                </li>
              ))}
            </ul>
          </details>
        ))}
      </sj-criteria-picker>
    </fieldset>
  );
}

export interface ChoiceFormProps {
  c: Context<AppEnv>;
  action: string;
  taxonomy: LocalisedTaxonomy;
  territories: TerritoryNode[];
  actors: { slug: string; name: string }[];
  values: Record<string, string | undefined>;
  components: string[];
  errors?: Record<string, string>;
  units: string[];
  mode: 'create' | 'edit';
}

export function ChoiceForm({ c, action, taxonomy, territories, actors, values, components, errors, units, mode }: ChoiceFormProps) {
  const t = c.get('t');
  const visibility = values.visibility ?? 'private';
  const invalid = (name: string) => (errors?.[name] ? { 'aria-invalid': 'true', 'aria-describedby': `${name}-error` } : {});
  return (
    <form method="post" action={action} class="stack choice-form">
      <CsrfField c={c} />
      {mode === 'create' && actors.length > 1 ? (
        <>
          <label for="actor">{t('choice.actor')}</label>
          <select id="actor" name="actor">{actors.map((a) => <option value={a.slug} selected={values.actor === a.slug}>{a.name}</option>)}</select>
        </>
      ) : null}
      <label for="title">{t('choice.title')}</label>
      <input id="title" name="title" required maxlength={200} value={values.title ?? ''} placeholder={t('choice.titlePlaceholder')} {...invalid('title')} />
      <FieldErrors errors={errors} name="title" />
      <label for="description">{t('choice.description')}</label>
      <textarea id="description" name="description" rows={4} maxlength={20000} aria-describedby="description-hint">{values.description ?? ''}</textarea>
      <p class="hint" id="description-hint">{t('choice.descriptionHint')}</p>
      <FieldErrors errors={errors} name="description" />
      <div class="field-row">
        <div>
          <label for="madeOn">{t('choice.madeOn')}</label>
          <input id="madeOn" name="madeOn" type="date" required value={values.madeOn ?? ''} {...invalid('madeOn')} />
          <FieldErrors errors={errors} name="madeOn" />
        </div>
        <div>
          <label for="level">{t('choice.level')}</label>
          <select id="level" name="level" {...invalid('level')}>{taxonomy.levels.map((l) => <option value={l.code} selected={values.level === l.code}>{l.label}</option>)}</select>
          <FieldErrors errors={errors} name="level" />
        </div>
      </div>
      <div class="field-row">
        <div>
          <label for="territory">{t('choice.territory')}</label>
          <select id="territory" name="territory" required {...invalid('territory')}>
            <option value="">{t('choice.chooseTerritory')}</option>
            <TerritoryOptions territories={territories} selected={values.territory} />
          </select>
          <FieldErrors errors={errors} name="territory" />
        </div>
        <div>
          <label for="lang">{t('choice.lang')}</label>
          <select id="lang" name="lang"><TextLanguageOptions c={c} selected={values.lang} detect={mode === 'create'} /></select>
        </div>
      </div>
      <CriteriaPicker c={c} taxonomy={taxonomy} selected={new Set(components)} errors={errors} />
      <fieldset>
        <legend>{t('choice.visibility')}</legend>
        {VISIBILITIES.map((v) => (
          <label class="choice-option"><input type="radio" name="visibility" value={v} checked={visibility === v} /> <strong>{visibilityLabel(c, v)}</strong> — <span class="hint">{t(`visibility.${v}Hint` as MessageKey)}</span></label>
        ))}
        <FieldErrors errors={errors} name="visibility" />
        <input type="hidden" name="countInSummariesShown" value="1" />
        <label class="choice-option"><input type="checkbox" name="countInSummaries" value="on" checked={values.countInSummaries !== 'off'} /> {t('choice.countInSummaries')}</label>
        <p class="hint">{t('choice.countInSummariesHint')}</p>
      </fieldset>
      <div class="field-row">
        <div>
          <label for="status">{t('choice.status')}</label>
          <select id="status" name="status">
            <option value="">{t('status.none')}</option>
            {CHOICE_STATUSES.map((s) => <option value={s} selected={values.status === s}>{statusLabel(c, s)}</option>)}
          </select>
        </div>
        <div>
          <label for="followUpInDays">{t('choice.followUp')}</label>
          <select id="followUpInDays" name="followUpInDays" aria-describedby="follow-up-hint">
            {FOLLOW_UP_DELAYS.map((d) => <option value={String(d)} selected={(values.followUpInDays ?? '90') === String(d)}>{t('choice.followUpAfter', { days: d })}</option>)}
            <option value="never" selected={values.followUpInDays === 'never'}>{t('choice.followUpNever')}</option>
          </select>
          <p class="hint" id="follow-up-hint">{t('choice.followUpHint')}</p>
        </div>
      </div>
      {mode === 'create' ? (
        <details open={Boolean(values.resultText || values.resultQuantity) || undefined}>
          <summary>{t('choice.resultNow')}</summary>
          <ResultFields c={c} values={values} errors={errors} units={units} />
        </details>
      ) : null}
      <button type="submit">{mode === 'create' ? t('choice.save') : t('form.save')}</button>
    </form>
  );
}

export function ResultFields({ c, values, errors, units }: { c: Context<AppEnv>; values: Record<string, string | undefined>; errors?: Record<string, string>; units: string[] }) {
  const t = c.get('t');
  return (
    <div class="stack">
      <label for="resultObservedOn">{t('result.observedOn')}</label>
      <input id="resultObservedOn" name="resultObservedOn" type="date" value={values.resultObservedOn ?? ''} />
      <FieldErrors errors={errors} name="resultObservedOn" />
      <label for="resultText">{t('result.text')}</label>
      <textarea id="resultText" name="resultText" rows={3} maxlength={5000}>{values.resultText ?? ''}</textarea>
      <FieldErrors errors={errors} name="resultText" />
      <div class="field-row">
        <div>
          <label for="resultQuantity">{t('result.quantity')}</label>
          <input id="resultQuantity" name="resultQuantity" inputmode="decimal" value={values.resultQuantity ?? ''} aria-describedby="quantity-hint" />
          <p class="hint" id="quantity-hint">{t('result.quantityHint')}</p>
          <FieldErrors errors={errors} name="resultQuantity" />
        </div>
        <div>
          <label for="resultUnit">{t('result.unit')}</label>
          <input id="resultUnit" name="resultUnit" list="units" maxlength={40} value={values.resultUnit ?? ''} />
          <datalist id="units">{units.map((u) => <option value={u} />)}</datalist>
          <FieldErrors errors={errors} name="resultUnit" />
        </div>
      </div>
    </div>
  );
}
