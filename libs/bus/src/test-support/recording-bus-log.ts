import type { BusLog } from '../bus-log';

/** Keeps the expected handler-failure noise out of the test output and lets tests assert on it. */
export class RecordingBusLog implements BusLog {
  readonly entries: { level: 'warn' | 'error'; fields: Record<string, unknown>; message: string }[] = [];
  warn(fields: object, message: string): void {
    this.entries.push({ level: 'warn', fields: fields as Record<string, unknown>, message });
  }
  error(fields: object, message: string): void {
    this.entries.push({ level: 'error', fields: fields as Record<string, unknown>, message });
  }
}
