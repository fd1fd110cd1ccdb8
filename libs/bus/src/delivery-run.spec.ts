import type { BusLog } from './bus-log';
import { DeliveryRun, redeliveryDelayMs, type Settler } from './delivery-run';

function recordingSettler() {
  const calls: string[] = [];
  const settler: Settler = {
    ack: async () => void calls.push('ack'),
    nak: async (delayMs) => void calls.push(`nak:${delayMs}`),
    term: async (reason) => void calls.push(`term:${reason}`),
    working: async () => void calls.push('working'),
  };
  return { calls, settler };
}

function recordingLog() {
  const lines: string[] = [];
  const log: BusLog = {
    warn: (_f, m) => void lines.push(`warn:${m}`),
    error: (_f, m) => void lines.push(`error:${m}`),
  };
  return { lines, log };
}

const fields = (deliveryCount = 1) => ({ subject: 'a.b', data: { n: 1 }, headers: {}, deliveryCount });

describe('DeliveryRun', () => {
  it('acks when the handler returns', async () => {
    const { calls, settler } = recordingSettler();
    await new DeliveryRun(fields(), settler).run(async () => undefined, { group: 'g', maxDeliver: 3, ...recordingLog() });
    expect(calls).toEqual(['ack']);
  });

  it('naks after a backoff that doubles with each delivery when the handler throws', async () => {
    const { calls, settler } = recordingSettler();
    const { lines, log } = recordingLog();
    for (const n of [1, 2, 3]) {
      await new DeliveryRun(fields(n), settler).run(
        async () => {
          throw new Error('boom');
        },
        { group: 'g', maxDeliver: 10, log },
      );
    }
    expect(calls).toEqual(['nak:200', 'nak:400', 'nak:800']);
    expect(lines).toEqual(Array(3).fill(expect.stringMatching(/^warn:.*redelivered/)));
  });

  it('caps the redelivery backoff at 30 s', () => {
    expect(redeliveryDelayMs(1)).toBe(200);
    expect(redeliveryDelayMs(9)).toBe(30_000);
    expect(redeliveryDelayMs(1000)).toBe(30_000);
  });

  it('passes working() on while unsettled, and drops it once settled', async () => {
    const { calls, settler } = recordingSettler();
    await new DeliveryRun(fields(), settler).run(
      async (msg) => {
        await msg.working();
        await msg.ack();
        await msg.working();
      },
      { group: 'g', maxDeliver: 3, ...recordingLog() },
    );
    expect(calls).toEqual(['working', 'ack']);
  });

  it('gives up with an error log when the last allowed delivery throws', async () => {
    const { calls, settler } = recordingSettler();
    const { lines, log } = recordingLog();
    await new DeliveryRun(fields(3), settler).run(
      async () => {
        throw new Error('boom');
      },
      { group: 'g', maxDeliver: 3, log },
    );
    expect(calls).toEqual(['term:its last allowed delivery failed']);
    expect(lines).toEqual([expect.stringMatching(/^error:.*dead-lettered/)]);
  });

  it("dead-letters, with the reason, a payload that fails its subject's schema, without calling the handler", async () => {
    const { calls, settler } = recordingSettler();
    const logged: { fields: object; message: string }[] = [];
    const log: BusLog = { warn: () => undefined, error: (f, message) => void logged.push({ fields: f, message }) };
    const handler = jest.fn(async () => undefined);
    const invalid = { ...fields(), subject: 'function.run.requested.v1', data: { runId: 'r1', org: 'acme' } };
    await new DeliveryRun(invalid, settler).run(handler, { group: 'g', maxDeliver: 3, log });
    expect(handler).not.toHaveBeenCalled();
    expect(calls).toEqual([expect.stringMatching(/^term:invalid payload: functionName: /)]);
    expect(logged).toEqual([
      {
        message: expect.stringMatching(/dead-lettered.*schema/),
        fields: expect.objectContaining({ subject: 'function.run.requested.v1', reason: expect.stringMatching(/^functionName: /) }),
      },
    ]);
  });

  it('hands a valid payload of a map subject to the handler as it was sent', async () => {
    const { calls, settler } = recordingSettler();
    const data = { runId: 'r1', org: 'acme', functionName: 'hello', addedLater: true };
    const seen: unknown[] = [];
    await new DeliveryRun({ ...fields(), subject: 'function.run.requested.v1', data }, settler).run(
      async (msg) => void seen.push(msg.data),
      {
        group: 'g',
        maxDeliver: 3,
        ...recordingLog(),
      },
    );
    expect(seen).toEqual([data]);
    expect(seen[0]).toBe(data);
    expect(calls).toEqual(['ack']);
  });

  it('lets the handler settle first and ignores later settlements', async () => {
    const { calls, settler } = recordingSettler();
    await new DeliveryRun(fields(), settler).run(
      async (msg) => {
        await msg.nak(250);
        await msg.ack();
      },
      { group: 'g', maxDeliver: 3, ...recordingLog() },
    );
    expect(calls).toEqual(['nak:250']);
  });

  it('does not nak a message the handler acked before throwing', async () => {
    const { calls, settler } = recordingSettler();
    const { lines, log } = recordingLog();
    await new DeliveryRun(fields(), settler).run(
      async (msg) => {
        await msg.ack();
        throw new Error('late');
      },
      { group: 'g', maxDeliver: 3, log },
    );
    expect(calls).toEqual(['ack']);
    expect(lines).toEqual([expect.stringMatching(/^warn:.*after settling/)]);
  });

  it('logs instead of throwing when the transport cannot settle', async () => {
    const { lines, log } = recordingLog();
    const failing: Settler = {
      ack: async () => {
        throw new Error('connection closed');
      },
      nak: async () => undefined,
      term: async () => undefined,
      working: async () => undefined,
    };
    await expect(
      new DeliveryRun(fields(), failing).run(async () => undefined, { group: 'g', maxDeliver: 3, log }),
    ).resolves.toBeUndefined();
    expect(lines).toEqual([expect.stringMatching(/^warn:could not settle/)]);
  });
});
