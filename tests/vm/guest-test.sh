# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs inside the VM (busybox sh, as root): the peer pair traced under each
# forced mechanism, and the probes report, each between markers the host
# side (tests/40-vm.bats) cuts out and checks.
set -u
echo "VM-PROBES-BEGIN"
socktrace probes --format json
echo "VM-PROBES-END rc=$?"
for mech in fentry kprobe; do
	echo "VM-TRACE-BEGIN $mech"
	socktrace run --mechanism $mech --format json -q -- peerpair tcp4
	echo "VM-TRACE-END $mech rc=$?"
done
# the fallback where neither exists: tracepoints and cgroup hooks (no cgroup2 mounted here)
echo "VM-TRACE-BEGIN tracepoint"
socktrace run --mechanism tracepoint --format json -q -- peerpair udp
echo "VM-TRACE-END tracepoint rc=$?"
# -Z and --min-duration on 6.1's verifier: only the refused connect
echo "VM-TRACE-BEGIN failed"
socktrace run -Z --min-duration 1us --format json -q -- peerpair refused
echo "VM-TRACE-END failed rc=$?"
echo "VM-TRACE-BEGIN successful"
socktrace run -z --format json -q -- peerpair refused
echo "VM-TRACE-END successful rc=$?"
# the RSTs a close sends, under fentry: 6.1's tcp_send_reset has no reason argument
echo "VM-TRACE-BEGIN reset"
socktrace run --format json -q -e close,send -- peerpair reset
echo "VM-TRACE-END reset rc=$?"
echo "VM-TRACE-BEGIN ports"
socktrace run -P 1,2,3,4,5,6,7,100-1000 --format json -q -- peerpair tcp4
echo "VM-TRACE-END ports rc=$?"
echo "VM-TRACE-BEGIN kstack"
socktrace run -k --format json -q -e sendto -- peerpair tcp4
echo "VM-TRACE-END kstack rc=$?"
# io_uring on a 6.1 kernel: the older tracepoint shapes, and request paths from fentry
echo "VM-TRACE-BEGIN uring"
socktrace run --format json -q -e io_uring -- uring_peer -o /tmp/cqes.jsonl scenario
echo "VM-TRACE-END uring rc=$?"
echo "VM-TRACE-BEGIN uring-cqes"
cat /tmp/cqes.jsonl
echo "VM-TRACE-END uring-cqes rc=$?"
# a zero-copy send's notification, posted by its own request, in 6.1's shape
echo "VM-TRACE-BEGIN zc"
socktrace run -s 8 --format json -q -e io_uring -- uring_peer -o /tmp/zc.jsonl client
echo "VM-TRACE-END zc rc=$?"
echo "VM-TRACE-BEGIN zc-cqes"
cat /tmp/zc.jsonl
echo "VM-TRACE-END zc-cqes rc=$?"
# attached to a running io_uring server: its multishot ACCEPT, armed before,
# taken up where a connection wakes it (6.1 names its task in the request)
echo "VM-TRACE-BEGIN uring-attach"
socktrace serve io_uring --port 9100 >/tmp/serve.out 2>&1 &
srv=$!
for i in $(seq 300); do grep -q 'Ctrl-C' /tmp/serve.out && break; sleep 0.1; done
socktrace attach --duration 5 --format json -q -e io_uring -o /tmp/ua.jsonl $srv &
att=$!
for i in $(seq 300); do grep -q '"type":"start"' /tmp/ua.jsonl 2>/dev/null && break; sleep 0.1; done
socktrace load --port 9100 --connections 2 --requests 2 >/dev/null 2>&1
wait $att
rc=$?
cat /tmp/ua.jsonl
kill $srv
echo "VM-TRACE-END uring-attach rc=$rc"
# --by conn loads its counting into sys_exit and the completions on 6.1 too
echo "VM-TRACE-BEGIN byconn"
socktrace run --by conn --format json -q -- uring_peer -o /tmp/cqes2.jsonl scenario
echo "VM-TRACE-END byconn rc=$?"
# and the close it counts for rows only, where -e leaves close out
echo "VM-TRACE-BEGIN byconn-e"
socktrace run --by conn -e send,recv --format json -q -- uring_peer -o /tmp/cqes3.jsonl scenario
echo "VM-TRACE-END byconn-e rc=$?"
# sendfile and splice on 6.1, where they send by sendpage, not sock_sendmsg
echo "VM-TRACE-BEGIN splice"
socktrace run --mechanism fentry --format json -q -e sendfile,splice -- peerpair splice
echo "VM-TRACE-END splice rc=$?"
