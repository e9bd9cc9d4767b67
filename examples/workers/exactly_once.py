#!/usr/bin/env python3
"""A correct exactly-once worker: check, effect and mark in one transaction (execute_once).

Protocol: docs/worker-protocol.md. Standard library only.
Try it:  semlab grade --worker-cmd "python3 examples/workers/exactly_once.py" --claim exactly-once
"""
import json
import sys

next_id = 0


def send(message):
    global next_id
    next_id += 1
    message["id"] = next_id
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()
    return next_id


def receive():
    line = sys.stdin.readline()
    if not line:  # semlab closed our stdin: the run is over
        sys.exit(0)
    return json.loads(line)


def ask(request_type, epoch):
    """Sends one request and returns semlab's reply to it."""
    request_id = send({"type": request_type, "epoch": epoch})
    reply = receive()
    assert reply["in_reply_to"] == request_id, reply
    if reply["type"] == "error":
        raise RuntimeError(reply["text"])
    return reply


init = receive()
send({"type": "init_ok", "in_reply_to": init["id"]})
print(f"worker {init['worker']} ready", file=sys.stderr)

while True:
    work = receive()
    epoch = work["epoch"]
    ask("execute_once", epoch)  # executed or skipped: either way the epoch is done
    ask("ack", epoch)
