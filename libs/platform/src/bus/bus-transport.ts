import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { Bus, Subscription } from '@dispatch/bus';
import { BusContext } from './bus-handlers';

/**
 * A NestJS microservice transport over our Bus, so services declare their consumers with
 * `@OnEvent` / `@OnRequest` and get the same code path on NATS JetStream and the in-process bus.
 */
export class BusTransport extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly bus: Bus) {
    super();
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      for (const [subject, handler] of this.getHandlers()) {
        const group = handler.extras?.['group'];
        if (typeof group !== 'string' || !group) {
          throw new Error(`bus handler for ${subject} has no group: declare it with @OnEvent/@OnRequest(subject, serviceName)`);
        }
        const invoke = async (data: unknown, context: BusContext) =>
          lastValueFrom(this.transformToObservable(await handler(data, context)), { defaultValue: undefined });
        // Raw, as Nest hands subjects over as strings; @OnEvent/@OnRequest took them from the map.
        this.subscriptions.push(
          handler.isEventHandler
            ? await this.bus.raw.subscribe(subject, { group }, async (msg) => {
                await invoke(msg.data, new BusContext([msg.subject, msg.headers, msg]));
              })
            : await this.bus.raw.reply(subject, group, (data, headers) => invoke(data, new BusContext([subject, headers]))),
        );
      }
      callback();
    } catch (err) {
      callback(err);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.unsubscribe()));
  }

  on(): never {
    throw new Error('BusTransport has no transport events; watch /readyz instead');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}
