/**
 * NATS subject semantics shared by both bus implementations, so a filter means the same thing
 * in solo mode as on a JetStream server: tokens are separated by `.`, `*` matches exactly one
 * token and `>` (last token only) matches one or more trailing tokens.
 */

/** Whether the concrete `subject` is delivered to a subscription on `filter`. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

/** Whether every subject matched by `filter` is also matched by `pattern` (a stream capturing a consumer's filter). */
export function subjectCovers(pattern: string, filter: string): boolean {
  const p = pattern.split('.');
  const f = filter.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return f.length > i;
    if (i >= f.length || f[i] === '>') return false;
    if (p[i] !== '*' && p[i] !== f[i]) return false;
  }
  return p.length === f.length;
}

/** Whether some concrete subject is matched by both patterns. */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === '>') return y.length > i;
    if (y[i] === '>') return x.length > i;
    if (i >= x.length || i >= y.length) return false;
    if (x[i] !== '*' && y[i] !== '*' && x[i] !== y[i]) return false;
  }
  return true;
}

const TOKEN = /^[^\s.*>]+$/;

/**
 * Rejects subjects NATS would reject, so solo mode fails the same way cluster mode does instead
 * of accepting a subject that breaks once deployed.
 */
export function assertSubject(subject: string, { wildcards }: { wildcards: boolean }): void {
  const tokens = subject.split('.');
  tokens.forEach((token, i) => {
    if (TOKEN.test(token)) return;
    const wildcard = token === '*' || (token === '>' && i === tokens.length - 1);
    if (wildcards && wildcard) return;
    throw new Error(`invalid bus subject "${subject}"${wildcard ? ': wildcards are not allowed here' : ''}`);
  });
}
