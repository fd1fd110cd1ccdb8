import { AsyncResource } from 'node:async_hooks';

type Fn = (this: unknown, ...args: unknown[]) => unknown;

/** On the lean bind, Node's own: found again by whoever loads this module later (jest's registries). */
const NODE_BIND = Symbol.for('dispatch.AsyncResource.nodeBind');

/**
 * Node 20's `AsyncResource#bind` gives every bound function a deprecated `asyncResource` accessor
 * (DEP0172) made by two `util.deprecate` calls, about 15 µs per bind plus their garbage; later Node
 * versions dropped it. Fastify binds one function per request that has a body, so on Node 20 every
 * POST paid that (a fifth of a blocking run's server CPU in bench/invoke). This replaces `bind` with
 * the same function minus the deprecated accessor, only where Node still defines it.
 */
export function useLeanAsyncResourceBind(): void {
  if (!hasDeprecatedAccessor()) return;
  function bind(this: AsyncResource, fn: Fn, thisArg?: unknown): Fn {
    if (typeof fn !== 'function')
      throw Object.assign(new TypeError('The "fn" argument must be of type function'), { code: 'ERR_INVALID_ARG_TYPE' });
    const run = this.runInAsyncScope.bind(this) as (fn: Fn, thisArg: unknown, ...args: unknown[]) => unknown;
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return run(fn, this, ...args);
          }
        : (...args: unknown[]) => run(fn, thisArg, ...args);
    Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, value: fn.length, writable: false });
    return bound;
  }
  Object.defineProperty(bind, NODE_BIND, { value: AsyncResource.prototype.bind });
  AsyncResource.prototype.bind = bind as unknown as typeof AsyncResource.prototype.bind;
}

/** Node's own bind behind `bind`, if it is the lean one; else `bind` itself. */
export function nodeBindOf(bind: typeof AsyncResource.prototype.bind): typeof AsyncResource.prototype.bind {
  return (bind as unknown as Record<symbol, typeof bind | undefined>)[NODE_BIND] ?? bind;
}

/**
 * Whether `bind` is still Node's own and still makes the deprecated accessor. Node's own only: a
 * wrapper an APM agent installed is left in place.
 */
export function hasDeprecatedAccessor(): boolean {
  const bind = AsyncResource.prototype.bind;
  if (!bind.toString().includes('DEP0172')) return false;
  return (
    Object.getOwnPropertyDescriptor(
      bind.call(new AsyncResource('probe'), () => undefined),
      'asyncResource',
    ) !== undefined
  );
}
