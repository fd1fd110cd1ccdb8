import { AsyncResource, executionAsyncId, triggerAsyncId } from 'node:async_hooks';
import { useLeanAsyncResourceBind } from './async-resource-bind';

describe('useLeanAsyncResourceBind', () => {
  const original = AsyncResource.prototype.bind;
  afterAll(() => {
    AsyncResource.prototype.bind = original;
  });

  it('binds as Node does, in the resource\'s async scope, without the deprecated accessor', () => {
    useLeanAsyncResourceBind();
    expect(AsyncResource.prototype.bind).not.toBe(original);
    const resource = new AsyncResource('test');
    const bound = resource.bind(function (this: unknown, a: number, b: number) {
      return { self: this, sum: a + b, id: executionAsyncId(), trigger: triggerAsyncId() };
    });
    const self = { me: 1 };
    expect(bound.call(self, 2, 3)).toEqual({ self, sum: 5, id: resource.asyncId(), trigger: resource.triggerAsyncId() });
    expect(bound.length).toBe(2);
    expect(Object.getOwnPropertyDescriptor(bound, 'asyncResource')).toBeUndefined();

    // Node's bind takes a thisArg that @types/node does not declare.
    const bindWithThis = resource.bind as unknown as (fn: () => unknown, thisArg: unknown) => () => unknown;
    const withThis = bindWithThis.call(
      resource,
      function (this: unknown) {
        return [this, executionAsyncId()];
      },
      self,
    );
    expect(withThis()).toEqual([self, resource.asyncId()]);
    expect(() => resource.bind('nope' as never)).toThrow(TypeError);
  });

  it('leaves bind alone once it is lean already', () => {
    const lean = AsyncResource.prototype.bind;
    useLeanAsyncResourceBind();
    expect(AsyncResource.prototype.bind).toBe(lean);
  });
});
