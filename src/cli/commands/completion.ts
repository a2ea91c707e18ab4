// `photon completion bash`: shell completion generated from the command tree itself.
import type { Command } from "commander";

function tree(cmd: Command, prefix: string[] = []): Array<{ path: string[]; words: string[] }> {
  const subs = cmd.commands.filter((c) => c.name() !== "help");
  const words = [
    ...subs.map((c) => c.name()),
    ...cmd.options.map((o) => o.long).filter((x): x is string => !!x),
  ];
  return [{ path: prefix, words }, ...subs.flatMap((c) => tree(c, [...prefix, c.name()]))];
}

export function registerCompletion(program: Command): void {
  program
    .command("completion <shell>")
    .description("print a shell completion script (bash); e.g. `source <(photon completion bash)`")
    .action((shell: string) => {
      if (shell !== "bash") throw new Error(`only bash is supported; got "${shell}"`);
      const cases = tree(program)
        .map(({ path, words }) => `    "${path.join(" ")}") words="${words.join(" ")}" ;;`)
        .join("\n");
      process.stdout.write(`# photon bash completion
_photon() {
  local cur path i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac
  done
  local words=""
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _photon photon
`);
    });
}
