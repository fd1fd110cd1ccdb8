/** Called with the id of every version that has work to do (the deployer's reconcile loop). */
export const VERSION_QUEUE = Symbol.for('dispatch.function-version-queue');
export interface VersionQueue {
  enqueue(versionId: string): void;
}
