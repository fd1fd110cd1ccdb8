import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

export const EXPORT_FORMATS = ['json', 'yaml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The media types each format answers to; the first is the one the answer is sent as. */
const MEDIA_TYPES: Record<ExportFormat, string[]> = {
  json: ['application/json', 'application/*', '*/*'],
  yaml: ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'],
};

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  yaml: 'application/yaml; charset=utf-8',
};

/**
 * The format of an export: `?format=` when given (a link or a shell has no Accept to set), else
 * what Accept prefers (its q values; the earlier of two equal ones), else JSON. An Accept naming
 * neither is answered in JSON too, as every other route answers it.
 */
export function exportFormat(format: unknown, accept: string | undefined): ExportFormat {
  if (format !== undefined) {
    if (typeof format === 'string' && (EXPORT_FORMATS as readonly string[]).includes(format)) return format as ExportFormat;
    throw new DispatchError(ErrorCode.VALIDATION_FAILED, `format: one of ${EXPORT_FORMATS.join(', ')} (JSON when left out)`, {
      problems: [{ field: 'format', problem: `one of ${EXPORT_FORMATS.join(', ')}` }],
    });
  }
  let best: { format: ExportFormat; q: number } | undefined;
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const found = EXPORT_FORMATS.find((f) => MEDIA_TYPES[f].includes(type));
    if (!found) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { format: found, q };
  }
  return best?.format ?? 'json';
}
