#!/usr/bin/env python3
"""warc_check.py - an independent WARC 1.1 checker (stdlib only) used by the tests.

    python3 warc_check.py FILE.warc.gz...

Checks, without sharing any code with khotin: every gzip member decompresses on its own
(zlib, CRC checked) and holds exactly one WARC record; mandatory headers; Content-Length;
WARC-Block-Digest; WARC-Payload-Digest of response records = SHA-1 of the HTTP entity body after
removing chunked transfer coding (content-encoding kept), as warcio computes it; request and
revisit links; warcinfo first. Prints one JSON object: {"records": N, "types": {...},
"problems": [...]}; exit status 0 when there are no problems.
"""
import base64
import hashlib
import json
import re
import sys
import zlib

MANDATORY = ["warc-type", "warc-record-id", "warc-date", "content-length"]
DATE_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")


def digest(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def dechunk(body):
    out = bytearray()
    pos = 0
    while True:
        nl = body.index(b"\n", pos)
        size = int(body[pos:nl].split(b";")[0].strip(), 16)
        pos = nl + 1
        if size == 0:
            return bytes(out)
        out += body[pos:pos + size]
        pos += size
        if body[pos:pos + 2] == b"\r\n":
            pos += 2
        elif body[pos:pos + 1] == b"\n":
            pos += 1


def members(data):
    pos = 0
    while pos < len(data):
        d = zlib.decompressobj(wbits=31)
        out = d.decompress(data[pos:])
        if not d.eof:
            raise ValueError("offset %d: truncated gzip member" % pos)
        used = len(data) - pos - len(d.unused_data)
        yield pos, out
        pos += used


def check_file(path, problems, types):
    data = open(path, "rb").read()
    ids = {}
    pending = []
    first = True
    n = 0
    for off, rec in members(data):
        n += 1
        where = "%s: offset %d" % (path, off)
        if not rec.startswith(b"WARC/1.1\r\n"):
            problems.append(where + ": not WARC/1.1")
            continue
        end = rec.find(b"\r\n\r\n")
        headers = {}
        for line in rec[:end].split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            headers[k.strip().lower().decode()] = v.strip().decode("utf-8")
        for m in MANDATORY:
            if m not in headers:
                problems.append("%s: missing %s" % (where, m))
        length = int(headers.get("content-length", "-1"))
        block = rec[end + 4:end + 4 + length]
        if len(block) != length or rec[end + 4 + length:] != b"\r\n\r\n":
            problems.append(where + ": record does not fill its member exactly")
        t = headers.get("warc-type", "")
        types[t] = types.get(t, 0) + 1
        if first and t != "warcinfo":
            problems.append(where + ": first record is not warcinfo")
        first = False
        if not DATE_RE.match(headers.get("warc-date", "")):
            problems.append(where + ": bad WARC-Date")
        rid = headers.get("warc-record-id", "")
        if not re.match(r"^<urn:uuid:[0-9a-f-]{36}>$", rid):
            problems.append(where + ": bad record id " + rid)
        ids[rid] = t
        if headers.get("warc-block-digest") != digest(block):
            problems.append(where + ": block digest mismatch")
        if t in ("response", "request", "revisit"):
            if "warc-target-uri" not in headers:
                problems.append(where + ": no WARC-Target-URI")
            want = "application/http;msgtype=" + ("request" if t == "request" else "response")
            if headers.get("content-type") != want:
                problems.append(where + ": Content-Type " + headers.get("content-type", ""))
            if "warc-warcinfo-id" not in headers:
                problems.append(where + ": no WARC-Warcinfo-ID")
        if t == "response":
            hend = block.find(b"\r\n\r\n")
            head = block[:hend].decode("latin-1").lower()
            body = block[hend + 4:]
            if re.search(r"^transfer-encoding:.*chunked", head, re.M):
                body = dechunk(body)
            if headers.get("warc-payload-digest") != digest(body):
                problems.append(where + ": payload digest mismatch")
        if t == "revisit":
            prof = headers.get("warc-profile", "")
            if not prof.startswith("http://netpreserve.org/warc/1.1/revisits/"):
                problems.append(where + ": bad WARC-Profile")
            if prof.endswith("identical-payload-digest"):
                for k in ("warc-refers-to", "warc-refers-to-target-uri", "warc-refers-to-date",
                          "warc-payload-digest"):
                    if k not in headers:
                        problems.append("%s: revisit without %s" % (where, k))
        if t == "request":
            pending.append((where, headers.get("warc-concurrent-to")))
    for where, target in pending:
        if ids.get(target) not in ("response", "revisit"):
            problems.append(where + ": WARC-Concurrent-To names no response in the file")
    return n


def main(argv):
    problems, types, total = [], {}, 0
    for path in argv[1:]:
        try:
            total += check_file(path, problems, types)
        except (ValueError, OSError, zlib.error) as e:
            problems.append("%s: %s" % (path, e))
    print(json.dumps({"records": total, "types": types, "problems": problems}))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
