import type { KongRoute } from '../kong-entities';

/** Whether a route path is a regex: Kong 3.x marks them with a leading `~`. */
export function isRegexPath(path: string): boolean {
  return path.startsWith('~');
}

function filled<T>(field: T[] | Record<string, unknown> | null | undefined): boolean {
  if (!field) return false;
  return Array.isArray(field) ? field.length > 0 : Object.keys(field).length > 0;
}

/**
 * The 64-bit match priority Kong 3.x gives a traditional route (kong/router/transform.lua
 * get_priority), for one group of its paths (all regex, or all plain of one length). From the top
 * bit down: how many of methods/hosts/headers/paths it sets (3 bits), whether every host is plain
 * (no wildcard), how many headers (8 bits), whether its paths are regexes, regex_priority (32 bits),
 * and the plain path length (19 bits). Higher runs first: so a route with hosts beats one without,
 * regex paths beat plain ones, regex_priority orders regexes, and longer plain prefixes win.
 */
export function routePriority(route: KongRoute, paths: string[]): bigint {
  let weight = 0n;
  if (filled(route.methods)) weight += 1n;
  if (filled(route.hosts)) weight += 1n;
  const headersCount = filled(route.headers) ? Math.min(Object.keys(route.headers ?? {}).length, 255) : 0;
  if (headersCount > 0) weight += 1n;
  let regexUrl = false;
  let length = 0;
  if (paths.length > 0) {
    weight += 1n;
    regexUrl = isRegexPath(paths[0]!);
    if (!regexUrl) length = paths[0]!.length;
  }
  const plainHostOnly = Array.isArray(route.hosts) && route.hosts.every((host) => !host.includes('*'));
  const regexPriority = regexUrl ? BigInt.asUintN(32, BigInt(route.regex_priority ?? 0)) : 0n;
  return BigInt.asUintN(
    64,
    (weight << 61n) |
      (plainHostOnly ? 1n << 60n : 0n) |
      (BigInt(headersCount) << 52n) |
      (regexUrl ? 1n << 51n : 0n) |
      (regexPriority << 19n) |
      BigInt(length & 0x7ffff),
  );
}

/**
 * Kong splits a route whose paths mix regexes and plain prefixes of different lengths into one
 * matcher per group, each with its own priority (transform.lua split_routes_and_services_by_path).
 */
export function groupPaths(paths: string[]): string[][] {
  const groups = new Map<number, string[]>();
  for (const path of paths) {
    const key = isRegexPath(path) ? 0 : path.length;
    const group = groups.get(key) ?? [];
    group.push(path);
    groups.set(key, group);
  }
  return [...groups.values()];
}
