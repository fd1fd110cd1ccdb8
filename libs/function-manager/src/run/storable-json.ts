/** `\u0000` in JSON text, unless its backslash is itself escaped (`\\u0000` is a backslash and "u0000"). */
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * JSON text as PostgreSQL's jsonb can hold it: jsonb has no U+0000, which a function may well
 * print or answer, so it becomes U+FFFD. Applied where a function's reply is read, so the run a
 * blocking caller is answered with is the run that is stored.
 */
export function storableJsonText(json: string): string {
  return json.includes('\\u0000') ? json.replace(ESCAPED_NUL, '$1\\ufffd') : json;
}
