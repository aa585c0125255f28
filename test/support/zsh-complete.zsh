# zsh -f zsh-complete.zsh <script> <line>: what zsh's own completion offers for <line> after
# `source <script>` in an interactive zsh with compinit, one match per line. The inner shell runs
# in a pseudo-terminal (zsh/zpty) and a Tab runs the real completion widget; compadd is wrapped
# to print the matches zsh itself picked (`builtin compadd -O`: after its own prefix filtering),
# and the shell exits when completion ends (comppostfuncs). The technique of
# https://github.com/Valodim/zsh-capture-completion.
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PROMPT=''; RPROMPT=''"
zpty -w z 'autoload -Uz compinit; compinit -u -D'
zpty -w z "source ${(q)1}"
zpty -w z "bindkey '^I' complete-word; comppostfuncs=( exit )"
# The marker is built from pieces, so the shell's echo of this line never matches it.
zpty -w z 'compadd() { local -a __hits; builtin compadd -O __hits "$@"; (( $#__hits )) && print -rl -- "<""hit>"${^__hits}"</""hit>"; builtin compadd "$@" }'
zpty -n -w z "$2"$'\t'
local all= chunk
while zpty -r z chunk; do all+=$chunk; done
print -r -- "${all//$'\r'/}" | grep -ao '<hit>[^<]*</hit>' | sed 's/^<hit>//; s/<\/hit>$//'
