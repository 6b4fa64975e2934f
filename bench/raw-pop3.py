#!/usr/bin/python3
"""The raw sequential POP3 client of bench/peers.sh: the floor any collector can be compared with.

One account after another, one connection each: USER/PASS, UIDL, RETR of every UIDL not in the state file (one
command at a time, no pipelining), each message written to a Maildir (tmp/, optionally fsync'd, renamed into new/),
the state file rewritten (and fsync'd with --fsync) after the account, DELE with --delete, QUIT. No parsing of the
message, no MIME, no config language, no journal: it does the least a client can do and still be correct.

    raw-pop3.py --accounts FILE --state DIR --maildir DIR [--fsync] [--delete]

FILE: one account a line, "host port user password". Prints "N message(s)" at the end; exit 1 on any error.
"""
import os
import socket
import sys


def main(argv):
    args = {"--fsync": False, "--delete": False}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--fsync", "--delete"):
            args[a] = True
        elif a in ("--accounts", "--state", "--maildir"):
            i += 1
            args[a] = argv[i]
        else:
            raise SystemExit(f"raw-pop3: unknown option {a}")
        i += 1
    maildir, state, durable = args["--maildir"], args["--state"], args["--fsync"]
    os.makedirs(state, exist_ok=True)
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    total = 0
    with open(args["--accounts"]) as f:
        accounts = [line.split() for line in f if line.strip()]
    for n, (host, port, user, password) in enumerate(accounts):
        total += collect(host, int(port), user, password, os.path.join(state, f"uidls-{n}"), maildir, durable, args["--delete"])
    if durable:
        fd = os.open(os.path.join(maildir, "new"), os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    print(f"{total} message(s)")


class Conn:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            self.fill()
        head, _, self.buf = self.buf.partition(b"\r\n")
        return head

    def fill(self):
        chunk = self.sock.recv(262144)
        if not chunk:
            raise IOError("connection closed")
        self.buf += chunk

    def command(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        reply = self.line()
        if not reply.startswith(b"+OK"):
            raise IOError(f"{text.split()[0]}: {reply!r}")
        return reply

    def multiline(self):
        """The body of a multi-line reply, dot-unstuffed, with CRLF line ends."""
        if self.buf.startswith(b".\r\n"):
            self.buf = self.buf[3:]
            return b""
        while True:
            end = self.buf.find(b"\r\n.\r\n")
            if end >= 0:
                body, self.buf = self.buf[:end + 2], self.buf[end + 5:]
                break
            self.fill()
        body = body.replace(b"\r\n..", b"\r\n.")
        return body[1:] if body.startswith(b"..") else body


def collect(host, port, user, password, uidl_file, maildir, durable, delete):
    seen = set()
    if os.path.exists(uidl_file):
        with open(uidl_file) as f:
            seen = set(f.read().split())
    c = Conn(host, port)
    if not c.line().startswith(b"+OK"):
        raise IOError("greeting")
    c.command(f"USER {user}")
    c.command(f"PASS {password}")
    c.command("UIDL")
    listing = [l.split() for l in c.multiline().decode().splitlines()]
    now = []
    got = 0
    for number, uidl in listing:
        now.append(uidl)
        if uidl in seen:
            if delete:
                c.command(f"DELE {number}")
            continue
        c.command(f"RETR {number}")
        body = c.multiline()
        name = f"{os.getpid()}.{user}.{number}.{len(seen) + got}"
        tmp = os.path.join(maildir, "tmp", name)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, body)
        if durable:
            os.fsync(fd)
        os.close(fd)
        os.rename(tmp, os.path.join(maildir, "new", name))
        got += 1
        if delete:
            # Only after the file is durable (above) and, at the end of the session, recorded in the state file.
            c.command(f"DELE {number}")
    if durable and got:
        fd = os.open(os.path.join(maildir, "new"), os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    with open(uidl_file + ".tmp", "w") as f:
        f.write("\n".join(now))
        if durable:
            f.flush()
            os.fsync(f.fileno())
    os.rename(uidl_file + ".tmp", uidl_file)
    c.command("QUIT")
    c.sock.close()
    return got


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (IOError, OSError, ValueError) as e:
        print(f"raw-pop3: {e}", file=sys.stderr)
        sys.exit(1)
