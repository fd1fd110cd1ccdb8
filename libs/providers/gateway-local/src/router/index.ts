export { Router, RouteConfigError, type RouteMatch, type RouterRequest, type UriCaptures } from './router';
export { normalizeRequestPath } from './normalize-path';
export { routePriority } from './priority';
export { upstreamPathV0 } from './upstream-path';
