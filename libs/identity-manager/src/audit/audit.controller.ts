import { applyDecorators, Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ErrorCode, type Page, type Principal } from '@dispatch/contracts';
import { Authorize, CurrentPrincipal, DispatchError, IdentitySnapshot } from '@dispatch/platform';
import type { AuditEvent } from './audit-event.entity';
import { type AuditEventView, encodeCursor, parseAuditQuery } from './audit-query';
import { AuditStore } from './audit.store';

const FILTERS: [name: string, description: string][] = [
  ['org', 'Platform admins only: another org to read (default: your own). Another org is answered 404 for anyone else.'],
  ['anonymous', 'Platform admins only: "true" lists requests refused before a caller was verified (they have no org).'],
  ['subject', 'Only events of this subject (user, service account or API key name).'],
  ['resource', 'Only events on this resource (e.g. function, policy).'],
  ['action', 'Only this action (create, update, delete, execute, …).'],
  ['result', '"allowed", or an error code such as FORBIDDEN or UNAUTHENTICATED.'],
  ['requestId', 'Only the events of this request id (X-Request-Id).'],
  ['since', 'ISO 8601 timestamp with a zone; events at or after it.'],
  ['until', 'ISO 8601 timestamp with a zone; events before it.'],
  ['pageSize', 'Events per page, 1 to 500 (default 50).'],
  ['pageToken', 'nextPageToken of the previous page.'],
];

/** The audit log: every mutation of every service (DESIGN §9), newest first. */
@ApiTags('iam')
@Controller('v1/iam/audit')
export class AuditController {
  constructor(
    private readonly store: AuditStore,
    private readonly identity: IdentitySnapshot,
  ) {}

  @Get()
  @Authorize('audit', 'list')
  @ApiOkResponse({ description: '{ items: AuditEvent[], nextPageToken? }, newest first' })
  @applyDecorators(...FILTERS.map(([name, description]) => ApiQuery({ name, required: false, type: String, description })))
  async list(@CurrentPrincipal() principal: Principal, @Query() rawQuery: Record<string, unknown>): Promise<Page<AuditEventView>> {
    const query = parseAuditQuery(rawQuery);
    const platformAdmin = principal.org === this.identity.platformOrg;
    let org: string | null = principal.org;
    if (query.anonymous) {
      if (!platformAdmin) {
        throw new DispatchError(ErrorCode.FORBIDDEN, `only platform admins (of org "${this.identity.platformOrg}") may list anonymous requests`);
      }
      if (query.org !== undefined) throw new DispatchError(ErrorCode.VALIDATION_FAILED, 'give either org or anonymous=true, not both');
      org = null;
    } else if (query.org !== undefined && query.org !== principal.org) {
      // Another org's log is "not found", never forbidden: its existence is not revealed.
      if (!platformAdmin) throw new DispatchError(ErrorCode.ORGANIZATION_NOT_FOUND, `organization "${query.org}" not found`);
      org = query.org;
    }
    // One row more than the page tells whether another page follows.
    const rows = await this.store.page({ ...query.filter, org }, query.limit, query.after);
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
