import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';

/**
 * Watches the lifeline named by `DISPATCH_LIFELINE_FD` (the shim contract in @dispatch/contracts):
 * a pipe or socket whose other end only the process that started the shim holds. Nothing is ever
 * sent on it; a read that gives end-of-file (or fails) means that process is gone, however it
 * died, and `onLost` runs once. Without the variable there is nothing to watch (a container, where
 * the watchdog is the parent and the container's end is the worker's end).
 *
 * Throws when the variable names no open pipe or socket: a starter that meant to tie the shim to
 * itself and failed must hear it at once, not find an orphan later.
 */
export function watchLifeline(raw: string | undefined, onLost: () => void): void {
  if (!raw) return;
  const fd = Number(raw);
  // 1 and 2 are the shim's own output; 0 may be the lifeline (stdin as a pipe).
  if (!/^\d+$/.test(raw) || fd === 1 || fd === 2)
    throw new Error(`DISPATCH_LIFELINE_FD=${raw} is not a file descriptor other than stdout and stderr`);
  let kind: string;
  try {
    const stats = fstatSync(fd);
    kind = stats.isFIFO() || stats.isSocket() ? 'ok' : 'neither a pipe nor a socket';
  } catch {
    kind = 'not open';
  }
  if (kind !== 'ok') throw new Error(`DISPATCH_LIFELINE_FD=${raw} is ${kind}`);
  let lost = false;
  const lose = () => {
    if (lost) return;
    lost = true;
    onLost();
  };
  const line = new Socket({ fd, readable: true, writable: false });
  // Reading is what notices the end; whatever arrives is ignored.
  line.on('data', () => undefined);
  line.once('end', lose);
  line.once('close', lose);
  line.once('error', lose);
  // The lifeline alone must not keep the process running (a drain ends with process.exit anyway).
  line.unref();
}
