/**
 * What a value looks like after a trip through JSON, as it would over NATS: solo mode must not
 * let a requester and a replier share objects, or let Dates and class instances survive.
 */
export function jsonClone<T>(value: T): T {
  const text = JSON.stringify(value);
  return (text === undefined ? undefined : JSON.parse(text)) as T;
}
