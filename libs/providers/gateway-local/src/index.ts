export * from './kong-entities';
export { KONG_VERSION, kongError, type KongExit } from './kong-error';
export { Router, RouteConfigError, type RouteMatch, type RouterRequest, type UriCaptures } from './router';
export { PluginConfigError, validatePlugin } from './plugins/validate';
export { bundledPlugins } from './plugins/registry';
export { startGatewayProxy, validateGatewayState, type GatewayProxy, type GatewayProxyOptions } from './proxy/gateway-proxy';
export {
  startGatewayAdmin,
  assertLoopback,
  EntityStore,
  AdminError,
  type GatewayAdmin,
  type GatewayAdminOptions,
  type AdminExchange,
} from './admin';
export { startGateway, type Gateway, type GatewayOptions } from './gateway';
