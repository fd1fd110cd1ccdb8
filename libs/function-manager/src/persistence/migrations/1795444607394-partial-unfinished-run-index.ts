import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PartialUnfinishedRunIndex1795444607394 implements MigrationInterface {
  name = 'PartialUnfinishedRunIndex1795444607394';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"functions\".\"run_unfinished\"");
    await queryRunner.query("CREATE INDEX \"run_unfinished\" ON \"functions\".\"run\" (\"deadline\") WHERE \"status\" IN ('INITIALIZED', 'RUNNING')");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"functions\".\"run_unfinished\"");
    await queryRunner.query("CREATE INDEX \"run_unfinished\" ON \"functions\".\"run\" (\"status\", \"deadline\") ");
  }
}
