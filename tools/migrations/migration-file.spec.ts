import ts from 'typescript';
import { renderMigration } from './migration-file';

describe('renderMigration', () => {
  it('writes a migration class that compiles and runs each statement in order', () => {
    const source = renderMigration(
      'AddSettings1763000000001',
      ['CREATE TABLE "s"."t" ("v" text DEFAULT \'x\')', 'SELECT 2'],
      ['DROP TABLE "s"."t"'],
    );
    const { diagnostics } = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { strict: true } });
    expect(diagnostics).toEqual([]);
    expect(source).toContain("export class AddSettings1763000000001 implements MigrationInterface {\n  name = 'AddSettings1763000000001';");
    expect(source).toContain(
      '    await queryRunner.query("CREATE TABLE \\"s\\".\\"t\\" (\\"v\\" text DEFAULT \'x\')");\n    await queryRunner.query("SELECT 2");',
    );
    expect(source).toContain('    await queryRunner.query("DROP TABLE \\"s\\".\\"t\\"");');
  });
});
