import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RunLeases1796542714098 implements MigrationInterface {
  name = 'RunLeases1796542714098';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"functions\".\"runner\" (\"id\" uuid NOT NULL, \"host\" text NOT NULL, \"pid\" integer NOT NULL, \"started_time\" TIMESTAMP WITH TIME ZONE NOT NULL, \"heartbeat_time\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_ceb1db69b90c9c1a2d8e6935661\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("ALTER TABLE \"functions\".\"run\" ADD \"runner_id\" uuid");
    await queryRunner.query("CREATE INDEX \"run_queued\" ON \"functions\".\"run\" (\"org\", \"function_name\", \"created_time\") WHERE \"status\" = 'INITIALIZED'");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"functions\".\"run_queued\"");
    await queryRunner.query("ALTER TABLE \"functions\".\"run\" DROP COLUMN \"runner_id\"");
    await queryRunner.query("DROP TABLE \"functions\".\"runner\"");
  }
}
