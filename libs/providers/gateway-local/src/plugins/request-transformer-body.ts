import { type Args, encodeArgs, parseArgs } from './request-transformer-args';
import { type TransformOps, splitEntry } from './request-transformer-ops';

/** Kong's get_content_type: which body format a Content-Type names, by substring as Kong looks. */
export function bodyKind(contentType: string | undefined): 'json' | 'multipart' | 'form' | undefined {
  const lower = contentType?.toLowerCase();
  if (lower === undefined) return undefined;
  if (lower.includes('application/json')) return 'json';
  if (lower.includes('multipart/form-data')) return 'multipart';
  if (lower.includes('application/x-www-form-urlencoded')) return 'form';
  return undefined;
}

/** Whether any body list is set: Kong reads no body otherwise. */
export function transformsBody(ops: TransformOps): boolean {
  return (['remove', 'rename', 'replace', 'add', 'append'] as const).some((op) => ops[op].body.length > 0);
}

/** Lua's truth: a JSON false is the one present value Kong's `if parameters[name]` skips (null is userdata, true). */
function present(value: unknown): boolean {
  return value !== undefined && value !== false;
}

/**
 * Kong's transform_json_body: the top-level fields of a JSON object. remove, rename and replace need
 * a body; add and append make one from nothing. Returns the new body, or undefined to leave it (no
 * change asked, or a body that is not a JSON object, which Kong cannot change either).
 */
export function transformJsonBody(ops: TransformOps, raw: Buffer): string | undefined {
  let fields: Record<string, unknown> = {};
  if (raw.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    fields = parsed as Record<string, unknown>;
  }
  let changed = false;
  if (raw.length > 0) {
    for (const entry of ops.remove.body) {
      delete fields[splitEntry(entry).name];
      changed = true;
    }
    for (const entry of ops.rename.body) {
      const { name, value: newName } = splitEntry(entry);
      // As Kong's table assignment: renaming a field the body lacks drops one of the new name.
      const value = fields[name];
      if (value === undefined) delete fields[newName];
      else fields[newName] = value;
      delete fields[name];
      changed = true;
    }
    for (const entry of ops.replace.body) {
      const { name, value } = splitEntry(entry);
      if (!present(fields[name])) continue;
      fields[name] = value;
      changed = true;
    }
  }
  for (const entry of ops.add.body) {
    const { name, value } = splitEntry(entry);
    if (present(fields[name])) continue;
    fields[name] = value;
    changed = true;
  }
  for (const entry of ops.append.body) {
    const { name, value } = splitEntry(entry);
    const old = fields[name];
    fields[name] = typeof old === 'string' ? [old, value] : Array.isArray(old) ? [...(old as unknown[]), value] : [value];
    changed = true;
  }
  return changed ? JSON.stringify(fields) : undefined;
}

/** Kong's transform_url_encoded_body: the same operations over the form's fields. */
export function transformFormBody(ops: TransformOps, raw: Buffer): string | undefined {
  const fields: Args = parseArgs(raw.toString('utf8'));
  let changed = false;
  if (raw.length > 0) {
    for (const entry of ops.remove.body) {
      fields.delete(splitEntry(entry).name);
      changed = true;
    }
    for (const entry of ops.rename.body) {
      const { name, value: newName } = splitEntry(entry);
      const values = fields.get(name);
      if (values) fields.set(newName, values);
      else fields.delete(newName);
      fields.delete(name);
      changed = true;
    }
    for (const entry of ops.replace.body) {
      const { name, value } = splitEntry(entry);
      if (!fields.has(name)) continue;
      fields.set(name, [value]);
      changed = true;
    }
  }
  for (const entry of ops.add.body) {
    const { name, value } = splitEntry(entry);
    if (fields.has(name)) continue;
    fields.set(name, [value]);
    changed = true;
  }
  for (const entry of ops.append.body) {
    const { name, value } = splitEntry(entry);
    const values = fields.get(name);
    // Kong's append_value keeps a string or a list, and starts over from a flag (`?debug`).
    fields.set(name, values && !(values.length === 1 && values[0] === true) ? [...values, value] : [value]);
    changed = true;
  }
  return changed ? encodeArgs(fields) : undefined;
}
