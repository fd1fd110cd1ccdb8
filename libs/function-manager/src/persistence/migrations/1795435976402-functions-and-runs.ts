import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FunctionsAndRuns1795435976402 implements MigrationInterface {
  name = 'FunctionsAndRuns1795435976402';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"functions\".\"function\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"org\" text NOT NULL, \"name\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'READY', \"reason\" jsonb NOT NULL DEFAULT '[]', \"tags\" jsonb NOT NULL DEFAULT '[]', \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"spec\" jsonb NOT NULL, \"active_version\" integer, \"latest_version\" integer NOT NULL, CONSTRAINT \"function_org_name_unique\" UNIQUE (\"org\", \"name\"), CONSTRAINT \"PK_6e085d059b4227aab09e8a5b05e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"functions\".\"function_source\" (\"digest\" text NOT NULL, \"archive\" bytea NOT NULL, \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_8f21e1899fb7514eda8818210ba\" PRIMARY KEY (\"digest\"))");
    await queryRunner.query("CREATE TABLE \"functions\".\"function_version\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"function_id\" uuid NOT NULL, \"org\" text NOT NULL, \"version\" integer NOT NULL, \"spec\" jsonb NOT NULL, \"provider_name\" text NOT NULL, \"image\" text, \"status\" text NOT NULL, \"reason\" jsonb NOT NULL DEFAULT '[]', \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"modified_time\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"function_version_unique\" UNIQUE (\"function_id\", \"version\"), CONSTRAINT \"PK_539752a4e101608726f6df689b5\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"function_version_pending\" ON \"functions\".\"function_version\" (\"status\") ");
    await queryRunner.query("CREATE TABLE \"functions\".\"run\" (\"id\" uuid NOT NULL, \"org\" text NOT NULL, \"function_name\" text NOT NULL, \"function_id\" uuid NOT NULL, \"version\" integer NOT NULL, \"status\" text NOT NULL, \"blocking\" boolean NOT NULL, \"input\" jsonb, \"output\" jsonb, \"error\" jsonb, \"logs\" jsonb, \"secrets\" jsonb NOT NULL DEFAULT '[]', \"trigger\" jsonb NOT NULL, \"memory_mb\" integer NOT NULL, \"created_time\" TIMESTAMP WITH TIME ZONE NOT NULL, \"started_time\" TIMESTAMP WITH TIME ZONE, \"finished_time\" TIMESTAMP WITH TIME ZONE, \"deadline\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_804c38ffba92002c6d2c646dd46\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"run_unfinished\" ON \"functions\".\"run\" (\"status\", \"deadline\") ");
    await queryRunner.query("CREATE INDEX \"run_by_org\" ON \"functions\".\"run\" (\"org\", \"created_time\") ");
    await queryRunner.query("CREATE INDEX \"run_by_function\" ON \"functions\".\"run\" (\"org\", \"function_name\", \"created_time\") ");
    await queryRunner.query("CREATE TABLE \"functions\".\"usage\" (\"org\" text NOT NULL, \"day\" date NOT NULL, \"runs\" bigint NOT NULL, \"gb_seconds\" double precision NOT NULL, CONSTRAINT \"PK_397b4c3b1f2f4feeba4bb3d515b\" PRIMARY KEY (\"org\", \"day\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"functions\".\"usage\"");
    await queryRunner.query("DROP INDEX \"functions\".\"run_by_function\"");
    await queryRunner.query("DROP INDEX \"functions\".\"run_by_org\"");
    await queryRunner.query("DROP INDEX \"functions\".\"run_unfinished\"");
    await queryRunner.query("DROP TABLE \"functions\".\"run\"");
    await queryRunner.query("DROP INDEX \"functions\".\"function_version_pending\"");
    await queryRunner.query("DROP TABLE \"functions\".\"function_version\"");
    await queryRunner.query("DROP TABLE \"functions\".\"function_source\"");
    await queryRunner.query("DROP TABLE \"functions\".\"function\"");
  }
}
