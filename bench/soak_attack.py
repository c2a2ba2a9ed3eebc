#!/usr/bin/env python3
"""bench/soak_attack.py — the soak's attacker and its witness (bench/soak.sh).

From ATTACK_IP: keeps HOLD connections open that never send a byte (each one
reopened when the server closes it) and one client trickling a header byte
every TRICKLE seconds. From PROBE_IP: one request every 0.5 s on a new
connection, each of which must be answered. Prints one line:
PROBE answered N of M, held at most H, attacker reconnects R
"""
import os, socket, sys, time, selectors

port = int(sys.argv[1]); duration = float(sys.argv[2]); token = sys.argv[3]
attack_ip = os.environ.get("ATTACK_IP", "127.0.0.2")
probe_ip = os.environ.get("PROBE_IP", "127.0.0.3")
hold = int(os.environ.get("HOLD", "1000"))
trickle = float(os.environ.get("TRICKLE", "2"))

sel = selectors.DefaultSelector()
held = set()
reconnects = 0
pending = []  # when to reopen connections the server closed
max_held = 0

def open_one():
    s = socket.socket(); s.setblocking(False); s.bind((attack_ip, 0))
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    sel.register(s, selectors.EVENT_READ); held.add(s)

for _ in range(hold):
    open_one()
slow = socket.create_connection(("127.0.0.1", port), source_address=(attack_ip, 0))
slow.sendall(b"GET /api/v3/about HTTP/1.1\r\n")
last_trickle = time.time()

answered = asked = 0
next_probe = time.time()
end = time.time() + duration
while time.time() < end:
    for key, _ in sel.select(timeout=0.1):
        s = key.fileobj
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if not data:  # closed by the server: come back a second later
            sel.unregister(s); held.discard(s); s.close(); reconnects += 1
            pending.append(time.time() + 1.0)
    while pending and pending[0] <= time.time():
        pending.pop(0); open_one()
    max_held = max(max_held, len(held))
    now = time.time()
    if now - last_trickle >= trickle:
        last_trickle = now
        try:
            slow.sendall(b"X")
        except OSError:
            slow.close(); reconnects += 1
            slow = socket.create_connection(("127.0.0.1", port), source_address=(attack_ip, 0))
            slow.sendall(b"GET /api/v3/about HTTP/1.1\r\n")
    if now >= next_probe:
        next_probe = now + 0.5
        asked += 1
        try:
            p = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(probe_ip, 0))
            p.sendall(("GET /api/v3/about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                       "Authorization: Bearer %s\r\n\r\n" % token).encode())
            reply = b""
            while True:
                b = p.recv(65536)
                if not b:
                    break
                reply += b
            p.close()
            if reply.startswith(b"HTTP/1.1 200"):
                answered += 1
        except OSError:
            pass
print("PROBE answered %d of %d, attacker reconnects %d" % (answered, asked, reconnects))
