import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@dispatch/testing';
import { OrgColumn } from './columns';
import { OrgScopedRepository } from './org-scoped-repository';

@Entity({ name: 'widget' })
class Widget {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @OrgColumn() org!: string;
  @Column({ type: 'text' }) color!: string;
}

/** A repository as a service writes one: its methods can only pass on the org they are given. */
class Widgets extends OrgScopedRepository<Widget> {
  constructor(ds: DataSource) {
    super(ds.getRepository(Widget));
  }
  add = (...w: Widget[]) => this.insert(...w);
  one = (org: string, id: string) => this.findOne(org, { id });
  // A careless caller that names another org in its condition still gets only its own.
  oneNaming = (org: string, id: string, other: string) => this.findOne(org, { id, org: other });
  all = (org: string) => this.findMany(org, {});
  recolor = (org: string, id: string, color: string) => this.update(org, { id }, { color });
  remove = (org: string, id: string) => this.delete(org, { id });
  store = (w: Widget) => this.save(w);
  put = (w: Widget) => this.upsert(w, ['org', 'id']);
  putById = (w: Widget) => this.upsert(w, ['id']);
  locked = (org: string, id: string) => this.findOneForUpdate(org, { id });
  red = (org: string) => this.select(org, 'w').andWhere('w.color = :c', { c: 'red' }).getMany();
}

const widget = (id: string, org: string, color = 'red'): Widget => Object.assign(new Widget(), { id, org, color });

describe('OrgScopedRepository (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let widgets: Widgets;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ type: 'postgres', url: db.url, entities: [Widget] });
    await ds.initialize();
    await ds.query(`CREATE TABLE widget (id text PRIMARY KEY, org text NOT NULL, color text NOT NULL, UNIQUE (org, id))`);
    widgets = new Widgets(ds);
    await widgets.add(widget('a1', 'acme'), widget('a2', 'acme', 'blue'), widget('b1', 'beta'));
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it("reads only the org's rows, whatever the condition names", async () => {
    expect(await widgets.one('acme', 'a1')).toMatchObject({ id: 'a1' });
    expect(await widgets.one('acme', 'b1')).toBeNull();
    expect(await widgets.oneNaming('acme', 'b1', 'beta')).toBeNull();
    expect((await widgets.all('acme')).map((w) => w.id).sort()).toEqual(['a1', 'a2']);
    expect((await widgets.red('beta')).map((w) => w.id)).toEqual(['b1']);
  });

  it("updates and deletes only the org's rows", async () => {
    expect(await widgets.recolor('acme', 'b1', 'green')).toBe(0);
    expect(await widgets.remove('acme', 'b1')).toBe(0);
    expect(await widgets.one('beta', 'b1')).toMatchObject({ color: 'red' });
    expect(await widgets.recolor('beta', 'b1', 'green')).toBe(1);
    expect(await widgets.one('beta', 'b1')).toMatchObject({ color: 'green' });
  });

  it("saves and upserts a row that names its org, and locks only the org's rows", async () => {
    expect(await widgets.store(widget('a3', 'acme', 'pink'))).toMatchObject({ id: 'a3', org: 'acme', color: 'pink' });
    expect(await widgets.one('acme', 'a3')).toMatchObject({ color: 'pink' });
    await expect(widgets.store(widget('x', ''))).rejects.toThrow(/without an org/);
    await ds.transaction(async (m) => {
      const inTx = new Widgets(m as unknown as DataSource);
      expect(await inTx.locked('acme', 'a3')).toMatchObject({ id: 'a3' });
      expect(await inTx.locked('acme', 'b1')).toBeNull();
    });
    await widgets.put(widget('a3', 'acme', 'teal'));
    expect(await widgets.one('acme', 'a3')).toMatchObject({ color: 'teal' });
    await expect(widgets.put(widget('y', ''))).rejects.toThrow(/without an org/);
    expect(await widgets.remove('acme', 'a3')).toBe(1);
  });

  it("never writes over another org's row by its key", async () => {
    const before = await widgets.one('beta', 'b1');
    await expect(widgets.store(widget('b1', 'acme', 'black'))).rejects.toThrow(/another org's row/);
    await expect(widgets.putById(widget('b1', 'acme', 'black'))).rejects.toThrow(/includes org/);
    await expect(widgets.put(widget('b1', 'acme', 'black'))).rejects.toThrow(/duplicate key/);
    expect(await widgets.one('beta', 'b1')).toEqual(before);
    expect(await widgets.one('acme', 'b1')).toBeNull();
  });

  it('refuses to be called without an org, and to insert a row that names none', async () => {
    await expect(widgets.one('', 'a1')).rejects.toThrow(/without an org/);
    await expect(widgets.remove(undefined as unknown as string, 'a1')).rejects.toThrow(/without an org/);
    expect(() => widgets.red('')).toThrow(/without an org/);
    await expect(widgets.add(widget('x', ''))).rejects.toThrow(/without an org/);
    expect(await widgets.all('acme')).toHaveLength(2);
  });
});
