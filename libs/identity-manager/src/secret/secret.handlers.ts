import { Controller } from '@nestjs/common';
import { ErrorCode, type PayloadOf, type SubjectReplies } from '@dispatch/contracts';
import { BusPayload, DispatchError, OnRequest } from '@dispatch/platform';
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

  /** For function create/update: the names of `org` that are no secret. Values stay here. */
  @OnRequest('identity.secret.exists.v1', 'identity-manager')
  async exists(@BusPayload() request: PayloadOf<'identity.secret.exists.v1'>): Promise<SubjectReplies['identity.secret.exists.v1']> {
    const missing: string[] = [];
    for (const name of new Set(request.names)) {
      try {
        await this.secrets.get(request.org, name);
      } catch (err) {
        if (!(err instanceof DispatchError && err.code === ErrorCode.NOT_FOUND)) throw err;
        missing.push(name);
      }
    }
    return { missing };
  }
}
