import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

const DATA = /use-case code reaches data through a \*\.repository\.ts; move this query there/;
const HTTP = /the HTTP framework stays at the edge \(\*\.controller\.ts, \*\.dto\.ts, \*\.module\.ts\)/;
const EDGE = /controllers and DTOs are the HTTP edge, imported only by \*\.controller\.ts and \*\.module\.ts/;

const LIB = 'libs/image-manager/src';
const DATA_IMPORTS = `import { Repository } from 'typeorm';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Pool } from 'pg';\nexport const x = [Repository, InjectRepository, Pool];\n`;
const HTTP_IMPORTS = `import type { FastifyRequest } from 'fastify';\nimport multipart from '@fastify/multipart';\nimport { FastifyAdapter } from '@nestjs/platform-fastify';\nexport type R = FastifyRequest;\nexport const x = [multipart, FastifyAdapter];\n`;
const EDGE_IMPORTS = `import { ImageController } from './image.controller';\nimport type { CreateImageDto } from '../api/create-image.dto';\nexport type D = CreateImageDto;\nexport const x = ImageController;\n`;
const DATA_HANDLES = `import { InjectDataSource } from '@dispatch/platform';\nimport { OutboxWriter } from '@dispatch/persistence';\nexport const x = [InjectDataSource, OutboxWriter];\n`;
const CLEAN = `import { ErrorCode } from '@dispatch/contracts';\nimport { StoreModule } from '@dispatch/platform';\nimport { ImageRepository } from './image.repository';\nimport { ImageService } from './image.service';\nexport const x = [ErrorCode, StoreModule, ImageRepository, ImageService];\n`;

/**
 * The layer rule's messages for each file, linted with the repo's real ESLint config as
 * `npm run lint` runs it. One Node process lints them all: jest cannot load the ESM flat config
 * in-process, and an ESLint process per case would take seconds each.
 */
const MARK = 'layer-rule-result:';

function layerMessages(cases: Record<string, string>): Record<string, string[]> {
  const script = `
    import { ESLint } from 'eslint';
    const MARK = ${JSON.stringify(MARK)};
    const cases = JSON.parse(await new Response(process.stdin).text());
    const eslint = new ESLint({ cwd: ${JSON.stringify(root)} });
    const out = {};
    for (const [file, code] of Object.entries(cases)) {
      const [result] = await eslint.lintText(code, { filePath: ${JSON.stringify(root)} + '/' + file });
      out[file] = result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.fatal).map((m) => m.message);
    }
    process.stdout.write('\\n' + MARK + JSON.stringify(out));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  // Nx may print warnings on stdout before the result (e.g. while it has no project graph cached).
  const at = run.stdout.lastIndexOf(MARK);
  if (at < 0) throw new Error(`eslint printed no result: ${run.stdout}${run.stderr}`);
  return JSON.parse(run.stdout.slice(at + MARK.length)) as Record<string, string[]>;
}

describe('the layer rule inside a service lib', () => {
  let results: Record<string, string[]>;

  beforeAll(() => {
    results = layerMessages({
      // One violation of each clause, each refused with its own message.
      [`${LIB}/image/data/image.service.ts`]: DATA_IMPORTS,
      [`${LIB}/image/http/image.service.ts`]: HTTP_IMPORTS,
      [`${LIB}/image/edge/image.service.ts`]: EDGE_IMPORTS,
      [`${LIB}/reconcile/data/image-builder.ts`]: DATA_IMPORTS,
      [`${LIB}/image/http/image.repository.ts`]: HTTP_IMPORTS,
      [`${LIB}/persistence/edge/image-query.ts`]: EDGE_IMPORTS,
      [`${LIB}/image/data/image.dto.ts`]: DATA_IMPORTS,
      [`${LIB}/image/edge/image.dto.ts`]: EDGE_IMPORTS,
      [`${LIB}/image/data/image.controller.ts`]: DATA_IMPORTS,
      [`${LIB}/image/handles/image.service.ts`]: DATA_HANDLES,
      [`${LIB}/image/handles/image.handlers.ts`]: DATA_HANDLES,
      // The layers that may import each.
      [`${LIB}/image/data/image.repository.ts`]: DATA_IMPORTS,
      [`${LIB}/image/data/image.entity.ts`]: DATA_IMPORTS,
      [`${LIB}/image/handles/image.repository.ts`]: DATA_HANDLES,
      [`${LIB}/persistence/migrations/data/1800000000000-images.ts`]: DATA_IMPORTS,
      [`${LIB}/data/image-manager.module.ts`]: DATA_IMPORTS,
      [`${LIB}/image/http/image.controller.ts`]: HTTP_IMPORTS,
      [`${LIB}/image/http/image.dto.ts`]: HTTP_IMPORTS,
      [`${LIB}/http/image-manager.module.ts`]: HTTP_IMPORTS,
      [`${LIB}/image/edge/image.controller.ts`]: EDGE_IMPORTS,
      [`${LIB}/edge/image-manager.module.ts`]: EDGE_IMPORTS,
      // Tests and their helpers are not layers.
      [`${LIB}/image/data/image.service.spec.ts`]: DATA_IMPORTS,
      [`${LIB}/image/http/image.service.int-spec.ts`]: HTTP_IMPORTS,
      [`${LIB}/test-support/edge/images-app.ts`]: EDGE_IMPORTS,
      // Clean files in the positions of the violations.
      [`${LIB}/image/clean/image.service.ts`]: CLEAN,
      [`${LIB}/reconcile/clean/image-builder.ts`]: CLEAN,
      [`${LIB}/image/clean/image.dto.ts`]: CLEAN,
      // Shared libs keep their own shape.
      [`libs/persistence/src/data/probe.ts`]: DATA_IMPORTS,
    });
  }, 60_000);

  // Cases of one kind of file differ by a folder of their own, named after the imports they plant.
  const messages = (file: string) => results[file];

  it.each([
    ['use-case code importing the ORM or pg', `${LIB}/image/data/image.service.ts`, DATA],
    ['a reconcile loop importing the ORM or pg', `${LIB}/reconcile/data/image-builder.ts`, DATA],
    ['a DTO importing the ORM', `${LIB}/image/data/image.dto.ts`, DATA],
    ['a controller importing the ORM', `${LIB}/image/data/image.controller.ts`, DATA],
    ['use-case code importing fastify', `${LIB}/image/http/image.service.ts`, HTTP],
    ['a repository importing fastify', `${LIB}/image/http/image.repository.ts`, HTTP],
    ['use-case code importing a controller or a DTO', `${LIB}/image/edge/image.service.ts`, EDGE],
    ['persistence importing a controller or a DTO', `${LIB}/persistence/edge/image-query.ts`, EDGE],
    ['a DTO importing a controller or a DTO', `${LIB}/image/edge/image.dto.ts`, EDGE],
  ])('refuses %s, saying what to do instead', (_what, file, message) => {
    const found = messages(file);
    // Every import planted is refused (three of the ORM or of fastify, two of the edge), each for this clause.
    expect(found).toHaveLength(message === EDGE ? 2 : 3);
    for (const m of found) expect(m).toMatch(message);
  });

  it.each([
    ['use-case code taking the data source or the outbox from the shared libs', `${LIB}/image/handles/image.service.ts`],
    ['a bus handler taking the data source or the outbox from the shared libs', `${LIB}/image/handles/image.handlers.ts`],
  ])('refuses %s', (_what, file) => {
    const found = messages(file);
    expect(found).toHaveLength(2);
    for (const m of found) expect(m).toMatch(DATA);
  });

  it.each([
    `${LIB}/image/data/image.repository.ts`,
    `${LIB}/image/data/image.entity.ts`,
    `${LIB}/image/handles/image.repository.ts`,
    `${LIB}/persistence/migrations/data/1800000000000-images.ts`,
    `${LIB}/data/image-manager.module.ts`,
    `${LIB}/image/http/image.controller.ts`,
    `${LIB}/image/http/image.dto.ts`,
    `${LIB}/http/image-manager.module.ts`,
    `${LIB}/image/edge/image.controller.ts`,
    `${LIB}/edge/image-manager.module.ts`,
    `${LIB}/image/data/image.service.spec.ts`,
    `${LIB}/image/http/image.service.int-spec.ts`,
    `${LIB}/test-support/edge/images-app.ts`,
    `${LIB}/image/clean/image.service.ts`,
    `${LIB}/reconcile/clean/image-builder.ts`,
    `${LIB}/image/clean/image.dto.ts`,
    `libs/persistence/src/data/probe.ts`,
  ])('accepts %s', (file) => {
    expect(messages(file)).toEqual([]);
  });
});
