import { DispatchError } from '@dispatch/platform';
import { exportFormat } from './export-format';

describe('exportFormat', () => {
  it('answers JSON by default, and to Accept of JSON or anything', () => {
    expect(exportFormat(undefined, undefined)).toBe('json');
    expect(exportFormat(undefined, '*/*')).toBe('json');
    expect(exportFormat(undefined, 'application/json')).toBe('json');
    expect(exportFormat(undefined, 'text/html')).toBe('json');
  });

  it('answers YAML to an Accept that prefers it, by q value or by order', () => {
    expect(exportFormat(undefined, 'application/yaml')).toBe('yaml');
    expect(exportFormat(undefined, 'application/x-yaml, */*;q=0.1')).toBe('yaml');
    expect(exportFormat(undefined, 'application/json;q=0.5, application/yaml')).toBe('yaml');
    expect(exportFormat(undefined, 'application/yaml;q=0.5, application/json')).toBe('json');
    expect(exportFormat(undefined, 'application/yaml;q=0, application/json;q=0.1')).toBe('json');
  });

  it('takes ?format over Accept, and refuses a format it does not write', () => {
    expect(exportFormat('yaml', 'application/json')).toBe('yaml');
    expect(exportFormat('json', 'application/yaml')).toBe('json');
    for (const bad of ['xml', '', ['yaml', 'json']]) {
      expect(() => exportFormat(bad, undefined)).toThrow(DispatchError);
      expect(() => exportFormat(bad, undefined)).toThrow(/format: one of json, yaml/);
    }
  });
});
