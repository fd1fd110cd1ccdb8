import type { EntityManager } from 'typeorm';
import { FunctionSource } from './function-source.entity';

/**
 * Kept sources by digest. Not org-scoped: a row is named by the digest of its content, so it is
 * the same for whichever org uploads it, and only ever reached through a version's spec.
 */
export class FunctionSourceRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Keeps an archive once: a digest already kept is left as it is. */
  async keep(digest: string, archive: Buffer): Promise<void> {
    await this.manager.createQueryBuilder().insert().into(FunctionSource).values({ digest, archive }).orIgnore().execute();
  }

  /** The archive kept under `digest`; throws when there is none. */
  async archiveOf(digest: string): Promise<Buffer> {
    return (await this.manager.findOneByOrFail(FunctionSource, { digest })).archive;
  }
}
