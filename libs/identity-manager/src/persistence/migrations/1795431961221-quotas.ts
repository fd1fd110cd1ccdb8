import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Quotas1795431961221 implements MigrationInterface {
  name = 'Quotas1795431961221';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"identity\".\"quota\" (\"org\" text NOT NULL, \"max_functions\" integer NOT NULL, \"max_concurrent_runs\" integer NOT NULL, \"max_events_per_second\" integer NOT NULL, \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_4e0cacdcc3674131f09e75a5833\" PRIMARY KEY (\"org\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"identity\".\"quota\"");
  }
}
