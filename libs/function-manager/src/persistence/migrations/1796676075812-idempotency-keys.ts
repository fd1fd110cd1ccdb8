import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeys1796676075812 implements MigrationInterface {
  name = 'IdempotencyKeys1796676075812';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"functions\".\"idempotency_key\" (\"org\" text NOT NULL, \"function_name\" text NOT NULL, \"key\" text NOT NULL, \"request_hash\" text NOT NULL, \"run_id\" uuid, \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_47a1b06ef50624d32285fa39e4f\" PRIMARY KEY (\"org\", \"function_name\", \"key\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"functions\".\"idempotency_key\"");
  }
}
