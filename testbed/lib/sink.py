#!/usr/bin/env python3
"""sink.py ADDR PORT MARKER: a name server that never answers.

Binds UDP and TCP on ADDR:PORT, reads every query and drops it; TCP
connections are accepted and held open, silently. MARKER is any path inside
the testbed directory (it lets testbed/down recognise the process).
Stopped by testbed/down (SIGTERM)."""
import selectors, signal, socket, sys


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    sel = selectors.DefaultSelector()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, port))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, port))
    t.listen(64)
    sel.register(u, selectors.EVENT_READ, "udp")
    sel.register(t, selectors.EVENT_READ, "listen")
    held = []
    while True:
        for key, _ in sel.select():
            if key.data == "udp":
                u.recvfrom(65535)
            elif key.data == "listen":
                c, _ = t.accept()
                held.append(c)
                sel.register(c, selectors.EVENT_READ, "tcp")
                if len(held) > 200:  # bound what we keep
                    old = held.pop(0)
                    sel.unregister(old)
                    old.close()
            else:
                c = key.fileobj
                if not c.recv(65535):
                    sel.unregister(c)
                    held.remove(c)
                    c.close()


if __name__ == "__main__":
    main()
