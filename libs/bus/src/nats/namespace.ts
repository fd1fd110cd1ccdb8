/**
 * Requests travel under their own root so no stream captures them: JetStream answers a core
 * request on a captured subject with a publish ack (and stores it), which would make every
 * request on `identity.>` "succeed" with a PubAck instead of reaching the replier.
 */
export const RPC_ROOT = 'rpc';

const TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * Maps the subjects and stream names services use to what goes on the wire. With a namespace
 * (test isolation) every subject gets `<ns>.` and every stream `<ns>_`; handlers never see it.
 */
export class Namespace {
  constructor(readonly prefix?: string) {
    if (prefix !== undefined && !TOKEN.test(prefix)) throw new Error(`invalid bus namespace "${prefix}"`);
  }

  subject(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  request(subject: string): string {
    return this.subject(`${RPC_ROOT}.${subject}`);
  }

  /** The subject a service published, from the one on the wire. */
  local(wire: string): string {
    return this.prefix && wire.startsWith(`${this.prefix}.`) ? wire.slice(this.prefix.length + 1) : wire;
  }

  /** The subject a service requested, from the one on the wire. */
  localRequest(wire: string): string {
    const local = this.local(wire);
    return local.startsWith(`${RPC_ROOT}.`) ? local.slice(RPC_ROOT.length + 1) : local;
  }

  stream(name: string): string {
    return this.prefix ? `${this.prefix}_${name}` : name;
  }
}
