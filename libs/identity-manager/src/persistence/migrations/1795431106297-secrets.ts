import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Secrets1795431106297 implements MigrationInterface {
  name = 'Secrets1795431106297';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"identity\".\"secret\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"org\" text NOT NULL, \"name\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'READY', \"reason\" jsonb NOT NULL DEFAULT '[]', \"tags\" jsonb NOT NULL DEFAULT '[]', \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"ciphertext\" bytea NOT NULL, \"iv\" bytea NOT NULL, \"auth_tag\" bytea NOT NULL, \"key_version\" smallint NOT NULL, CONSTRAINT \"secret_org_name_unique\" UNIQUE (\"org\", \"name\"), CONSTRAINT \"PK_6afa4961954e17ec2d6401afc3d\" PRIMARY KEY (\"id\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"identity\".\"secret\"");
  }
}
