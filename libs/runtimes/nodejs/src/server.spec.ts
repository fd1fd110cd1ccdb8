import { parseEnvelope } from './server';

describe('parseEnvelope', () => {
  const parse = (text: string) => parseEnvelope(Buffer.from(text));

  it('reads context and payload, defaulting a missing one', () => {
    expect(parse('{"context":{"secrets":{"a":"b"}},"payload":[1]}')).toEqual({ context: { secrets: { a: 'b' } }, payload: [1] });
    expect(parse('{}')).toEqual({ context: {}, payload: null });
  });

  it.each([
    ['{nope', /^the body is not JSON/],
    ['[]', /must be a JSON object/],
    ['null', /must be a JSON object/],
    ['{"context":[]}', /context must be a JSON object/],
    ['{"context":null}', /context must be a JSON object/],
  ])('says what is wrong with %s', (text, message) => {
    expect(parse(text)).toMatch(message);
  });
});
