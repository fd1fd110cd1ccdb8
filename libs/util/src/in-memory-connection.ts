import type { Server } from 'node:http';
import { type Duplex, duplexPair } from 'node:stream';

/**
 * One end of an in-memory stream pair, the other end handed to `server` as a new connection: HTTP
 * between two parts of one process with the same requests and answers as over a socket, without
 * the kernel's work per call (most of a loopback call's cost). The net.Socket methods HTTP calls
 * on its sockets are here too: `setTimeout` emits `timeout` after that long without a byte either
 * way, as a socket does (so request and server timeouts hold); the others have nothing to tune.
 */
export function inMemoryConnection(server: Server): Duplex {
  const ends = duplexPair();
  const idle = ends.map((end) => new IdleTimer(end));
  const touch = () => idle.forEach((t) => t.arm());
  for (const [i, end] of ends.entries()) {
    const write = end.write.bind(end) as (...args: unknown[]) => boolean;
    Object.assign(end, {
      remoteAddress: '127.0.0.1',
      setKeepAlive: () => end,
      setNoDelay: () => end,
      setTimeout: (ms: number, onTimeout?: () => void) => {
        idle[i].set(ms, onTimeout);
        return end;
      },
      ref: () => end,
      unref: () => end,
      write: (...args: unknown[]) => {
        touch();
        return write(...args);
      },
    });
    end.once('close', () => {
      idle[i].set(0);
      // As the kernel closes a socket's peer: a server that drops an idle connection must not leave
      // the client's end open, where the next request would wait for an answer that never comes.
      ends[1 - i].destroy();
    });
  }
  server.emit('connection', ends[1]);
  return ends[0];
}

/**
 * A socket's idle timeout, for a stream that is not a socket. A write only notes the time: the
 * timer, when it fires, waits again for what remains since the last one, so a busy connection costs
 * no timer per write.
 */
class IdleTimer {
  private ms = 0;
  private last = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly end: Duplex) {}

  set(ms: number, onTimeout?: () => void): void {
    this.ms = ms;
    if (onTimeout) this.end.once('timeout', onTimeout);
    clearTimeout(this.timer);
    this.timer = undefined;
    this.arm();
  }

  arm(): void {
    if (this.ms <= 0) return;
    this.last = performance.now();
    if (!this.timer) this.wait(this.ms);
  }

  private wait(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.ms <= 0) return;
      const idle = performance.now() - this.last;
      if (idle >= this.ms) this.end.emit('timeout');
      else this.wait(this.ms - idle);
    }, ms);
    this.timer.unref();
  }
}
