import { AckPolicy, type ConsumerConfig, DeliverPolicy, type JetStreamManager, nanos } from 'nats';
import { isJsError, JsErrCode } from './not-found';

export interface DurableSpec {
  stream: string;
  name: string;
  filterSubject: string;
  ackWaitMs: number;
  maxDeliver: number;
}

/**
 * Creates the group's durable pull consumer, or refreshes ack wait / max deliver of an existing
 * one without touching its cursor. Deliver policy "new": a group that subscribes for the first
 * time starts with the messages published from then on, as solo mode does.
 */
export async function ensureDurable(jsm: JetStreamManager, spec: DurableSpec): Promise<void> {
  const ackWait = nanos(spec.ackWaitMs);
  for (let attempt = 0; ; attempt++) {
    try {
      const { config } = await jsm.consumers.info(spec.stream, spec.name);
      if (config.ack_wait !== ackWait || config.max_deliver !== spec.maxDeliver) {
        await jsm.consumers.update(spec.stream, spec.name, { ack_wait: ackWait, max_deliver: spec.maxDeliver });
      }
      return;
    } catch (err) {
      if (!isJsError(err, JsErrCode.ConsumerNotFound)) throw err;
    }
    const config: Partial<ConsumerConfig> = {
      durable_name: spec.name,
      ack_policy: AckPolicy.Explicit,
      ack_wait: ackWait,
      max_deliver: spec.maxDeliver,
      filter_subject: spec.filterSubject,
      deliver_policy: DeliverPolicy.New,
    };
    try {
      await jsm.consumers.add(spec.stream, config);
      return;
    } catch (err) {
      // Another member of the group created it first, with other settings: re-read and update.
      if (attempt > 0) throw err;
    }
  }
}
