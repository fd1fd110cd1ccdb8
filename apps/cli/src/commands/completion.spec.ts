import { execFileSync, spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { buildProgram } from '../main';
import { bashCompletion, commandTree, zshCompletion } from './completion';

const hasZsh = spawnSync('sh', ['-c', 'command -v zsh']).status === 0;

/** What bash completes for a command line, the cursor after its last word ('' for a new word). */
function bashComplete(script: string, words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', [
    '-c',
    `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _dispatch; echo "\${COMPREPLY[*]}"`,
  ]);
  return out.toString().trim().split(/\s+/).filter(Boolean);
}

describe('dispatch completion', () => {
  const program = buildProgram();
  const bash = bashCompletion(program);
  const zsh = zshCompletion(program);

  it('walks the whole command tree, aliases and options included', () => {
    const nodes = new Map(commandTree(program).map((n) => [n.path, n]));
    expect([...(nodes.get('')?.children.keys() ?? [])]).toEqual(expect.arrayContaining(['get', 'create', 'iam', 'completion']));
    expect(nodes.get('get')?.children.get('policy')).toEqual(expect.arrayContaining(['policy', 'rolebinding']));
    expect(nodes.get('get function')?.options).toEqual(expect.arrayContaining(['-w', '--watch', '-o', '--output', '--context']));
    // Hidden options stay out.
    expect(nodes.get('get function')?.options).not.toContain('--watch-count');
    expect(nodes.get('iam get policy')?.options).toEqual(expect.arrayContaining(['-w', '--wide', '--watch']));
  });

  it('completes commands a module adds later, since the tree is read when the script is made', () => {
    const custom = new Command('dispatch');
    custom.command('get').command('gizmo').option('--shiny');
    expect(bashComplete(bashCompletion(custom), ['dispatch', 'get', 'gi'])).toEqual(['gizmo']);
    expect(bashComplete(bashCompletion(custom), ['dispatch', 'get', 'gizmo', '--sh'])).toEqual(['--shiny']);
  });

  it('makes a bash script that completes verbs, nouns, aliases, flags and their values', () => {
    expect(bash).toContain('complete -o default -F _dispatch dispatch');
    execFileSync('bash', ['-n'], { input: bash });
    expect(bashComplete(bash, ['dispatch', 'ge'])).toEqual(['get']);
    expect(bashComplete(bash, ['dispatch', 'get', 'serv'])).toEqual(['serviceaccount', 'serviceaccounts']);
    expect(bashComplete(bash, ['dispatch', 'iam', 'create', 'pol'])).toEqual(['policy', 'policies', 'policybinding', 'policybindings']);
    expect(bashComplete(bash, ['dispatch', 'get', 'audit', '--res'])).toEqual(['--resource', '--result']);
    expect(bashComplete(bash, ['dispatch', 'get', 'secret', '-o', ''])).toEqual(['table', 'json', 'yaml', 'name']);
    expect(bashComplete(bash, ['dispatch', 'completion', ''])).toEqual(['bash', 'zsh']);
    // Options and their values before the noun do not lose the place.
    expect(bashComplete(bash, ['dispatch', '--context', 'x', 'get', 'iss'])).toEqual(['issuer', 'issuers']);
    expect(bashComplete(bash, ['dispatch', 'get', 'functions', '--interval', '3', '--wat'])).toEqual(['--watch']);
  });

  it('makes a zsh script for compdef or $fpath', () => {
    expect(zsh.startsWith('#compdef dispatch\n')).toBe(true);
    expect(zsh).toContain('compdef _dispatch dispatch');
    expect(zsh).toMatch(/"get\|policy"\|.*"get\|rolebinding".*\) echo "policy" ;;/);
    expect(zsh).toContain(
      '"get audit") echo "--subject --resource --action --result --request-id --since --until --org --anonymous --limit',
    );
  });

  (hasZsh ? it : it.skip)('zsh reads it and completes with it (when zsh is installed)', () => {
    const stubbed = [
      'compdef() { :; }',
      zsh,
      'compadd() { [[ $1 == -- ]] && shift; print -r -- "$*"; }',
      'words=(dispatch get po); CURRENT=3; _dispatch',
      'words=(dispatch get usage -o ""); CURRENT=5; _dispatch',
    ].join('\n');
    const out = execFileSync('zsh', ['-c', stubbed]).toString().split('\n');
    expect(out[0].split(' ')).toEqual(expect.arrayContaining(['policy', 'policies', 'role', 'usage']));
    expect(out[1]).toBe('table json yaml name');
  });
});
