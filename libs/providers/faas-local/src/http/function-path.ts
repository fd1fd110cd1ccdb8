/** What `/function/{name}[.{namespace}][/extra/path]` addresses. */
export interface FunctionPath {
  name: string;
  namespace?: string;
  /** The path the function sees: the extra segments after the name, `/` when there are none. */
  rest: string;
}

/** The gateway's router admits these names; anything else is not a function route. */
const ROUTABLE_NAME = /^[-a-zA-Z_0-9.]+$/;

/**
 * Splits a call route's path (query string excluded) after its `prefix` (`/function/`,
 * `/async-function/`). A namespace is written after the last `.` of the segment, as the
 * gateway reads `{functionName}.{namespace}`.
 */
export function parseFunctionPath(path: string, prefix: string): FunctionPath | undefined {
  const slash = path.indexOf('/', prefix.length);
  const segment = slash < 0 ? path.slice(prefix.length) : path.slice(prefix.length, slash);
  if (!segment || !ROUTABLE_NAME.test(segment)) return undefined;
  const rest = slash < 0 ? '/' : path.slice(slash);
  const dot = segment.lastIndexOf('.');
  if (dot < 0) return { name: segment, rest };
  if (dot === 0 || dot === segment.length - 1) return undefined;
  return { name: segment.slice(0, dot), namespace: segment.slice(dot + 1), rest };
}
