# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# fish completion for socktrace.

set -l cmds run attach probes demo serve load report help
complete -c socktrace -f
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a run -d 'launch a command and trace it'
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a attach -d 'trace running processes'
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a help -d 'show the options of a command'
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a probes -d 'what this kernel offers each hook'
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a demo -d 'an echo server and a client, traced'
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a serve -d 'a demo echo server'
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a load -d 'a load client'
complete -c socktrace -n "not __fish_seen_subcommand_from $cmds" -a report -d 'render a recording again'
complete -c socktrace -n "__fish_seen_subcommand_from help" -a 'run attach probes demo serve load report'
complete -c socktrace -n "__fish_seen_subcommand_from probes" -l format -x -a 'text json' -d 'output format'
complete -c socktrace -n "__fish_seen_subcommand_from probes" -l mechanism -x -a 'auto fentry kprobe tracepoint' -d 'check a forced mechanism'
complete -c socktrace -s h -l help -d 'show help'
complete -c socktrace -s '?' -d 'show help'
complete -c socktrace -l usage -d 'show a short usage message'
complete -c socktrace -s V -l version -d 'show the version'

set -l tr "__fish_seen_subcommand_from run attach demo report"
complete -c socktrace -n $tr -s e -l trace -x -a 'all socket bind listen accept connect send recv close shutdown sockopt select poll epoll io_uring' -d 'calls to trace'
complete -c socktrace -n "__fish_seen_subcommand_from run attach demo" -s f -l follow -d 'trace child processes too (the default); -ff -o: a file per thread'
complete -c socktrace -n $tr -l no-follow -d 'do not trace child processes'
complete -c socktrace -n $tr -s Z -l failed-only -d 'only calls that failed'
complete -c socktrace -n $tr -s z -l successful-only -d 'only calls that succeeded'
complete -c socktrace -n $tr -l min-duration -x -d 'only calls that took at least TIME'
complete -c socktrace -n $tr -s P -l ports -x -d 'only calls on sockets with one of these ports'
complete -c socktrace -n $tr -s o -l output -r -F -d 'write the trace to FILE'
complete -c socktrace -n $tr -l format -x -a 'text json perfetto' -d 'output format'
complete -c socktrace -n $tr -l view -x -a 'list sequence gantt' -d 'view'
complete -c socktrace -n $tr -s t -l wall-time -d 'show wall-clock time'
complete -c socktrace -n $tr -s r -l relative-time -d 'show the time since the previous line'
complete -c socktrace -n $tr -s T -l syscall-times -d 'as strace -T: durations are always shown'
complete -c socktrace -n $tr -s y -l decode-fds -d 'as strace -y: socket ends are always shown'
complete -c socktrace -n $tr -s w -l summary-wall-clock -d 'as strace -w: -c times are always wall-clock'
complete -c socktrace -n $tr -l color -x -a 'auto always never' -d 'colour'
complete -c socktrace -n $tr -s q -l quiet -d 'print only the trace'
complete -c socktrace -n $tr -s k -l kernel-stack -d 'kernel stack of every hook hit'
complete -c socktrace -n $tr -s c -l summary -d 'a table per call, counted in the kernel'
complete -c socktrace -n $tr -s C -l with-summary -d 'the timeline, then the table at its end'
complete -c socktrace -n "__fish_seen_subcommand_from run attach demo" -s s -l payload -x -d 'keep the first N payload bytes of each call'
complete -c socktrace -n $tr -s x -d 'payload bytes in hex, as strace -x (-xx: all)'
complete -c socktrace -n $tr -l strings-in-hex -x -a 'non-ascii-chars non-ascii all' -d 'payload bytes in hex'
complete -c socktrace -n $tr -s u -l user-stack -d 'the user call stack of each call'
complete -c socktrace -n $tr -l stack-filter -x -d 'only calls whose user stack holds FUNC'
complete -c socktrace -n $tr -l stack-order -x -a 'outer inner' -d 'user stack order'
complete -c socktrace -n $tr -s S -l sort -x -a 'time calls errors avg p99 max bytes name' -d 'summary order'
complete -c socktrace -n $tr -l interval -x -d 'print the summary every S seconds'
complete -c socktrace -n $tr -l histogram -d 'log2 latency histograms per call'
complete -c socktrace -n $tr -l by -x -a 'conn' -d 'one row per connection'
complete -c socktrace -n $tr -l mechanism -x -a 'auto fentry kprobe tracepoint' -d 'how the kernel path is hooked'
complete -c socktrace -n $tr -l duration -x -d 'stop after S seconds'
complete -c socktrace -n $tr -l buffer-size -x -a '64K 1M 16M 64M' -d 'ring buffer size'
complete -c socktrace -n $tr -s v -l verbose -d 'say more'
# attach :PORT: the ports something listens on (TCP) or is bound to (UDP)
function __socktrace_ports
    for f in /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6
        test -r $f; or continue
        tail -n +2 $f | while read -l sl addr rem st rest
            if test "$st" = 0A; or begin
                    string match -q '*udp*' $f; and test "$st" = 07
                end
                printf ':%d\tport\n' 0x(string split -r -m1 : $addr)[2]
            end
        end
    end | sort -u
end
complete -c socktrace -n "__fish_seen_subcommand_from attach" -x -a '(__fish_complete_pids) (__socktrace_ports)'
complete -c socktrace -n "__fish_seen_subcommand_from attach" -s p -l pid -x -a '(__fish_complete_pids)' -d 'processes to trace, by pid'
complete -c socktrace -n "__fish_seen_subcommand_from run" -x -a '(__fish_complete_subcommand --fcs-skip=2)'

set -l demo "__fish_seen_subcommand_from demo"
complete -c socktrace -n $demo -a 'blocking select poll epoll io_uring' -d 'backend'
complete -c socktrace -n $demo -l trace-client -d 'trace the client too'
complete -c socktrace -n $tr -l explain -d 'a sentence under each new kind of call'
complete -c socktrace -n $demo -l compare -d 'every backend under the same load'
complete -c socktrace -n "__fish_seen_subcommand_from load demo" -l slow -x -d 'pause MS ms between client steps'
complete -c socktrace -n "__fish_seen_subcommand_from serve load demo" -l udp -d 'UDP datagrams'
complete -c socktrace -n "__fish_seen_subcommand_from serve demo" -l bind -x -d 'server address'
complete -c socktrace -n "__fish_seen_subcommand_from serve demo" -l edge -d 'epoll: edge-triggered'
complete -c socktrace -n "__fish_seen_subcommand_from serve demo" -l sqpoll -d 'io_uring: SQPOLL'
complete -c socktrace -n "__fish_seen_subcommand_from load demo" -l connections -x -d 'connections'
complete -c socktrace -n "__fish_seen_subcommand_from load demo" -l idle -x -d 'silent connections opened first'
complete -c socktrace -n "__fish_seen_subcommand_from load demo" -l requests -x -d 'round trips per connection'
complete -c socktrace -n "__fish_seen_subcommand_from load demo" -l size -x -d 'bytes per message'
complete -c socktrace -n "__fish_seen_subcommand_from serve" -a 'blocking select poll epoll io_uring' -d 'backend'
complete -c socktrace -n "__fish_seen_subcommand_from serve load demo" -l port -x -d 'port'
complete -c socktrace -n "__fish_seen_subcommand_from serve demo" -l backlog -x -d 'listen backlog'
complete -c socktrace -n "__fish_seen_subcommand_from serve demo" -l accept-delay -x -d 'wait MS ms before accepting'
complete -c socktrace -n "__fish_seen_subcommand_from load" -l host -x -d 'the server address'
complete -c socktrace -n "__fish_seen_subcommand_from load" -l duration -x -d 'seconds'
complete -c socktrace -n "__fish_seen_subcommand_from load" -l format -x -a 'text json' -d 'output format'
complete -c socktrace -n "__fish_seen_subcommand_from run attach demo" -l record -r -F -d 'write a recording for report'
complete -c socktrace -n "__fish_seen_subcommand_from report" -F -d 'recording'
