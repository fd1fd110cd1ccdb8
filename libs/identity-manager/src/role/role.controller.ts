import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, type Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import type { Page, Principal, Resource } from '@dispatch/contracts';
import { ApiPageQuery, ApiZodBody, Authorize, CurrentPrincipal, parsePageQuery, ZodPipe, type PageRequest } from '@dispatch/platform';
import { IamService } from '../domain/iam.service';

/** The five operations of an org-scoped IAM collection. */
export interface OrgCrud<C, U, V> {
  create(org: string, body: C): Promise<V>;
  list(org: string, page: PageRequest): Promise<Page<V>>;
  get(org: string, name: string): Promise<V>;
  update(org: string, name: string, body: U): Promise<V>;
  remove(org: string, name: string): Promise<void>;
}

export interface OrgCrudOptions<C extends z.ZodType, U extends z.ZodType, V> {
  /** Class name: it names the operations in the OpenAPI document. */
  name: string;
  path: string;
  resource: Resource;
  create: C;
  update: U;
  operations: (iam: IamService) => OrgCrud<z.infer<C>, z.infer<U>, V>;
}

/**
 * A controller for one org-scoped collection: create, list (paginated), get, replace, delete,
 * each authorized on `resource` in the caller's org. Another org's entries are not found.
 */
export function orgCrudController<C extends z.ZodType, U extends z.ZodType, V>(options: OrgCrudOptions<C, U, V>): Type<unknown> {
  const { resource, create, update } = options;

  @ApiTags('iam')
  @Controller(options.path)
  class OrgCrudController {
    private readonly ops: OrgCrud<z.infer<C>, z.infer<U>, V>;

    constructor(iam: IamService) {
      this.ops = options.operations(iam);
    }

    @Post()
    @Authorize(resource, 'create')
    @ApiZodBody(create)
    create(@CurrentPrincipal() p: Principal, @Body(new ZodPipe(create)) body: z.infer<C>) {
      return this.ops.create(p.org, body);
    }

    @Get()
    @Authorize(resource, 'list')
    @ApiPageQuery()
    list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
      return this.ops.list(p.org, parsePageQuery(query));
    }

    @Get(':name')
    @Authorize(resource, 'get')
    get(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
      return this.ops.get(p.org, name);
    }

    @Put(':name')
    @Authorize(resource, 'update')
    @ApiZodBody(update)
    update(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Body(new ZodPipe(update)) body: z.infer<U>) {
      return this.ops.update(p.org, name, body);
    }

    @Delete(':name')
    @HttpCode(204)
    @Authorize(resource, 'delete')
    async remove(@CurrentPrincipal() p: Principal, @Param('name') name: string) {
      await this.ops.remove(p.org, name);
    }
  }
  Object.defineProperty(OrgCrudController, 'name', { value: options.name });
  return OrgCrudController;
}
