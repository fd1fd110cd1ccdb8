import { Argument, type Command, type Option } from 'commander';
import { OUTPUT_FORMATS } from '../output';

/** One command of the tree: its words, options, and the options that take a value. */
interface Node {
  path: string;
  /** Each child's names (name and aliases), by its name. */
  children: Map<string, string[]>;
  /** The words a command takes: its subcommands' names, or the choices of its first argument. */
  words: string[];
  options: string[];
  /** Options that take a value, with what completes it: a word list, files, or nothing. */
  valued: Map<string, string[] | 'files' | 'none'>;
}

function flagsOf(option: Option): string[] {
  return [option.short, option.long].filter((f): f is string => Boolean(f));
}

function valuesOf(option: Option): string[] | 'files' | 'none' {
  if (option.argChoices) return option.argChoices;
  if (option.long === '--output') return [...OUTPUT_FORMATS];
  return /<(file|dir|path)>/.test(option.flags) ? 'files' : 'none';
}

/** Every command under `program`, walked at run time, so commands any module adds are completed. */
export function commandTree(program: Command): Node[] {
  const nodes: Node[] = [];
  const globals = program.options.filter((o) => !o.hidden);
  const walk = (cmd: Command, path: string) => {
    const own = cmd === program ? [] : cmd.options.filter((o) => !o.hidden);
    const options = [...own, ...globals];
    const valued = new Map<string, string[] | 'files' | 'none'>();
    for (const o of options) if (o.required || o.optional) for (const f of flagsOf(o)) valued.set(f, valuesOf(o));
    const children = new Map(cmd.commands.map((c) => [c.name(), [c.name(), ...c.aliases()]]));
    const words = [...children.values()].flat();
    if (!words.length) words.push(...(cmd.registeredArguments[0]?.argChoices ?? []));
    nodes.push({ path, children, words, options: [...options.flatMap(flagsOf), '-h', '--help'], valued });
    for (const c of cmd.commands) walk(c, path ? `${path} ${c.name()}` : c.name());
  };
  walk(program, '');
  return nodes;
}

/** The shell functions both scripts share: plain `case` tables, so they run in bash 3 and zsh alike. */
function tables(name: string, nodes: Node[]): string {
  const fn = `_${name}`;
  const child = nodes.flatMap((n) =>
    [...n.children].map(([canonical, words]) => `    ${words.map((w) => `"${n.path}|${w}"`).join('|')}) echo "${canonical}" ;;`),
  );
  const subs = nodes.map((n) => `    "${n.path}") echo "${n.words.join(' ')}" ;;`);
  const opts = nodes.map((n) => `    "${n.path}") echo "${n.options.join(' ')}" ;;`);
  const values = nodes.flatMap((n) =>
    [...n.valued].map(([flag, v]) => `    "${n.path}|${flag}") echo "${Array.isArray(v) ? v.join(' ') : `:${v}`}" ;;`),
  );
  const table = (fnName: string, doc: string, cases: string[], key: string) =>
    [`# ${doc}`, `${fnName}() {`, `  case "${key}" in`, ...cases, '  esac', '}'].join('\n');
  return [
    table(`${fn}_child`, 'The command a word names under a command path ($1), by its name or an alias ($2).', child, '$1|$2'),
    table(`${fn}_subs`, 'The words a command path takes: its subcommands, or the choices of its argument.', subs, '$1'),
    table(`${fn}_opts`, 'The options of a command path.', opts, '$1'),
    table(
      `${fn}_values`,
      'What completes the value of an option ($2) of a command path ($1): words, :files, :none; nothing if it takes none.',
      values,
      '$1|$2',
    ),
  ].join('\n\n');
}

/** A bash completion script for the program's current command tree. */
export function bashCompletion(program: Command): string {
  const name = program.name();
  const fn = `_${name}`;
  return `# bash completion for ${name}; install: source <(${name} completion bash)
${tables(name, commandTree(program))}

${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmdpath="" i w child values
  [[ $COMP_CWORD -gt 0 ]] && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ $w == -* ]]; then
      # An option that takes a value: skip the value too.
      [[ -n $(${fn}_values "$cmdpath" "$w") ]] && ((i++))
    else
      child=$(${fn}_child "$cmdpath" "$w")
      [[ -n $child ]] && cmdpath="\${cmdpath:+$cmdpath }$child"
    fi
  done
  values=$(${fn}_values "$cmdpath" "$prev")
  if [[ -n $values ]]; then
    case "$values" in
      :files) COMPREPLY=($(compgen -f -- "$cur")) ;;
      :none) COMPREPLY=() ;;
      *) COMPREPLY=($(compgen -W "$values" -- "$cur")) ;;
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(${fn}_opts "$cmdpath")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(${fn}_subs "$cmdpath")" -- "$cur"))
  fi
  return 0
}
complete -o default -F ${fn} ${name}
`;
}

/** A zsh completion script: sourced, or installed as the file _NAME in a directory of $fpath. */
export function zshCompletion(program: Command): string {
  const name = program.name();
  const fn = `_${name}`;
  return `#compdef ${name}
# zsh completion for ${name}; install: source <(${name} completion zsh), or ${name} completion zsh > "\${fpath[1]}/_${name}"
${tables(name, commandTree(program))}

${fn}() {
  local cmdpath="" i w child values
  local prev=\${words[CURRENT-1]} cur=\${words[CURRENT]}
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    if [[ $w == -* ]]; then
      [[ -n $(${fn}_values "$cmdpath" "$w") ]] && ((i++))
    else
      child=$(${fn}_child "$cmdpath" "$w")
      [[ -n $child ]] && cmdpath="\${cmdpath:+$cmdpath }$child"
    fi
  done
  values=$(${fn}_values "$cmdpath" "$prev")
  if [[ -n $values ]]; then
    case "$values" in
      :files) _files ;;
      :none) ;;
      *) compadd -- \${=values} ;;
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then
    compadd -- \${=$(${fn}_opts "$cmdpath")}
  else
    compadd -- \${=$(${fn}_subs "$cmdpath")}
  fi
}

if [[ \${funcstack[1]} == ${fn} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${name}
fi
`;
}

/** `dispatch completion bash|zsh`: the script, generated from the command tree as it is when it runs. */
export function addCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (bash or zsh)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh']))
    .addHelpText(
      'after',
      '\nInstall:\n' +
        '  bash: source <(dispatch completion bash)     (add it to ~/.bashrc)\n' +
        '  zsh:  source <(dispatch completion zsh)      (in ~/.zshrc, after compinit)\n' +
        '        or: dispatch completion zsh > "${fpath[1]}/_dispatch", then start a new shell',
    )
    .action((shell: 'bash' | 'zsh') => {
      process.stdout.write(shell === 'bash' ? bashCompletion(program) : zshCompletion(program));
    });
}
