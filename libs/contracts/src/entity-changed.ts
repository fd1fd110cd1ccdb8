import { z } from 'zod';

/** Payload of the lifecycle facts every entity publishes (created, changed, ready, deleted). */
export const entityChangedEventSchema = z.object({
  id: z.string(),
  org: z.string(),
  name: z.string(),
  status: z.string(),
  /** Monotonic per entity, so consumers can drop stale redeliveries. */
  revision: z.number(),
});
export type EntityChangedEvent = z.infer<typeof entityChangedEventSchema>;
