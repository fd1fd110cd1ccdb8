import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityAuthz1795429209612 implements MigrationInterface {
  name = 'IdentityAuthz1795429209612';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"identity\".\"authz_revision\" (\"id\" integer NOT NULL, \"revision\" bigint NOT NULL, CONSTRAINT \"PK_dff920b3dadbd6dcd6cb983585e\" PRIMARY KEY (\"id\"))");
    // The single revision row every service compares against its copy of the snapshot.
    await queryRunner.query("INSERT INTO \"identity\".\"authz_revision\" (\"id\", \"revision\") VALUES (1, 1)");
    await queryRunner.query("CREATE TABLE \"identity\".\"organization\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"org\" text NOT NULL, \"name\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'READY', \"reason\" jsonb NOT NULL DEFAULT '[]', \"tags\" jsonb NOT NULL DEFAULT '[]', \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"organization_name_unique\" UNIQUE (\"name\"), CONSTRAINT \"PK_472c1f99a32def1b0abb219cd67\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"identity\".\"role_binding\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"org\" text NOT NULL, \"name\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'READY', \"reason\" jsonb NOT NULL DEFAULT '[]', \"tags\" jsonb NOT NULL DEFAULT '[]', \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"role\" text NOT NULL, \"subjects\" jsonb NOT NULL, CONSTRAINT \"role_binding_org_name_unique\" UNIQUE (\"org\", \"name\"), CONSTRAINT \"PK_94c1497e2c1cb0e61f24d82d9e4\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"identity\".\"role\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"org\" text NOT NULL, \"name\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'READY', \"reason\" jsonb NOT NULL DEFAULT '[]', \"tags\" jsonb NOT NULL DEFAULT '[]', \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"rules\" jsonb NOT NULL, CONSTRAINT \"role_org_name_unique\" UNIQUE (\"org\", \"name\"), CONSTRAINT \"PK_b36bcfe02fc8de3c57a8b2391c2\" PRIMARY KEY (\"id\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"identity\".\"role\"");
    await queryRunner.query("DROP TABLE \"identity\".\"role_binding\"");
    await queryRunner.query("DROP TABLE \"identity\".\"organization\"");
    await queryRunner.query("DROP TABLE \"identity\".\"authz_revision\"");
  }
}
