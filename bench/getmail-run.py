#!/usr/bin/python3
"""Runs getmail6 (/usr/bin/getmail, Debian's package) with one fix, for bench/peers.sh.

getmail forks a child per delivered message, installs its SIGCHLD handler in the parent only after fork(), and then
waits on a condition without checking whether the child already ended: a child that exits first, or whose signal
arrives before the wait begins (both likely on a busy machine), is never noticed, and getmail waits out its socket
timeout, then fails the account ("waiting child pid N timed out"). This launcher installs the handler before the fork
and waits for the child's status rather than for a notification; nothing else of getmail changes.

    getmail-run.py /usr/bin/getmail [getmail's arguments]
"""
import os
import runpy
import socket
import sys

from getmailcore import baseclasses


def forkchild(self, childfun, with_out=True):
    self.child = child = baseclasses.Namespace()
    child.stdout = baseclasses.TemporaryFile23()
    child.stderr = baseclasses.TemporaryFile23()
    child.childpid = 0  # until fork() returns, the handler's waitpid(0) reaps any child of ours: the only one
    self._prepare_child()  # before fork(): the child's exit can no longer be missed
    child.childpid = os.fork()
    if child.childpid != 0:
        self.log.debug('spawned child %d\n' % child.childpid)
        child.exitcode = self._wait_for_child(child.childpid)
        child.stderr.seek(0)
        child.err = child.stderr.read().strip().decode()
        child.stdout.seek(0)
        if with_out:
            child.out = child.stdout.read().strip()
        return child
    childfun(child.stdout, child.stderr)


def wait_for_child(self, childpid):
    exited = self._ForkingBase__child_exited
    with exited:
        ended = exited.wait_for(lambda: self._ForkingBase__child_status is not None, socket.getdefaulttimeout() or 60)
    if not ended:
        raise baseclasses.getmailOperationError('waiting child pid %d timed out' % childpid)
    pid, status = self._ForkingBase__child_pid, self._ForkingBase__child_status
    if pid != childpid:
        raise baseclasses.getmailOperationError('got child pid %d, not %d' % (pid, childpid))
    if not os.WIFEXITED(status):
        raise baseclasses.getmailOperationError('child pid %d did not exit normally (status %d)' % (pid, status))
    return os.WEXITSTATUS(status)


baseclasses.ForkingBase.forkchild = forkchild
baseclasses.ForkingBase._wait_for_child = wait_for_child
script = sys.argv[1]
sys.argv = [script] + sys.argv[2:]
runpy.run_path(script, run_name="__main__")
