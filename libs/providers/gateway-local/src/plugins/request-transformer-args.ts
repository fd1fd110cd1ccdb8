/**
 * Query strings as Kong's request-transformer sees them (ngx.req.get_uri_args) and writes them back
 * (kong.service.request.set_query): an argument without `=` is a flag, repeated names keep every value.
 */

/** A flag (`?debug`) is `true`; `?debug=` is the empty string. */
export type ArgValue = string | true;

/** Arguments by name, each with every value it has, in the order received. */
export type Args = Map<string, ArgValue[]>;

/** ngx.unescape_uri: `+` is a space, each valid `%XX` a byte; a broken escape stays as it is. */
function unescape(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  if (!spaced.includes('%')) return spaced;
  const bytes: Buffer[] = [];
  for (const part of spaced.split(/(%[0-9a-fA-F]{2})/)) {
    if (/^%[0-9a-fA-F]{2}$/.test(part)) bytes.push(Buffer.from([parseInt(part.slice(1), 16)]));
    else if (part) bytes.push(Buffer.from(part, 'utf8'));
  }
  return Buffer.concat(bytes).toString('utf8');
}

/** ngx.decode_args: `&`-separated `name=value` pairs, `+` and percent-escapes decoded. */
export function parseArgs(raw: string): Args {
  const args: Args = new Map();
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = unescape(equals === -1 ? pair : pair.slice(0, equals));
    if (name === '') continue;
    const value: ArgValue = equals === -1 ? true : unescape(pair.slice(equals + 1));
    const values = args.get(name);
    if (values) values.push(value);
    else args.set(name, [value]);
  }
  return args;
}

/** ngx.escape_uri for a query component: everything but letters, digits and `-._~` is escaped. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * kong.service.request.set_query's encoding: names in lexicographical order, each value of a name
 * in its order, a flag as the bare name, spaces as `%20`.
 */
export function encodeArgs(args: Args): string {
  const names = [...args.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: string[] = [];
  for (const name of names)
    for (const value of args.get(name)!) parts.push(value === true ? escape(name) : `${escape(name)}=${escape(value)}`);
  return parts.join('&');
}
