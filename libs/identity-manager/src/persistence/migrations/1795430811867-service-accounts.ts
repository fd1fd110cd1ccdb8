import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ServiceAccounts1795430811867 implements MigrationInterface {
  name = 'ServiceAccounts1795430811867';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"identity\".\"service_account\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"org\" text NOT NULL, \"name\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'READY', \"reason\" jsonb NOT NULL DEFAULT '[]', \"tags\" jsonb NOT NULL DEFAULT '[]', \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"public_key_pem\" text NOT NULL, CONSTRAINT \"service_account_org_name_unique\" UNIQUE (\"org\", \"name\"), CONSTRAINT \"PK_2efb318de61f6487f806627dbd2\" PRIMARY KEY (\"id\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"identity\".\"service_account\"");
  }
}
