/**
 * A bounded pause, only to show that nothing (more) happens within it: an absence cannot be
 * polled for. Never use it to wait for something; poll with waitFor instead.
 */
export const quietPeriod = (ms: number) => new Promise((r) => setTimeout(r, ms));
