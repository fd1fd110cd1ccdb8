import { Controller } from '@nestjs/common';
import type { PayloadOf, SubjectReplies } from '@dispatch/contracts';
import { BusPayload, OnRequest } from '@dispatch/platform';
import { FunctionStore } from '../persistence/function-store';

/** Answers api-manager, whose APIs must name a function of their org that exists. */
@Controller()
export class FunctionExistsHandler {
  constructor(private readonly store: FunctionStore) {}

  @OnRequest('function.function.exists.v1', 'function-manager')
  async exists(@BusPayload() request: PayloadOf<'function.function.exists.v1'>): Promise<SubjectReplies['function.function.exists.v1']> {
    return { exists: (await this.store.functions.byName(request.org, request.name)) !== null };
  }
}
