import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where the shared protocol specs live: `../shared/specs` beside the checkout (as CI lays it out),
 * or SHARED_SPECS_DIR. Tests that hold a client or an embedded substitute to a spec read it here.
 */
export function sharedSpecsDir(): string {
  const configured = process.env['SHARED_SPECS_DIR'];
  const dir = configured ? resolve(configured) : resolve(__dirname, '../../../../../shared/specs');
  if (!existsSync(dir))
    throw new Error(`protocol specs not found at ${dir}: check out ../shared beside the repository, or set SHARED_SPECS_DIR`);
  return dir;
}

export function sharedSpecPath(...parts: string[]): string {
  return join(sharedSpecsDir(), ...parts);
}
