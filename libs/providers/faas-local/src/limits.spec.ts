import { MIB, parseCount, parseGoDuration, parseMemoryQuantity } from './limits';

describe('parseMemoryQuantity (Kubernetes quantities)', () => {
  it.each([
    ['128Mi', 128 * MIB],
    ['128M', 128e6],
    ['1Gi', 1024 * MIB],
    ['1.5Gi', 1.5 * 1024 * MIB],
    ['1G', 1e9],
    ['65536Ki', 64 * MIB],
    ['200000k', 2e8],
    ['134217728', 128 * MIB],
    ['129e6', 129e6],
  ])('reads %s as %d bytes', (text, bytes) => {
    expect(parseMemoryQuantity(text)).toEqual({ ok: true, value: bytes });
  });

  it('refuses what is not a quantity, the ambiguous m suffix and limits too small to run anything', () => {
    expect(parseMemoryQuantity('lots')).toMatchObject({ ok: false, problem: expect.stringMatching(/not a quantity/) });
    expect(parseMemoryQuantity('128m')).toMatchObject({ ok: false, problem: expect.stringMatching(/ambiguous.*128Mi/) });
    expect(parseMemoryQuantity('128')).toMatchObject({ ok: false, problem: expect.stringMatching(/below the minimum.*unit/) });
    expect(parseMemoryQuantity('-1Gi')).toMatchObject({ ok: false });
  });
});

describe('parseGoDuration (exec_timeout)', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['2h45m', 9_900_000],
    ['1500us', 2],
    ['45', 45_000],
    ['0', 0],
    ['0s', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseGoDuration(text, 'exec_timeout')).toEqual({ ok: true, value: ms });
  });

  it('refuses what is not a duration, negative ones and more than a day', () => {
    for (const text of ['forever', '-5s', '5 s', 's', '1d']) {
      expect(parseGoDuration(text, 'exec_timeout')).toMatchObject({ ok: false, problem: expect.stringMatching(/exec_timeout/) });
    }
    expect(parseGoDuration('25h', 'exec_timeout')).toMatchObject({ ok: false, problem: expect.stringMatching(/maximum of 24h/) });
  });
});

describe('parseCount', () => {
  it('reads whole numbers within bounds', () => {
    expect(parseCount('3', 'scale.max', { min: 1, max: 20 })).toEqual({ ok: true, value: 3 });
    expect(parseCount('0', 'scale.max', { min: 1, max: 20 })).toMatchObject({ ok: false, problem: 'scale.max is 0, outside 1–20' });
    expect(parseCount('2.5', 'scale.max', { min: 1, max: 20 })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/whole number/),
    });
  });
});
