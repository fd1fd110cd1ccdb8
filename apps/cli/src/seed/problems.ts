/** One thing wrong with a seed file: where it is (file, document, field) and what to fix. */
export interface Problem {
  file: string;
  index?: number;
  /** `Function hello`, once the document's kind and name are known. */
  resource?: string;
  field?: string;
  message: string;
}

export function describeProblem(p: Problem): string {
  const where = [p.file, p.index ? `document ${p.index}` : '', p.resource ? `(${p.resource})` : ''].filter(Boolean).join(' ');
  return `${where}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

/** Seed files that cannot be applied as they are: found before anything is applied (exit 1). */
export class SeedError extends Error {
  override readonly name = 'SeedError';
  constructor(readonly problems: Problem[]) {
    super(
      `${problems.length === 1 ? 'a problem' : `${problems.length} problems`} in the seed files; nothing was applied:\n` +
        problems.map((p) => `  ${describeProblem(p)}`).join('\n'),
    );
  }
}
