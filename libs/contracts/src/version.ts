/** The platform's version, reported by every app and the CLI. Bumped with each release. */
export const DISPATCH_VERSION = '0.1.0';
