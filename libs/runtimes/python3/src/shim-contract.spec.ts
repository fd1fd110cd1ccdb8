import { readFileSync } from 'node:fs';
import {
  DISPATCH_ENV_CODE_DIR,
  DISPATCH_ENV_HANDLER,
  DISPATCH_ENV_LIFELINE_FD,
  DISPATCH_ENV_MEMORY_LIMIT_MB,
  DISPATCH_ENV_SOCKET,
  SHIM_EXIT_HANDLER_ERROR,
  SHIM_EXIT_LIFELINE_LOST,
} from '@dispatch/contracts';
import { python3ShimPath } from './index';

// The Python shim cannot import the contracts, so it spells their values itself: a renamed
// variable on either side would leave workers started without their socket or code dir.
describe('the Python shim keeps to the shim contract', () => {
  const source = readFileSync(python3ShimPath(), 'utf8');

  it.each([DISPATCH_ENV_CODE_DIR, DISPATCH_ENV_HANDLER, DISPATCH_ENV_SOCKET, DISPATCH_ENV_MEMORY_LIMIT_MB, DISPATCH_ENV_LIFELINE_FD])(
    'reads %s',
    (name) => {
      expect(source).toContain(`"${name}"`);
    },
  );

  it('exits with SHIM_EXIT_HANDLER_ERROR when the handler cannot be loaded', () => {
    expect(source).toMatch(new RegExp(`^EXIT_HANDLER_ERROR = ${SHIM_EXIT_HANDLER_ERROR}$`, 'm'));
  });

  it('exits with SHIM_EXIT_LIFELINE_LOST when its lifeline closes', () => {
    expect(source).toMatch(new RegExp(`^EXIT_LIFELINE_LOST = ${SHIM_EXIT_LIFELINE_LOST}$`, 'm'));
  });
});
