import { Controller } from '@nestjs/common';
import { type PayloadOf, type SubjectReplies } from '@dispatch/contracts';
import { BusPayload, OnRequest } from '@dispatch/platform';
import { SecretsService } from './secret.service';

/**
 * Serves function-manager's runner (DESIGN §7: `context.secrets` is the merged key/values of the
 * named secrets). A missing name fails the request with NOT_FOUND, which the run reports. The
 * request's shape and its bound on names are checked by the bus against the subject's schema.
 */
@Controller()
export class SecretResolveHandler {
  constructor(private readonly secrets: SecretsService) {}

  @OnRequest('identity.secret.resolve.v1', 'identity-manager')
  async resolve(@BusPayload() request: PayloadOf<'identity.secret.resolve.v1'>): Promise<SubjectReplies['identity.secret.resolve.v1']> {
    const merged: Record<string, string> = {};
    for (const name of request.names) Object.assign(merged, (await this.secrets.get(request.org, name)).secrets);
    return { secrets: merged };
  }
}
