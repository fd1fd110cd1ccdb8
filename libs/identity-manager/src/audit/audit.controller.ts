import { applyDecorators, Controller, Get, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { ErrorCode, type Page, type Principal } from '@dispatch/contracts';
import { ApiErrors, ApiPageResponse, Authorize, CurrentPrincipal } from '@dispatch/platform';
import type { AuditEventView } from './audit-query';
import { parseAuditQuery } from './audit.dto';
import { AuditService } from './audit.service';
import { auditEventViewSchema } from './audit-view';

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
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Authorize('audit', 'list')
  @ApiPageResponse(auditEventViewSchema, { description: 'Audit events, newest first.' })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.INVALID_PAGE_TOKEN, ErrorCode.ORGANIZATION_NOT_FOUND)
  @applyDecorators(...FILTERS.map(([name, description]) => ApiQuery({ name, required: false, type: String, description })))
  async list(@CurrentPrincipal() principal: Principal, @Query() rawQuery: Record<string, unknown>): Promise<Page<AuditEventView>> {
    return this.audit.list(principal, parseAuditQuery(rawQuery));
  }
}
