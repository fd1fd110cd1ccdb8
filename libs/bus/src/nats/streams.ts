import { SERVICE_ROOTS } from '@dispatch/contracts';
import { type JetStreamManager, nanos, RetentionPolicy, StorageType } from 'nats';
import { subjectsOverlap } from '../subject-match';
import { isJsError, JsErrCode } from './not-found';
import { type Namespace, RPC_ROOT } from './namespace';

export interface StreamDefinition {
  name: string;
  /** Subjects as services write them (no namespace); wildcards allowed. */
  subjects: string[];
  /** Messages older than this are discarded. Default 7 days: far beyond any consumer's backlog, short of unbounded disk. */
  maxAgeMs?: number;
}

const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** One stream for every platform service root. */
export const DEFAULT_STREAMS: readonly StreamDefinition[] = [{ name: 'DISPATCH', subjects: SERVICE_ROOTS.map((root) => `${root}.>`) }];

/** Subjects a stream must leave alone: requests and the inboxes replies come back on. */
const UNCAPTURABLE = [`${RPC_ROOT}.>`, '_INBOX.>'];

export function assertStreamDefinitions(definitions: readonly StreamDefinition[]): void {
  for (const { name, subjects } of definitions) {
    if (subjects.length === 0) throw new Error(`stream ${name} has no subjects`);
    for (const subject of subjects) {
      const clash = UNCAPTURABLE.find((reserved) => subjectsOverlap(subject, reserved));
      if (clash) throw new Error(`stream ${name} may not capture ${clash} (subject ${subject}): request/reply would break`);
    }
  }
}

/**
 * Adds the stream when missing and updates it when its subjects or age limit differ, so every
 * service can run this at start. A concurrent add by another service is tolerated by re-reading.
 */
export async function ensureStream(jsm: JetStreamManager, ns: Namespace, definition: StreamDefinition): Promise<void> {
  const name = ns.stream(definition.name);
  const subjects = definition.subjects.map((s) => ns.subject(s));
  const maxAge = nanos(definition.maxAgeMs ?? DEFAULT_MAX_AGE_MS);
  for (let attempt = 0; ; attempt++) {
    try {
      const { config } = await jsm.streams.info(name);
      const same = [...config.subjects].sort().join() === [...subjects].sort().join() && config.max_age === maxAge;
      if (!same) await jsm.streams.update(name, { ...config, subjects, max_age: maxAge });
      return;
    } catch (err) {
      if (!isJsError(err, JsErrCode.StreamNotFound)) throw err;
    }
    try {
      await jsm.streams.add({ name, subjects, max_age: maxAge, storage: StorageType.File, retention: RetentionPolicy.Limits });
      return;
    } catch (err) {
      if (attempt > 0) throw err;
    }
  }
}
