import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TrustedIssuers1795432407761 implements MigrationInterface {
  name = 'TrustedIssuers1795432407761';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"identity\".\"trusted_issuer\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"org\" text NOT NULL, \"name\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'READY', \"reason\" jsonb NOT NULL DEFAULT '[]', \"tags\" jsonb NOT NULL DEFAULT '[]', \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"issuer\" text NOT NULL, \"audience\" text NOT NULL, \"jwks_uri\" text, \"claims\" jsonb NOT NULL, CONSTRAINT \"trusted_issuer_org_issuer_unique\" UNIQUE (\"org\", \"issuer\"), CONSTRAINT \"trusted_issuer_org_name_unique\" UNIQUE (\"org\", \"name\"), CONSTRAINT \"PK_ac57d16cd94f2c20244b1588b63\" PRIMARY KEY (\"id\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"identity\".\"trusted_issuer\"");
  }
}
