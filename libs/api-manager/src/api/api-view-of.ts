import { entityBaseOf } from '@dispatch/persistence';
import type { ApiRecord } from './api.entity';
import { servedPaths } from './api-spec';
import type { ApiView } from './api-view';

export function apiViewOf(api: ApiRecord): ApiView {
  const { spec } = api;
  return {
    ...entityBaseOf(api),
    function: spec.function,
    methods: spec.methods,
    paths: spec.paths,
    servedPaths: servedPaths(api.org, spec),
    hosts: spec.hosts,
    protocols: spec.protocols,
    authentication: spec.authentication,
    cors: spec.cors,
    rateLimit: spec.rateLimit,
    requestSizeLimit: spec.requestSizeLimit,
    enabled: spec.enabled,
  };
}
