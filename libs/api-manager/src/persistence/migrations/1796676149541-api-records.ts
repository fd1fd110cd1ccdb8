import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiRecords1796676149541 implements MigrationInterface {
  name = 'ApiRecords1796676149541';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"apis\".\"api\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"org\" text NOT NULL, \"name\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'READY', \"reason\" jsonb NOT NULL DEFAULT '[]', \"tags\" jsonb NOT NULL DEFAULT '[]', \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"spec\" jsonb NOT NULL, \"route_keys\" text array NOT NULL, \"generation\" integer NOT NULL DEFAULT '1', CONSTRAINT \"api_org_name_unique\" UNIQUE (\"org\", \"name\"), CONSTRAINT \"PK_12f6cbe9e79197c2bf4c79c009d\" PRIMARY KEY (\"id\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"apis\".\"api\"");
  }
}
