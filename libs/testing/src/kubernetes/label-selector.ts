import { isLabelValue, isQualifiedName } from './apiserver-validation';

/** One requirement of a label selector, as k8s.io/apimachinery/pkg/labels parses it. */
export interface LabelRequirement {
  key: string;
  operator: 'exists' | 'doesNotExist' | '=' | '!=' | 'in' | 'notin';
  values: string[];
}

/** Raised for a selector the real API server would refuse (it answers 400 BadRequest). */
export class LabelSelectorError extends Error {}

/**
 * Parses the `labelSelector` query parameter: equality-based (`k=v`, `k==v`, `k!=v`), set-based
 * (`k in (a,b)`, `k notin (a,b)`) and existence (`k`, `!k`) requirements joined by commas. An
 * empty selector selects everything. Keys must be qualified names and values label values, as the
 * API server checks.
 */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const term of splitTerms(text)) {
    const t = term.trim();
    if (t === '') {
      if (text.trim() === '') continue;
      throw new LabelSelectorError(`unable to parse requirement: found '', expected: identifier`);
    }
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([^\s!=(),]+)$/.exec(t))) {
      requirements.push(requirement(m[1], 'doesNotExist', []));
    } else if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(t))) {
      requirements.push(requirement(m[1], m[2] === '!=' ? '!=' : '=', [m[3]]));
    } else if ((m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(t))) {
      const values = m[3].trim() === '' ? [] : m[3].split(',').map((v) => v.trim());
      requirements.push(requirement(m[1], m[2] as 'in' | 'notin', values));
    } else if ((m = /^([^\s!=(),]+)$/.exec(t))) {
      requirements.push(requirement(m[1], 'exists', []));
    } else {
      throw new LabelSelectorError(`unable to parse requirement: "${t}"`);
    }
  }
  return requirements;
}

export function matchesLabels(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.operator) {
      case 'exists':
        return has;
      case 'doesNotExist':
        return !has;
      case '=':
      case 'in':
        return has && r.values.includes(l[r.key]);
      case '!=':
      case 'notin':
        // As in apimachinery: a missing key satisfies both.
        return !has || !r.values.includes(l[r.key]);
    }
  });
}

function requirement(key: string, operator: LabelRequirement['operator'], values: string[]): LabelRequirement {
  if (!isQualifiedName(key)) throw new LabelSelectorError(`unable to parse requirement: invalid label key "${key}"`);
  for (const v of values) {
    if (!isLabelValue(v)) throw new LabelSelectorError(`unable to parse requirement: invalid label value: "${v}"`);
  }
  if ((operator === 'in' || operator === 'notin') && values.length === 0) {
    throw new LabelSelectorError(`unable to parse requirement: for 'in', 'notin' operators, values set can't be empty`);
  }
  return { key, operator, values };
}

/** Splits on the commas that are not inside a `( … )` value set. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}
