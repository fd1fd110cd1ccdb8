import { DISPATCH_VERSION } from '@dispatch/contracts';
import { buildProgram } from './main';

describe('dispatch CLI', () => {
  let out: string;
  let write: jest.SpyInstance;
  beforeEach(() => {
    out = '';
    write = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out += String(c);
      return true;
    });
  });
  afterEach(() => write.mockRestore());

  it('prints its version as text or JSON', async () => {
    await buildProgram().parseAsync(['node', 'dispatch', 'version']);
    expect(out).toBe(`${DISPATCH_VERSION}\n`);
    out = '';
    await buildProgram().parseAsync(['node', 'dispatch', 'version', '--output', 'json']);
    expect(JSON.parse(out)).toEqual({ version: DISPATCH_VERSION });
  });
});
