#!/usr/bin/env python3
"""The mobile network, played for tests: the far side of Kannel's HTTP SMSC.

Kannel's bearerbox hands every outbound SMS (MT) to this server, which keeps
it (GET /messages lists them as JSON) and reports delivery back to Kannel.
A test makes a phone answer with GET /mo?from=NUMBER&text=TEXT, which this
server submits to bearerbox's SMSC port as an inbound SMS (MO): the whole path
bearerbox → smsbox → tremplin serve is the real one.

Usage: fake-network.py PORT KANNEL_SMSC_PORT
"""
import json
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
KANNEL = int(sys.argv[2])
LOCK = threading.Lock()
MESSAGES = []


def kannel(params):
    url = "http://127.0.0.1:%d/?%s" % (KANNEL, urllib.parse.urlencode(params))
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8", "replace")


def raw_bytes(raw):
    return urllib.parse.unquote_to_bytes(raw.replace("+", "%20"))


def decode(raw, coding):
    """Kannel sends the text as bytes (%b): UTF-16BE for Unicode (coding 2), else 8-bit."""
    data = raw_bytes(raw)
    if coding == "2":
        return data.decode("utf-16-be", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def concatenation(udh):
    """(reference, total, index) from a concatenation header, or None."""
    data = raw_bytes(udh)
    i = 1
    while i + 1 < len(data):
        iei, length = data[i], data[i + 1]
        body = data[i + 2:i + 2 + length]
        if iei == 0x00 and length == 3:
            return body[0], body[1], body[2]
        if iei == 0x08 and length == 4:
            return body[0] * 256 + body[1], body[2], body[3]
        i += 2 + length
    return None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, kind="text/plain; charset=utf-8"):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        raw = dict(p.split("=", 1) if "=" in p else (p, "") for p in query.split("&") if p)
        params = {k: urllib.parse.unquote_plus(v) for k, v in raw.items()}
        if path == "/mt":
            foreign = str(uuid.uuid4())
            coding = params.get("coding", "0")
            text = decode(raw.get("text", ""), coding)
            part = concatenation(raw.get("udh", "")) if raw.get("udh") else None
            with LOCK:
                # The parts of one long SMS are shown as the handset shows them: one message.
                joined = False
                if part is not None:
                    reference, total, index = part
                    for m in reversed(MESSAGES):
                        if m["to"] == params.get("to", "") and m.get("ref") == reference and len(m["parts"]) < m["total"]:
                            m["parts"][index] = text
                            m["text"] = "".join(m["parts"][k] for k in sorted(m["parts"]))
                            joined = True
                            break
                if not joined:
                    entry = {"to": params.get("to", ""), "from": params.get("from", ""), "text": text, "coding": coding,
                             "id": foreign, "at": time.time()}
                    if part is not None:
                        entry.update({"ref": part[0], "total": part[1], "parts": {part[2]: text}})
                    MESSAGES.append(entry)
            self.reply(200, "Accepted id=%s" % foreign)
            # The handset received it: the network reports delivery.
            if params.get("dlr", "0") not in ("", "0"):
                threading.Thread(target=self.report, args=(foreign,), daemon=True).start()
        elif path == "/mo":
            status, body = kannel({"username": "reseau", "password": "reseau", "from": params.get("from", ""),
                                   "to": params.get("to", "FTGrandEst"), "text": params.get("text", "")})
            self.reply(200 if status < 300 else 502, body)
        elif path == "/messages":
            with LOCK:
                self.reply(200, json.dumps(MESSAGES, ensure_ascii=False), "application/json; charset=utf-8")
        elif path == "/sante":
            self.reply(200, "ok")
        else:
            self.reply(404, "inconnu")

    def report(self, foreign):
        time.sleep(0.5)
        try:
            kannel({"username": "reseau", "password": "reseau", "dlr-mid": foreign, "dlr-mask": "1"})
        except Exception as error:  # the test sees the message stay « sent »
            sys.stderr.write("accusé non transmis : %s\n" % error)


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
