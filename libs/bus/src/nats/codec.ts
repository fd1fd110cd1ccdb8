import { headers as natsHeaders, type MsgHdrs } from 'nats';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Carries the failure code of a reply handler; the body then holds `{code, message}`. */
export const REPLY_ERROR_HEADER = 'Dispatch-Bus-Error';
export const MSG_ID_HEADER = 'Nats-Msg-Id';

/** `undefined` travels as an empty payload so it comes back as `undefined`, not `null`. */
export function encodeJson(value: unknown): Uint8Array {
  const text = JSON.stringify(value);
  return text === undefined ? new Uint8Array(0) : encoder.encode(text);
}

export function decodeJson(bytes: Uint8Array): unknown {
  return bytes.length === 0 ? undefined : JSON.parse(decoder.decode(bytes));
}

export function toNatsHeaders(record: Record<string, string> | undefined): MsgHdrs | undefined {
  const entries = Object.entries(record ?? {});
  if (entries.length === 0) return undefined;
  const h = natsHeaders();
  for (const [key, value] of entries) h.set(key, value);
  return h;
}

/** The publisher's headers only: NATS's own (`Nats-*`) and the bus's reply marker stay internal. */
export function fromNatsHeaders(h: MsgHdrs | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (!h) return record;
  for (const key of h.keys()) {
    if (/^nats-/i.test(key) || key.toLowerCase() === REPLY_ERROR_HEADER.toLowerCase()) continue;
    record[key] = h.get(key);
  }
  return record;
}
