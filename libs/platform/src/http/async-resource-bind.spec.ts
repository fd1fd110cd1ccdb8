import { AsyncResource, executionAsyncId, triggerAsyncId } from 'node:async_hooks';
import { hasDeprecatedAccessor, nodeBindOf, useLeanAsyncResourceBind } from './async-resource-bind';

// An HTTP app built earlier in this jest worker may have replaced bind already: start from Node's.
const original = nodeBindOf(AsyncResource.prototype.bind);
AsyncResource.prototype.bind = original;
// Node 20 and 22 still make the accessor; where Node no longer does, there is nothing to replace.
const onNodeWithAccessor = hasDeprecatedAccessor() ? describe : describe.skip;

onNodeWithAccessor('useLeanAsyncResourceBind', () => {
  afterEach(() => {
    AsyncResource.prototype.bind = original;
  });

  it("binds as Node does, in the resource's async scope, without the deprecated accessor", () => {
    useLeanAsyncResourceBind();
    expect(AsyncResource.prototype.bind).not.toBe(original);
    expect(nodeBindOf(AsyncResource.prototype.bind)).toBe(original);
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
    expect(() => resource.bind('nope' as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });

  it('replaces bind once, and never a wrapper someone else installed', () => {
    useLeanAsyncResourceBind();
    const lean = AsyncResource.prototype.bind;
    useLeanAsyncResourceBind();
    expect(AsyncResource.prototype.bind).toBe(lean);

    const wrapper = function (this: AsyncResource, ...args: Parameters<typeof original>) {
      return original.apply(this, args);
    } as typeof original;
    AsyncResource.prototype.bind = wrapper;
    useLeanAsyncResourceBind();
    expect(AsyncResource.prototype.bind).toBe(wrapper);
  });
});
