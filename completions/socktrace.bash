# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# bash completion for socktrace.  Works with or without the bash-completion
# package (its helpers are used only when present).

_socktrace_pids() {
	local d
	for d in /proc/[0-9]*; do echo "${d#/proc/}"; done
}

_socktrace_names() {
	cat /proc/[0-9]*/comm 2>/dev/null | sort -u
}

# attach :PORT: the ports something listens on (TCP) or is bound to (UDP)
_socktrace_ports() {
	local f sl addr rem st rest
	for f in /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6; do
		[ -r "$f" ] || continue
		while read -r sl addr rem st rest; do
			[ "$sl" = sl ] && continue
			[ "$st" = 0A ] || { [[ $f == */udp* ]] && [ "$st" = 07 ]; } || continue
			printf ':%d\n' "0x${addr##*:}"
		done <"$f"
	done | sort -u
}

# the word of a comma-separated -e list being typed ($cur), from $cats
_socktrace_calls() {
	local prefix="" last=$cur
	[[ $cur == *,* ]] && prefix=${cur%,*}, last=${cur##*,}
	COMPREPLY=($(compgen -P "$prefix" -W "$cats" -- "$last"))
}

_socktrace() {
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -n =: || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local commands="run attach probes demo serve load report help"
	local backends="blocking select poll epoll io_uring"
	local opts="-e --trace -f --follow --no-follow -Z --failed-only -z --successful-only --min-duration -P --ports -o --output --format --view -t --wall-time -r --relative-time -T --syscall-times -y --decode-fds -w --summary-wall-clock --color -q --quiet
		-k --kernel-stack -s --payload -x --strings-in-hex --mechanism -c --summary -C --with-summary -S --sort --interval --histogram --by --record
		-u --user-stack --stack-order --stack-filter --explain
		--duration --buffer-size -v --verbose -h -? --help --usage -V --version"
	local cats="all socket bind listen accept connect send recv close shutdown sockopt select poll
		epoll io_uring"

	if [ "$cword" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands -h --help -V --version" -- "$cur"))
		return
	fi
	local cmd=${words[1]} i
	# after "run ... --", complete the command and its arguments
	for ((i = 2; i < cword; i++)); do
		if [ "${words[i]}" = -- ]; then
			if declare -F _command_offset >/dev/null; then
				_command_offset $((i + 1))
			else
				COMPREPLY=($(compgen -c -- "$cur"))
			fi
			return
		fi
	done
	case $cmd in
	help)
		COMPREPLY=($(compgen -W "run attach probes demo serve load report" -- "$cur"))
		return ;;
	serve)
		case $prev in
		--port | --bind | --backlog | --accept-delay) return ;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--port --bind --backlog --accept-delay --edge --udp --sqpoll -h --help --usage" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$backends" -- "$cur"))
		fi
		return ;;
	load)
		case $prev in
		--format) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
		--port | --host | --connections | --idle | --size | --requests | --duration | --slow) ;;
		*) COMPREPLY=($(compgen -W "--port --host --connections --idle --size --requests --duration --udp --slow --format -h --help --usage" -- "$cur")) ;;
		esac
		return ;;
	demo)
		case $prev in
		--connections | --idle | --requests | --size | --slow | --bind | --port | --backlog | --accept-delay) return ;;
		-e | --trace | --format | --view | --mechanism | --color | -o | --output | --duration | --buffer-size | -S | --sort | --by | --interval | --stack-order | --stack-filter | -s | --payload) ;;
		*)
			if [[ $cur != -* ]]; then
				COMPREPLY=($(compgen -W "$backends" -- "$cur"))
				return
			fi ;;
		esac
		opts="$opts --trace-client --slow --connections --idle --requests --size --udp --edge --sqpoll --bind --port --backlog --accept-delay --compare"
		;;
	report)
		case $prev in
		-e | --trace) _socktrace_calls ;;
		--format) COMPREPLY=($(compgen -W "text json perfetto" -- "$cur")) ;;
		--view) COMPREPLY=($(compgen -W "list sequence gantt" -- "$cur")) ;;
		--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")) ;;
		-S | --sort) COMPREPLY=($(compgen -W "time calls errors avg p99 max bytes name" -- "$cur")) ;;
		--by) COMPREPLY=($(compgen -W "conn" -- "$cur")) ;;
		*)
			if [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W "-o --output --format --view -t --wall-time -r --relative-time --color -q --quiet -k --kernel-stack -u --user-stack --stack-order --stack-filter -x --strings-in-hex -e --trace -Z --failed-only -z --successful-only --min-duration -P --ports -c --summary -C --with-summary -S --sort --histogram --by --explain -v --verbose -h --help --usage" -- "$cur"))
			elif declare -F _filedir >/dev/null; then
				_filedir
			else
				COMPREPLY=($(compgen -f -- "$cur"))
			fi ;;
		esac
		return ;;
	probes)
		case $prev in
		--format) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
		--mechanism) COMPREPLY=($(compgen -W "auto fentry kprobe tracepoint" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "--format --mechanism -v --verbose -h --help --usage" -- "$cur")) ;;
		esac
		return ;;
	run | attach) ;;
	*) return ;;
	esac
	case $prev in
	-e | --trace) _socktrace_calls; return ;;
	--format) COMPREPLY=($(compgen -W "text json perfetto" -- "$cur")); return ;;
	--view) COMPREPLY=($(compgen -W "list sequence gantt" -- "$cur")); return ;;
	--mechanism) COMPREPLY=($(compgen -W "auto fentry kprobe tracepoint" -- "$cur")); return ;;
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	-o | --output | --record)
		if declare -F _filedir >/dev/null; then _filedir; else COMPREPLY=($(compgen -f -- "$cur")); fi
		return ;;
	--duration) return ;;
	--buffer-size) COMPREPLY=($(compgen -W "64K 1M 16M 64M" -- "$cur")); return ;;
	-S | --sort) COMPREPLY=($(compgen -W "time calls errors avg p99 max bytes name" -- "$cur")); return ;;
	--by) COMPREPLY=($(compgen -W "conn" -- "$cur")); return ;;
	--stack-order) COMPREPLY=($(compgen -W "outer inner" -- "$cur")); return ;;
	--strings-in-hex) COMPREPLY=($(compgen -W "non-ascii-chars non-ascii all" -- "$cur")); return ;;
	--interval) return ;;
	-p | --pid)
		[ "$cmd" = attach ] && COMPREPLY=($(compgen -W "$(_socktrace_pids)" -- "$cur"))
		return ;;
	esac
	[ "$cmd" = attach ] && opts="$opts -p --pid"
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		[ "$cmd" = run ] && COMPREPLY+=($(compgen -W "--" -- "$cur"))
	elif [ "$cmd" = attach ]; then
		# a shell that breaks words at ':' gave ":" as a word of its own
		[ "$prev" = : ] && cur=:$cur
		if [[ $cur == :* ]]; then
			COMPREPLY=($(compgen -W "$(_socktrace_ports)" -- "$cur"))
			# readline replaces only what follows the ':'
			[[ $COMP_WORDBREAKS == *:* ]] && COMPREPLY=("${COMPREPLY[@]#:}")
		else
			COMPREPLY=($(compgen -W "$(_socktrace_pids) $(_socktrace_names)" -- "$cur"))
		fi
	elif [ "$cmd" = run ]; then
		COMPREPLY=($(compgen -c -- "$cur"))
	fi
}
complete -F _socktrace socktrace
