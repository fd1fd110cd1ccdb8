import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { ErrorCode, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from '@dispatch/contracts';
import { documentErrors } from './api-errors';
import { parsePageQuery, type PageRequest } from './page-query';

/** Documents the query parameters parsePageQuery reads, so /docs shows how every list pages, and how it refuses bad ones. */
export const ApiPageQuery = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({
      name: 'pageSize',
      required: false,
      type: Number,
      description: `Items per page, 1 to ${PAGE_SIZE_MAX} (default ${PAGE_SIZE_DEFAULT}).`,
    }),
    ApiQuery({ name: 'pageToken', required: false, type: String, description: 'nextPageToken of the previous page.' }),
    documentErrors([ErrorCode.VALIDATION_FAILED, ErrorCode.INVALID_PAGE_TOKEN]),
  );

/** The page a list route was asked for: its query read by parsePageQuery (ApiPageQuery documents it). */
export const PageQuery = createParamDecorator((_data: unknown, ctx: ExecutionContext): PageRequest =>
  parsePageQuery(ctx.switchToHttp().getRequest<{ query: Record<string, unknown> }>().query),
);
