# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# fish completion for socktrace.

set -l cmds run attach probes help
complete -c socktrace -f
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a run -d 'launch a command and trace it'
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a attach -d 'trace running processes'
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a help -d 'show the options of a command'
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a probes -d 'what this kernel offers each hook'
complete -c socktrace -n "__fish_seen_subcommand_from help" -a 'run attach probes'
complete -c socktrace -n "__fish_seen_subcommand_from probes" -l format -x -a 'text json' -d 'output format'
complete -c socktrace -n "__fish_seen_subcommand_from probes" -l mechanism -x -a 'auto fentry kprobe tracepoint' -d 'check a forced mechanism'
complete -c socktrace -s h -l help -d 'show help'
complete -c socktrace -s '?' -d 'show help'
complete -c socktrace -l usage -d 'show a short usage message'
complete -c socktrace -s V -l version -d 'show the version'

set -l tr "__fish_seen_subcommand_from run attach"
complete -c socktrace -n $tr -s e -l trace -x -a 'all socket bind listen accept connect send recv close shutdown sockopt select poll epoll io_uring' -d 'calls to trace'
complete -c socktrace -n $tr -l no-follow -d 'do not trace child processes'
complete -c socktrace -n $tr -s o -l output -r -F -d 'write the trace to FILE'
complete -c socktrace -n $tr -l format -x -a 'text json' -d 'output format'
complete -c socktrace -n $tr -l view -x -a 'list' -d 'view'
complete -c socktrace -n $tr -s t -l wall-time -d 'show wall-clock time'
complete -c socktrace -n $tr -l color -x -a 'auto always never' -d 'colour'
complete -c socktrace -n $tr -s q -l quiet -d 'print only the trace'
complete -c socktrace -n $tr -s k -l kernel-stack -d 'kernel stack of every hook hit'
complete -c socktrace -n $tr -l mechanism -x -a 'auto fentry kprobe tracepoint' -d 'how the kernel path is hooked'
complete -c socktrace -n $tr -l duration -x -d 'stop after S seconds'
complete -c socktrace -n $tr -l buffer-size -x -a '64K 1M 16M 64M' -d 'ring buffer size'
complete -c socktrace -n $tr -s v -l verbose -d 'say more'
complete -c socktrace -n "__fish_seen_subcommand_from attach" -x -a '(__fish_complete_pids)'
complete -c socktrace -n "__fish_seen_subcommand_from run" -x -a '(__fish_complete_subcommand --fcs-skip=2)'
