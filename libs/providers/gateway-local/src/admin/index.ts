export { startGatewayAdmin, assertLoopback, type GatewayAdmin, type GatewayAdminOptions, type AdminExchange } from './admin-server';
export { EntityStore, type Page, type Parent } from './entity-store';
export { AdminError } from './admin-errors';
