#!/usr/bin/python3
"""Runs getmail6 (/usr/bin/getmail, Debian's package) with one fix, for bench/peers.sh.

getmail forks a child per delivered message and installs its SIGCHLD handler in the parent only after fork():
a child that exits first (likely on a busy machine) is never noticed, and getmail waits out its socket timeout,
then fails the account ("waiting child pid N timed out"). This launcher installs the handler before the fork;
nothing else of getmail changes.

    getmail-run.py /usr/bin/getmail [getmail's arguments]
"""
import os
import runpy
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


baseclasses.ForkingBase.forkchild = forkchild
script = sys.argv[1]
sys.argv = [script] + sys.argv[2:]
runpy.run_path(script, run_name="__main__")
