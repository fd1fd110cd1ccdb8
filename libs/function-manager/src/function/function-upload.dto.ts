import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ErrorCode } from '@dispatch/contracts';
import { assertStorable, DispatchError, type ZodBodyOptions } from '@dispatch/platform';
import {
  readArchive,
  SOURCE_ARCHIVE_MAX_BYTES,
  SOURCE_FILE_MAX_BYTES,
  SOURCE_MAX_FILES,
  SOURCE_TREE_MAX_BYTES,
  type SourceFileInput,
  type SourceTree,
  treeFromFiles,
} from '../source';

/** busboy's errors for a body that is not well-formed multipart carry no code, only these messages. */
const MALFORMED_MULTIPART = /unexpected end of (form|file|multipart data)|malformed (part header|urlencoded form)|boundary not found/i;

/** Form fields read at most; only `function` is accepted, the rest are refused by name. */
const MAX_FIELDS = 20;

/**
 * What the multipart reader lets through before the source rules see the parts: no file larger
 * than a source file or an archive may be, as many files as a source holds. A larger file or one
 * part too many is 413 PAYLOAD_TOO_LARGE (below); a `function` field over 1 MiB is cut short by the
 * reader, so it fails as INVALID_JSON. Every other route keeps the plugin's far tighter defaults.
 */
const UPLOAD_LIMITS = {
  fileSize: Math.max(SOURCE_FILE_MAX_BYTES, SOURCE_ARCHIVE_MAX_BYTES),
  files: SOURCE_MAX_FILES,
  fields: MAX_FIELDS,
  fieldSize: 1024 * 1024,
  parts: SOURCE_MAX_FILES + MAX_FIELDS,
};

/**
 * A function sent as multipart/form-data: the `function` field holds the JSON spec (as the JSON
 * body would), and the source is either one `source` file (a tar.gz, tar or zip archive) or
 * several `files` whose filenames are their paths in the source directory (a directory upload:
 * `curl -F function='{…}' -F 'files=@src/index.js;filename=index.js'`).
 */
export async function readFunctionUpload(request: FastifyRequest): Promise<{ spec: unknown; tree?: SourceTree }> {
  let spec: unknown;
  let archive: Buffer | undefined;
  const files: SourceFileInput[] = [];
  let total = 0;
  try {
    // preservePath: a directory upload names its files by their paths (lib/x.js), which the
    // reader would otherwise cut down to the base name.
    for await (const part of request.parts({ limits: UPLOAD_LIMITS, preservePath: true })) {
      if (part.type === 'field') {
        if (part.fieldname !== 'function')
          throw invalid(`unknown form field "${part.fieldname}"; send "function" (the JSON spec) and "source" or "files"`);
        try {
          spec = JSON.parse(String(part.value));
        } catch (err) {
          throw new DispatchError(ErrorCode.INVALID_JSON, `the "function" field is not valid JSON: ${(err as Error).message}`);
        }
        // A JSON body is checked at the edge; a form field only once read, here.
        assertStorable(spec, 'function');
        continue;
      }
      const content = await part.toBuffer();
      total += content.length;
      if (part.fieldname === 'source') {
        if (archive) throw invalid('send one "source" archive');
        if (content.length > SOURCE_ARCHIVE_MAX_BYTES)
          throw tooLarge(`the source archive is larger than ${SOURCE_ARCHIVE_MAX_BYTES / 1024 / 1024} MiB`);
        archive = content;
      } else if (part.fieldname === 'files') {
        if (total > SOURCE_TREE_MAX_BYTES)
          throw tooLarge(`the uploaded files are larger than ${SOURCE_TREE_MAX_BYTES / 1024 / 1024} MiB together`);
        files.push({ path: part.filename, content });
      } else {
        throw invalid(`unknown file field "${part.fieldname}"; send the archive as "source" or the directory's files as "files"`);
      }
    }
  } catch (err) {
    if (err instanceof DispatchError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('FST_') && /LIMIT|TOO_LARGE|FILES|PARTS|FIELDS/.test(code))
      throw tooLarge(`the upload breaks a limit: ${(err as Error).message}`);
    if (code.startsWith('FST_') || MALFORMED_MULTIPART.test((err as Error).message))
      throw invalid(`the multipart body cannot be read: ${(err as Error).message}`);
    throw err;
  }
  if (spec === undefined) throw invalid('the "function" field (the JSON spec) is missing');
  if (archive && files.length) throw invalid('send either a "source" archive or "files", not both');
  if (archive) return { spec, tree: await readArchive(archive) };
  if (files.length) return { spec, tree: treeFromFiles(files) };
  return { spec };
}

/** How /docs describes the upload: the form readFunctionUpload reads, beside the JSON body. */
export function functionFormData(spec: z.ZodType): NonNullable<ZodBodyOptions['formData']> {
  return {
    schema: {
      type: 'object',
      properties: {
        function: {
          ...z.toJSONSchema(spec, { io: 'input', unrepresentable: 'any' }),
          description: 'The function spec as JSON, as the JSON body has it (the source goes in `source` or `files` instead).',
        },
        source: {
          type: 'string',
          format: 'binary',
          description: `The source as one archive: tar.gz, tar or zip, at most ${SOURCE_ARCHIVE_MAX_BYTES / 1024 / 1024} MiB.`,
        },
        files: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          description: `The source directory's files, each part's filename its path in the directory (lib/util.js); at most ${SOURCE_MAX_FILES} files.`,
        },
      },
      required: ['function'],
      additionalProperties: false,
    },
    encoding: { function: { contentType: 'application/json' } },
  };
}

export function isMultipart(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

function invalid(message: string): DispatchError {
  return new DispatchError(ErrorCode.VALIDATION_FAILED, message);
}

function tooLarge(message: string): DispatchError {
  return new DispatchError(ErrorCode.PAYLOAD_TOO_LARGE, `${message}; see the source limits in the README`);
}
