import { Controller } from '@nestjs/common';
import type { AuthzSnapshotReply, AuthzSnapshotRequest } from '@dispatch/contracts';
import { BusPayload, OnRequest } from '@dispatch/platform';
import { AuthzRepository } from './authz.repository';

/** Serves the authorization snapshot every service's guard holds (cheaply "unchanged" when current). */
@Controller()
export class AuthzSnapshotHandler {
  constructor(private readonly repo: AuthzRepository) {}

  @OnRequest('identity.authz.snapshot.v1', 'identity-manager')
  async snapshot(@BusPayload() request: AuthzSnapshotRequest): Promise<AuthzSnapshotReply> {
    if (request.knownRevision !== undefined) {
      const revision = await this.repo.revision();
      if (revision === request.knownRevision) return { unchanged: true, revision };
    }
    return this.repo.snapshotOfAllOrgs();
  }
}
