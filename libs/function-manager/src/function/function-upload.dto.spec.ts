import { Controller, Module, Post, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { baseConfigSchema, createHttpApp, createLogger, loadConfig, PlatformModule } from '@dispatch/platform';
import { SOURCE_ARCHIVE_MAX_BYTES, SOURCE_FILE_MAX_BYTES, SOURCE_MAX_FILES } from '../source';
import { readFunctionUpload } from './function-upload.dto';

@Controller('upload')
class UploadController {
  @Post()
  async upload(@Req() request: FastifyRequest) {
    const { spec, tree } = await readFunctionUpload(request);
    return { spec, files: tree?.files.map((f) => [f.path, f.content.length]) };
  }
}

const SPEC = { name: 'hello', runtime: 'nodejs', handler: 'index.js' };

/**
 * Function uploads through the HTTP app every service builds: the multipart plugin as createHttpApp
 * registers it, with the limits the upload route gives it as it reads.
 */
describe('readFunctionUpload', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const config = loadConfig(baseConfigSchema, {});
    const logger = createLogger({ level: 'silent', name: 'upload-test' });
    @Module({ imports: [PlatformModule.forRoot({ serviceName: 'upload-test', config, logger })], controllers: [UploadController] })
    class UploadModule {}
    app = await createHttpApp(UploadModule, { config, logger, title: 'upload-test', version: '0' });
  });
  afterAll(() => app?.close());

  async function post(form: FormData) {
    const encoded = new Response(form);
    const res = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': encoded.headers.get('content-type')! },
      payload: Buffer.from(await encoded.arrayBuffer()),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  }

  function upload(files: [field: string, path: string, content: Buffer][], spec: unknown = SPEC): FormData {
    const form = new FormData();
    form.append('function', JSON.stringify(spec));
    for (const [field, path, content] of files) form.append(field, new Blob([content]), path);
    return form;
  }

  it('reads the spec and the files, each up to the source limit, far above the JSON body limit', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 'a');
    const answer = await post(
      upload([
        ['files', 'index.js', Buffer.from('module.exports = () => 1;')],
        ['files', 'big.txt', big],
      ]),
    );
    expect(answer).toEqual({
      status: 201,
      body: {
        spec: SPEC,
        files: [
          ['big.txt', big.length],
          ['index.js', 25],
        ],
      },
    });
  });

  it('refuses a NUL character in the function field, as the edge refuses it in a JSON body', async () => {
    const answer = await post(upload([], { ...SPEC, env: { GREETING: 'hi\u0000' } }));
    expect(answer).toMatchObject({ status: 400, body: { code: 'INVALID_CHARACTER', details: { field: 'function.env.GREETING' } } });
  });

  it('refuses a file over the source file limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const answer = await post(upload([['files', 'huge.bin', Buffer.alloc(SOURCE_FILE_MAX_BYTES + 1)]]));
    expect(answer).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('breaks a limit') } });
  });

  it('refuses an archive over the archive limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const answer = await post(upload([['source', 'src.tar.gz', Buffer.alloc(SOURCE_ARCHIVE_MAX_BYTES + 1)]]));
    expect(answer).toMatchObject({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('source archive is larger') },
    });
  });

  it('refuses more files than a source may hold with 413 PAYLOAD_TOO_LARGE', async () => {
    const files = Array.from({ length: SOURCE_MAX_FILES + 1 }, (_, n): [string, string, Buffer] => ['files', `f${n}.js`, Buffer.from('1')]);
    expect(await post(upload(files))).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('refuses a multipart body the reader will not take with 400 VALIDATION_FAILED', async () => {
    const form = upload([]);
    form.append('__proto__', new Blob(['x']), 'x.js');
    expect(await post(form)).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: expect.stringContaining('cannot be read') },
    });
  });

  it('keeps the folders of a directory upload in the file paths', async () => {
    const answer = await post(
      upload([
        ['files', 'index.js', Buffer.from('1')],
        ['files', 'lib/util.js', Buffer.from('22')],
        ['files', 'test/util.js', Buffer.from('333')],
      ]),
    );
    expect(answer).toMatchObject({
      status: 201,
      body: {
        files: [
          ['index.js', 1],
          ['lib/util.js', 2],
          ['test/util.js', 3],
        ],
      },
    });
  });

  it.each([
    ['a small file', 4096],
    ['a file larger than one chunk', 2 * 1024 * 1024],
  ])('refuses a body cut off in %s with 400 VALIDATION_FAILED, not a server error', async (_, size) => {
    const encoded = new Response(upload([['files', 'index.js', Buffer.alloc(size, 'a')]]));
    const whole = Buffer.from(await encoded.arrayBuffer());
    const res = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': encoded.headers.get('content-type')! },
      payload: whole.subarray(0, whole.length - 1000),
    });
    expect({ status: res.statusCode, body: res.json() }).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: expect.stringContaining('cannot be read') },
    });
  });
});
