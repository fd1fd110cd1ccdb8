import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { BaseRpcContext } from '@nestjs/microservices/ctx-host/base-rpc.context';
import type { BusMessage } from '@dispatch/bus';
import type { EventSubject, PayloadOf, ReplyOf, RequestSubject } from '@dispatch/contracts';

/** What a bus handler can learn about the message besides its payload. */
export class BusContext extends BaseRpcContext<[subject: string, headers: Record<string, string>, message?: BusMessage]> {
  get subject(): string {
    return this.args[0];
  }
  get headers(): Record<string, string> {
    return this.args[1];
  }
  /** Present for events (absent for requests): delivery count, id, manual ack/nak. */
  get message(): BusMessage | undefined {
    return this.args[2];
  }
}

/**
 * A decorator that only fits a method taking the subject's payload first (`@BusPayload()`) and
 * returning `Result`, so a handler cannot restate a payload or reply type that drifts from the map.
 */
type HandlerDecorator<Payload, Result> = <M extends (payload: Payload, ...rest: never[]) => Result>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
) => void;

/**
 * Handles a fact published on `subject`, as durable consumer `group` (the owning service's name,
 * so two services never share a cursor in solo mode). Return to ack; throw to have it redelivered.
 */
export const OnEvent = <S extends EventSubject>(subject: S, group: string): HandlerDecorator<PayloadOf<S>, unknown> =>
  EventPattern(subject, { group });

/** Answers requests on `subject`; replicas in `group` share the load. */
export const OnRequest = <S extends RequestSubject>(
  subject: S,
  group: string,
): HandlerDecorator<PayloadOf<S>, ReplyOf<S> | Promise<ReplyOf<S>>> => MessagePattern(subject, { group });

export { Ctx as BusCtx, Payload as BusPayload };
