/** Injection tokens of what PlatformModule provides (own file: the providers import them too). */
export const LOGGER = Symbol.for('dispatch.logger');
export const PLATFORM_CONFIG = Symbol.for('dispatch.config');
