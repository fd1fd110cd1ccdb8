import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit log: one row per audited mutation, kept AUDIT_RETENTION_DAYS. */
export class Audit1795431356006 implements MigrationInterface {
  name = 'Audit1795431356006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"identity\".\"audit_event\" (\"id\" uuid NOT NULL, \"request_id\" text NOT NULL, \"time\" TIMESTAMP WITH TIME ZONE NOT NULL, \"service\" text NOT NULL, \"org\" text, \"subject\" text, \"subject_kind\" text, \"resource\" text, \"action\" text, \"method\" text NOT NULL, \"route\" text NOT NULL, \"status\" integer NOT NULL, \"result\" text NOT NULL, CONSTRAINT \"PK_481efbe8b0a403efe3f47a6528f\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"audit_event_request_id\" ON \"identity\".\"audit_event\" (\"request_id\") ");
    await queryRunner.query("CREATE INDEX \"audit_event_time\" ON \"identity\".\"audit_event\" (\"time\") ");
    await queryRunner.query("CREATE INDEX \"audit_event_org_time\" ON \"identity\".\"audit_event\" (\"org\", \"time\", \"id\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"identity\".\"audit_event_org_time\"");
    await queryRunner.query("DROP INDEX \"identity\".\"audit_event_time\"");
    await queryRunner.query("DROP INDEX \"identity\".\"audit_event_request_id\"");
    await queryRunner.query("DROP TABLE \"identity\".\"audit_event\"");
  }
}
