import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import {
  type BadInputProbe,
  badInputProbes,
  type OpenApiDocument,
  sampleCreates,
  soloAdminToken,
  type SoloServer,
  startSoloServer,
  wrongMethodProbes,
} from '@dispatch/testing';

/** The server's default JSON body limit (BODY_LIMIT_BYTES), and a probe just over it. */
const OVERSIZE_BYTES = 1024 * 1024 + 1024;
/** Probes in flight at once: enough to finish well inside the suite's budget, few enough to stay fair to two cores. */
const CONCURRENCY = 8;

interface Answer {
  probe: BadInputProbe;
  status: number;
  allow: string | null;
  body: unknown;
  text: string;
}

/**
 * Bad input never answers 5xx, and every refusal has the error body: every operation of the
 * served OpenAPI document is probed with broken path parameters, queries and bodies, as an org
 * (and platform) admin so each probe gets past the guard to the handler.
 */
describe('bad input, generated from the OpenAPI document (the built solo server)', () => {
  let solo: SoloServer;
  let api: string;
  let port: number;
  let token: string;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    solo = await startSoloServer();
    api = solo.api;
    port = Number(new URL(api).port);
    token = await soloAdminToken(solo.home);
    doc = (await (await fetch(`${api}/docs-json`)).json()) as OpenApiDocument;
  }, 130_000);

  afterAll(async () => {
    // SIGTERM, not SIGKILL: a killed server would leave its PostgreSQL running.
    await solo?.process.stop('SIGTERM', 20_000);
    if (solo) await rm(solo.home, { recursive: true, force: true });
  });

  async function send(probe: BadInputProbe): Promise<Answer> {
    if ((probe.body?.length ?? 0) >= OVERSIZE_BYTES) return sendDeclaredOversize(probe);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (probe.contentType) headers['content-type'] = probe.contentType;
    const res = await fetch(`${api}${probe.path}`, { method: probe.method, headers, body: probe.body });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { probe, status: res.status, allow: res.headers.get('allow'), body, text };
  }

  /**
   * An oversize body is refused on its Content-Length and the connection closed before the body
   * is read, so a client still writing it fails with EPIPE and may never see the answer. The
   * probe declares the length and sends no body: the refusal is the same, and always readable.
   */
  async function sendDeclaredOversize(probe: BadInputProbe): Promise<Answer> {
    const head =
      `${probe.method} ${probe.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: ${probe.contentType}\r\nContent-Length: ${Buffer.byteLength(probe.body ?? '')}\r\nConnection: close\r\n\r\n`;
    return { probe, ...(await exchange(head)) };
  }

  /** Sends `raw` bytes on a fresh connection and reads the one answer, however the server closes it. */
  async function exchange(raw: string): Promise<Omit<Answer, 'probe'>> {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += String(chunk)));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.on('error', () => undefined); // a reset after the answer changes nothing
    socket.end(raw);
    await closed;
    const [head, text = ''] = received.split('\r\n\r\n', 2);
    const allow = /^allow: (.*)$/im.exec(head)?.[1] ?? null;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: Number(head.split(' ')[1]), allow, body, text };
  }

  async function sendAll(probes: BadInputProbe[]): Promise<Answer[]> {
    const answers: Answer[] = [];
    let next = 0;
    const worker = async () => {
      while (next < probes.length) answers.push(await send(probes[next++]));
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return answers;
  }

  function hasErrorBody(body: unknown): boolean {
    const b = body as { code?: unknown; message?: unknown; requestId?: unknown } | undefined;
    return typeof b?.code === 'string' && typeof b.message === 'string' && b.message.length > 0 && typeof b.requestId === 'string';
  }

  const describeAnswer = (a: Answer) =>
    `${a.probe.operation} [${a.probe.what}] ${a.probe.method} ${a.probe.path.slice(0, 80)} -> ${a.status} ${a.text.slice(0, 200)}`;

  it('answers every probe of every operation without a 5xx, and every 4xx in the error body', async () => {
    const seeds = [];
    for (const create of sampleCreates(doc)) seeds.push(await send(create));
    console.log(
      `bad-input probe: ${seeds.length} sampled creates first; answers by status ${JSON.stringify(countBy(seeds.map((a) => a.status)))}`,
    );
    const probes = badInputProbes(doc, { oversizeBytes: OVERSIZE_BYTES });
    const operations = new Set(probes.map((p) => p.operation));
    const started = performance.now();
    const answers = await sendAll(probes);
    const byStatus = countBy(answers.map((a) => a.status));
    console.log(
      `bad-input probe: ${Object.keys(doc.paths).length} paths, ${operations.size} operations, ${probes.length} probes in ${Math.round(performance.now() - started)} ms; answers by status ${JSON.stringify(byStatus)}`,
    );
    answers.push(...seeds);
    const serverErrors = answers.filter((a) => a.status >= 500).map(describeAnswer);
    const bareRefusals = answers.filter((a) => a.status >= 400 && a.status < 500 && !hasErrorBody(a.body)).map(describeAnswer);
    expect(serverErrors).toEqual([]);
    expect(bareRefusals).toEqual([]);
    // Sanity: the probe reached the API's routes, not only its 404 handler.
    expect(operations.size).toBeGreaterThan(40);
    // Routes answering other than JSON are probed too: the export's format query among them.
    expect(probes.filter((p) => p.operation === 'GET /v1/api/export').map((p) => p.what)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^query parameter format/)]),
    );
    expect(byStatus[400]).toBeGreaterThan(probes.length / 2);
  }, 110_000);

  it('answers a method a known path does not serve with 405 and the methods it does in Allow', async () => {
    const probes = wrongMethodProbes(doc);
    const answers = await sendAll(probes);
    console.log(
      `bad-input probe: ${probes.length} wrong-method probes; answers by status ${JSON.stringify(countBy(answers.map((a) => a.status)))}`,
    );
    const wrong = answers.filter((a) => a.status !== 405 || !hasErrorBody(a.body) || a.allow === null).map(describeAnswer);
    expect(wrong).toEqual([]);
    for (const a of answers) {
      const allowed = (a.probe as BadInputProbe & { allowed: string[] }).allowed;
      expect(a.allow?.split(', ')).toEqual(expect.arrayContaining(allowed));
    }
  });

  it('answers requests the HTTP parser refuses in the error body', async () => {
    const requests: [string, number, string][] = [
      ['GET /healthz HTTP/1.1\r\nHost: x\r\nX-Probe: a\u0000b\r\n\r\n', 400, 'MALFORMED_REQUEST'],
      ['BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'MALFORMED_REQUEST'],
      ['POST /v1/secret HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n', 400, 'MALFORMED_REQUEST'],
      [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Probe: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
    ];
    for (const [raw, status, code] of requests) {
      const answer = await exchange(raw);
      expect({ status: answer.status, body: answer.body }).toEqual({
        status,
        body: { code, message: expect.any(String), requestId: expect.any(String) },
      });
    }
  });

  it('refuses a run input holding NUL the same way whether the run blocks or not', async () => {
    for (const blocking of [true, false]) {
      const a = await send({
        operation: 'POST /v1/runs',
        what: `NUL in a ${blocking ? 'blocking' : 'async'} run's input`,
        method: 'POST',
        path: '/v1/runs?functionName=probe-name',
        contentType: 'application/json',
        body: JSON.stringify({ input: { text: 'a\u0000b' }, blocking }),
      });
      expect(a.status).toBe(400);
      expect(a.body).toMatchObject({ code: 'INVALID_CHARACTER', details: { field: 'body.input.text' } });
    }
  });
});

function countBy(values: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
