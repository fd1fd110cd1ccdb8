import { Injectable } from '@nestjs/common';
import { ErrorCode, type Page, type Principal } from '@dispatch/contracts';
import { DispatchError, IdentitySnapshot } from '@dispatch/platform';
import type { AuditEvent } from './audit-event.entity';
import { type AuditEventView, type AuditQuery, encodeCursor } from './audit-query';
import { AuditRepository } from './audit.repository';

/** Reading the audit log: each org its own events; platform admins any org's, and the anonymous ones. */
@Injectable()
export class AuditService {
  constructor(
    private readonly events: AuditRepository,
    private readonly identity: IdentitySnapshot,
  ) {}

  async list(principal: Principal, query: AuditQuery): Promise<Page<AuditEventView>> {
    const platformAdmin = principal.org === this.identity.platformOrg;
    let org: string | null = principal.org;
    if (query.anonymous) {
      if (!platformAdmin) {
        throw new DispatchError(
          ErrorCode.FORBIDDEN,
          `only platform admins (of org "${this.identity.platformOrg}") may list anonymous requests`,
        );
      }
      if (query.org !== undefined) throw new DispatchError(ErrorCode.VALIDATION_FAILED, 'give either org or anonymous=true, not both');
      org = null;
    } else if (query.org !== undefined && query.org !== principal.org) {
      // Another org's log is "not found", never forbidden: its existence is not revealed.
      if (!platformAdmin) throw new DispatchError(ErrorCode.ORGANIZATION_NOT_FOUND, `organization "${query.org}" not found`);
      org = query.org;
    }
    // One row more than the page tells whether another page follows.
    const rows = await this.events.page(org, query.filter, query.limit, query.after);
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(auditEventView),
      ...(rows.length > query.limit ? { nextPageToken: encodeCursor({ time: last.time.toISOString(), id: last.id }) } : {}),
    };
  }
}

function auditEventView(e: AuditEvent): AuditEventView {
  return {
    id: e.id,
    requestId: e.requestId,
    time: e.time.toISOString(),
    service: e.service,
    org: e.org,
    subject: e.subject,
    subjectKind: e.subjectKind,
    resource: e.resource,
    action: e.action,
    method: e.method,
    route: e.route,
    status: e.status,
    result: e.result,
  };
}
