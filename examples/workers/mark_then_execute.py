#!/usr/bin/env python3
"""At-most-once execution: mark first (skip if the mark was already there), then execute.
Never twice; an epoch whose worker dies between mark and execute is lost.
Protocol: docs/worker-protocol.md. Standard library only.
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
    if not line:
        sys.exit(0)
    return json.loads(line)


def ask(request_type, epoch):
    request_id = send({"type": request_type, "epoch": epoch})
    reply = receive()
    assert reply["in_reply_to"] == request_id, reply
    if reply["type"] == "error":
        raise RuntimeError(reply["text"])
    return reply


init = receive()
send({"type": "init_ok", "in_reply_to": init["id"]})

while True:
    work = receive()
    epoch = work["epoch"]
    if ask("mark_if_absent", epoch)["marked"]:
        ask("execute", epoch)
    ask("ack", epoch)
