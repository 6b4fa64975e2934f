#!/usr/bin/python3
"""Summarises dotnet-trace Speedscope files of `collector once` (written by `bash bench/profile.sh`).

The traces hold EventPipe stack samples of every managed thread (~100 Hz, thread time: a blocked thread is sampled
too). A sample whose innermost managed frame is a wait (monitor, semaphore, socket poll, sleep) counts as waiting;
the others as running. For each trace: the phases of the main thread (start the node, the run, stop), the running
time by component (the innermost frame of our own code or of a library we call), and the frames with the most
inclusive running time.

    trace-summary.py TRACE.speedscope.json [...]
"""
import collections
import json
import re
import sys

WAITS = re.compile(
    r"(Monitor\.(Wait|Enter|ReliableEnter)|WaitHandle\.Wait|LowLevelLifoSemaphore\.Wait|LowLevelMonitor\.Wait|"
    r"ManualResetEventSlim\.Wait|SemaphoreSlim\.Wait|Thread\.Sleep|SpinWait|WaitForSocketEvents|"
    r"Interop\+Sys\.(WaitForSocketEvents|Read|Poll)|PortableThreadPool\+GateThread|WaitSubsystem|"
    r"Task\.(Wait|InternalWait|SpinThenBlockingWait)|ConsoleStream|Interop\+Sys\.Read\b|TimerQueue\.|"
    r"DedicatedThreadPool.*\.Wait|ThreadPoolWorkQueue\.Dispatch$|BlockingCollection|WaitOne)"
)

WAITED = collections.Counter()

COMPONENTS = [
    ("POP3 engine", r"^CollectorCluster\.Pop3"),
    ("delivery (Maildir, fsync)", r"^CollectorCluster\.Delivery"),
    ("collector actors", r"^CollectorCluster\.Actors"),
    ("collector node/hosting/config", r"^CollectorCluster\.(Node|Core|Wire)"),
    ("journal: Akka.Persistence.Sql / linq2db / SQLite", r"^(Akka\.Persistence\.Sql|LinqToDB|Microsoft\.Data\.Sqlite|SQLitePCL)"),
    ("Akka.Persistence (core)", r"^Akka\.Persistence"),
    ("Akka.Hosting / DI / configuration", r"^(Akka\.Hosting|Akka\.Configuration|Hocon|Microsoft\.Extensions)"),
    ("Akka actors / dispatch / serialization", r"^Akka\."),
    ("MailKit / MimeKit", r"^(MailKit|MimeKit)"),
    ("TLS (SslStream)", r"^System\.Net\.Security"),
    ("sockets", r"^System\.Net\.Sockets"),
    ("JSON", r"^System\.Text\.Json"),
]


def component(names):
    """The component of a stack (innermost first): the first frame outside System.*/Microsoft.Win32 that we know."""
    for name in names:
        for label, pattern in COMPONENTS:
            if re.search(pattern, name):
                return label
    for name in names:
        if not name.startswith(("System.", "Microsoft.Win32", "Interop", "UNMANAGED", "CPU_TIME", "?!?", "Thread", "Threads")) and name.strip():
            return "other: " + name.split("(")[0][:60]
    return "runtime / BCL only (JIT, type loading, GC, thread pool)"


def short(name):
    name = re.sub(r"\(.*\)$", "", name)
    return name[-110:]


def summarise(path):
    doc = json.load(open(path))
    # dotnet-trace names frames "module!Namespace.Type.Method(...)": keep the method's full name.
    frames = [f["name"].split("!", 1)[-1] for f in doc["shared"]["frames"]]
    running = collections.Counter()
    waiting = 0.0
    by_component = collections.Counter()
    inclusive = collections.Counter()
    first_seen = {}
    main_phases = collections.Counter()
    end = 0.0
    for prof in doc["profiles"]:
        if prof["type"] == "evented":
            stack = []
            last = prof["startValue"]
            for ev in prof["events"]:
                at = ev["at"]
                if stack and at > last:
                    waiting += account(stack, frames, at - last, running, by_component, inclusive, main_phases, prof["name"], last, first_seen)
                last = at
                if ev["type"] == "O":
                    stack.append(ev["frame"])
                elif stack:
                    stack.pop()
            end = max(end, prof["endValue"])
        else:
            for sample, weight in zip(prof["samples"], prof["weights"]):
                waiting += account(sample, frames, weight, running, by_component, inclusive, main_phases, prof["name"], 0, first_seen)
            end = max(end, prof["endValue"])
    total_run = sum(running.values())
    print(f"== {path}")
    print(f"trace span {end:.0f} ms; sampled thread time: running {total_run:.0f} ms, waiting {waiting:.0f} ms")
    print("first sample in (ms from trace start, a timeline of the run):")
    for key in ("CollectorNode.StartAsync", "Akka.Actor.ActorSystem.Create", "Akka.Persistence", "LinqToDB", "Microsoft.Data.Sqlite",
                "CollectorCluster.Pop3", "CollectorCluster.Delivery", "OnceCommand.RunAsync", "StopAsync", "CoordinatedShutdown"):
        if key in first_seen:
            print(f"  {key:<32} {first_seen[key]:8.0f}")
    print("running time by component (innermost known frame):")
    for label, ms in by_component.most_common(14):
        print(f"  {ms:8.0f} ms {100 * ms / max(total_run, 1):5.1f} %  {label}")
    print("waiting time by the innermost frame of ours or a library's that waits (all threads; idle pool threads excluded):")
    for name, ms in WAITED.most_common(10):
        print(f"  {ms:8.0f} ms  {name}")
    WAITED.clear()
    print("frames with the most inclusive running time (ours and libraries):")
    shown = 0
    for name, ms in inclusive.most_common(400):
        if name.startswith(("System.", "Interop", "UNMANAGED", "CPU_TIME", "Microsoft.Win32", "Thread")) or "Main" in name or " --config " in name or not name.strip():
            continue
        print(f"  {ms:8.0f} ms  {short(name)}")
        shown += 1
        if shown == 25:
            break
    print()


def account(stack, frames, dt, running, by_component, inclusive, main_phases, thread, at, first_seen):
    names = [frames[i] for i in reversed(stack)]  # innermost first
    managed = [n for n in names if not n.startswith(("UNMANAGED_CODE_TIME", "CPU_TIME"))]
    if managed and WAITS.search(managed[0]):
        owner = next((n for n in managed if not n.startswith(("System.", "Interop", "Microsoft.Win32", "Thread")) and n.strip()), None)
        if owner is not None:
            WAITED[short(owner)] += dt
        return dt
    running[thread] += dt
    by_component[component(managed)] += dt
    for n in set(names):
        inclusive[n] += dt
    for key in ("CollectorNode.StartAsync", "Akka.Actor.ActorSystem.Create", "Akka.Persistence", "LinqToDB", "Microsoft.Data.Sqlite",
                "CollectorCluster.Pop3", "CollectorCluster.Delivery", "OnceCommand.RunAsync", "StopAsync", "CoordinatedShutdown"):
        if key not in first_seen and any(key in n for n in names):
            first_seen[key] = at
    return 0.0


if __name__ == "__main__":
    for p in sys.argv[1:]:
        summarise(p)
