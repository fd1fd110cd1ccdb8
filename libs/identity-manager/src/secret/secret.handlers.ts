import { Controller } from '@nestjs/common';
import { ErrorCode, type PayloadOf, type SubjectReplies } from '@dispatch/contracts';
import { BusPayload, DispatchError, OnRequest } from '@dispatch/platform';
import { SecretsService } from './secret.service';

/** At most this many secrets per run: a function names a handful, never hundreds. */
const MAX_NAMES = 32;

/**
 * Serves function-manager's runner (DESIGN §7: `context.secrets` is the merged key/values of the
 * named secrets). A missing name fails the request with NOT_FOUND, which the run reports.
 */
@Controller()
export class SecretResolveHandler {
  constructor(private readonly secrets: SecretsService) {}

  @OnRequest('identity.secret.resolve.v1', 'identity-manager')
  async resolve(@BusPayload() request: PayloadOf<'identity.secret.resolve.v1'>): Promise<SubjectReplies['identity.secret.resolve.v1']> {
    if (!Array.isArray(request.names) || request.names.length > MAX_NAMES || typeof request.org !== 'string') {
      throw new DispatchError(ErrorCode.VALIDATION_FAILED, `give an org and at most ${MAX_NAMES} secret names`);
    }
    const merged: Record<string, string> = {};
    for (const name of request.names) Object.assign(merged, (await this.secrets.get(request.org, name)).secrets);
    return { secrets: merged };
  }
}
