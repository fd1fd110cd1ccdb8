import type { Ora } from 'ora';

/** Progress of something the CLI waits for (a deploy, a run), on stderr so stdout keeps the result. */
export interface Progress {
  /** The state now, e.g. `function hello: CREATING`. */
  update(text: string): void;
  /** The wait is over; the caller prints the outcome. */
  stop(): void;
}

/**
 * A spinner on a terminal; elsewhere (CI logs, pipes) one line per new state, since a spinner
 * there only fills the log with redraws.
 */
export function startProgress(text: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  // A terminal of no known width (a pty nobody sized, as some CI runners give) makes ora redraw without end.
  if (!stream.isTTY || !(stream.columns > 0)) return lineProgress(text, stream);
  // ora is ESM-only: required when a terminal needs it, so the commands load without it (and jest).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ora = (require('ora') as typeof import('ora')).default;
  const spinner: Ora = ora({ text, stream, discardStdin: false }).start();
  return {
    update: (t) => {
      spinner.text = t;
    },
    stop: () => {
      spinner.stop();
    },
  };
}

function lineProgress(text: string, stream: NodeJS.WritableStream): Progress {
  let last = '';
  const update = (t: string) => {
    if (t === last) return;
    last = t;
    stream.write(`${t}\n`);
  };
  update(text);
  return { update, stop: () => undefined };
}
