import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiKeys1795432314224 implements MigrationInterface {
  name = 'ApiKeys1795432314224';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"identity\".\"api_key\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"org\" text NOT NULL, \"name\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'READY', \"reason\" jsonb NOT NULL DEFAULT '[]', \"tags\" jsonb NOT NULL DEFAULT '[]', \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"prefix\" text NOT NULL, \"sha256\" text NOT NULL, \"role\" text NOT NULL, \"expires_at\" TIMESTAMP WITH TIME ZONE, \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"api_key_org_name_unique\" UNIQUE (\"org\", \"name\"), CONSTRAINT \"PK_b1bd840641b8acbaad89c3d8d11\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"api_key_prefix_unique\" ON \"identity\".\"api_key\" (\"prefix\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"identity\".\"api_key_prefix_unique\"");
    await queryRunner.query("DROP TABLE \"identity\".\"api_key\"");
  }
}
