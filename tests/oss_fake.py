#!/usr/bin/env python3
"""A test-only Aliyun OSS endpoint on 127.0.0.1 for shopgen's deploy tests.

No OSS server can run here, so this one stores objects in memory and checks every request's
signature with Aliyun's official Python SDK (`oss2`): it rebuilds the request the way the SDK
would sign it and compares signatures. V4 (OSS4-HMAC-SHA256) by default, V1 with --signature v1.
A request whose signature does not match gets 403 SignatureDoesNotMatch, like OSS.

It serves one bucket, addressed by a custom domain (`http://127.0.0.1:PORT/<key>`) or, with
--path-style, as `http://127.0.0.1:PORT/<bucket>/<key>`. It answers the calls a deploy makes:
PutObject (requires and checks Content-MD5), GetObject, HeadObject, DeleteObject,
DeleteMultipleObjects, ListObjectsV2 (paginated) and PutBucketWebsite.

Test-only extras, unsigned, under /__control/ and /__baidu/:
  GET  /__control/state          objects (MD5, size, headers), website XML, counters
  POST /__control/hold?after=N   after N more object uploads, hold every further upload
                                 (answered 503, not stored, on release)
  POST /__control/fail?after=N   after N more object uploads, answer 503 to every further upload
  POST /__control/release        back to normal
  POST /__baidu/urls?site=&token= a fake Baidu link-submission API

Usage: oss_fake.py --bucket B --region cn-hangzhou --access-key-id AK --access-key-secret SK
       [--security-token T] [--signature v4|v1] [--path-style] [--baidu-token T] [--verify]
Prints "PORT <n>" on its first line of output once it listens. With --verify it serves
nothing and checks the signed requests given on stdin instead (see verify_stdin).
"""

import argparse
import base64
import datetime as dt
import email.utils
import hashlib
import json
import re
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import oss2
import oss2.auth
import oss2.http
from oss2.compat import to_bytes  # noqa: F401  (the SDK must be importable as a whole)
from requests.structures import CaseInsensitiveDict

ARGS = None
LOCK = threading.Lock()
OBJECTS = {}  # key -> {"data": bytes, "content_type": str, "cache_control": str, "etag": str}
STATE = {"website": None, "puts": 0, "signature_failures": 0, "md5_failures": 0,
         "requests": 0, "mode": None, "after": 0, "baidu": []}
RELEASE = threading.Event()
RELEASE.set()
# oss2 reads the clock while signing: the verifier replays the request's own time.
SIGN_LOCK = threading.Lock()

V4_AUTH = re.compile(r"^OSS4-HMAC-SHA256 (.*)$")


def error(code, message, status):
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message>'
            '<RequestId>0</RequestId><HostId>127.0.0.1</HostId></Error>' % (code, message))
    return status, {"Content-Type": "application/xml"}, body.encode()


def v4_expected(method, headers, params, key, auth_fields):
    """The Authorization oss2 computes for this request (V4)."""
    additional = [h for h in auth_fields.get("AdditionalHeaders", "").split(";") if h]
    x_oss_date = headers.get("x-oss-date", "")
    when = dt.datetime.strptime(x_oss_date, "%Y%m%dT%H%M%SZ")
    req = oss2.http.Request(method, "http://unused/", params=params, headers={},
                            region=ARGS.region, product="oss")
    req.headers = CaseInsensitiveDict(headers)

    class Frozen(dt.datetime):
        @classmethod
        def utcnow(cls):
            return when

    with SIGN_LOCK:
        saved = oss2.auth.datetime
        oss2.auth.datetime = Frozen
        try:
            oss2.AuthV4(ARGS.access_key_id, ARGS.access_key_secret)._sign_request(
                req, ARGS.bucket, key, in_additional_headers=additional)
        finally:
            oss2.auth.datetime = saved
    return req.headers["authorization"], when


def v1_expected(method, headers, params, key):
    req = oss2.http.Request(method, "http://unused/", params=params, headers={})
    req.headers = CaseInsensitiveDict(headers)
    date = headers.get("date", "")
    with SIGN_LOCK:
        saved = oss2.auth.utils.http_date
        oss2.auth.utils.http_date = lambda *a, **k: date
        try:
            oss2.Auth(ARGS.access_key_id, ARGS.access_key_secret)._sign_request(req, ARGS.bucket, key)
        finally:
            oss2.auth.utils.http_date = saved
    return req.headers["authorization"], email.utils.parsedate_to_datetime(date).replace(tzinfo=None)


def check_signature(method, headers, params, key):
    """None when the request is signed right, else the reason."""
    auth = headers.get("authorization", "")
    if ARGS.security_token and headers.get("x-oss-security-token") != ARGS.security_token:
        return "missing or wrong x-oss-security-token"
    try:
        if ARGS.signature == "v4":
            m = V4_AUTH.match(auth)
            if not m:
                return "not an OSS4-HMAC-SHA256 Authorization: %r" % auth[:40]
            fields = dict(part.strip().split("=", 1) for part in m.group(1).split(","))
            cred = fields.get("Credential", "").split("/")
            if len(cred) != 5 or cred[0] != ARGS.access_key_id or cred[2] != ARGS.region \
                    or cred[3] != "oss" or cred[4] != "aliyun_v4_request":
                return "wrong credential scope %r" % fields.get("Credential")
            if headers.get("x-oss-content-sha256") != "UNSIGNED-PAYLOAD":
                return "x-oss-content-sha256 missing"
            expected, when = v4_expected(method, headers, params, key, fields)
            want = dict(p.strip().split("=", 1)
                        for p in V4_AUTH.match(expected).group(1).split(","))["Signature"]
            if fields.get("Signature") != want:
                return "signature mismatch"
        else:
            if not auth.startswith("OSS "):
                return "not an OSS V1 Authorization"
            expected, when = v1_expected(method, headers, params, key)
            if auth != expected:
                return "signature mismatch"
    except Exception as e:  # a malformed header is a failed signature, not a crash
        return "cannot verify: %s" % e
    if abs((dt.datetime.utcnow() - when).total_seconds()) > 15 * 60:
        return "request time too skewed"
    return None


def content_md5_ok(headers, body):
    given = headers.get("content-md5")
    return given is not None and given == base64.b64encode(hashlib.md5(body).digest()).decode()


def list_objects(params):
    prefix = params.get("prefix", "")
    delimiter = params.get("delimiter", "")
    max_keys = int(params.get("max-keys", "100"))
    after = params.get("continuation-token") or params.get("start-after") or ""
    with LOCK:
        keys = sorted(k for k in OBJECTS if k.startswith(prefix) and k > after)
        items, prefixes = [], []
        for k in keys:
            rest = k[len(prefix):]
            if delimiter and delimiter in rest:
                p = prefix + rest.split(delimiter, 1)[0] + delimiter
                if p not in prefixes and p > after:
                    prefixes.append(p)
            else:
                items.append((k, OBJECTS[k]))
        entries = sorted([(k, o) for k, o in items] + [(p, None) for p in prefixes], key=lambda e: e[0])
    page, truncated = entries[:max_keys], len(entries) > max_keys
    root = ET.Element("ListBucketResult")
    for name, value in [("Name", ARGS.bucket), ("Prefix", prefix), ("MaxKeys", str(max_keys)),
                        ("Delimiter", delimiter), ("IsTruncated", "true" if truncated else "false"),
                        ("KeyCount", str(len(page)))]:
        ET.SubElement(root, name).text = value
    if truncated:
        ET.SubElement(root, "NextContinuationToken").text = page[-1][0]
    for k, o in page:
        if o is None:
            ET.SubElement(ET.SubElement(root, "CommonPrefixes"), "Prefix").text = k
            continue
        c = ET.SubElement(root, "Contents")
        for name, value in [("Key", k), ("LastModified", "2026-01-01T00:00:00.000Z"),
                            ("ETag", '"%s"' % o["etag"]), ("Type", "Normal"),
                            ("Size", str(len(o["data"]))), ("StorageClass", "Standard")]:
            ET.SubElement(c, name).text = value
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, headers, body, head=False):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        path = urllib.parse.unquote(url.path)
        if path.startswith("/__control/"):
            return self.reply(*self.control(path, params))
        if path.startswith("/__baidu/"):
            return self.reply(*self.baidu(params, body))
        with LOCK:
            STATE["requests"] += 1
        if ARGS.path_style:
            bucket_path = "/" + ARGS.bucket
            if path != bucket_path and not path.startswith(bucket_path + "/"):
                return self.reply(*error("NoSuchBucket", "no such bucket", 404))
            path = path[len(bucket_path):] or "/"
        key = path[1:]
        headers = {k.lower(): v for k, v in self.headers.items()}
        why = check_signature(self.command, headers, params, key)
        if why:
            with LOCK:
                STATE["signature_failures"] += 1
            sys.stderr.write("oss_fake: %s %s: %s\n" % (self.command, self.path, why))
            return self.reply(*error("SignatureDoesNotMatch", why, 403))
        return self.reply(*self.operation(params, key, headers, body), head=self.command == "HEAD")

    def operation(self, params, key, headers, body):
        m = self.command
        if key == "":
            if m == "GET" and params.get("list-type") == "2":
                return 200, {"Content-Type": "application/xml"}, list_objects(params)
            if m == "POST" and "delete" in params:
                if not content_md5_ok(headers, body):
                    return error("InvalidDigest", "Content-MD5 missing or wrong", 400)
                keys = [e.text or "" for e in ET.fromstring(body).iter("Key")]
                with LOCK:
                    for k in keys:
                        OBJECTS.pop(k, None)
                root = ET.Element("DeleteResult")
                for k in keys:
                    ET.SubElement(ET.SubElement(root, "Deleted"), "Key").text = k
                return 200, {"Content-Type": "application/xml"}, ET.tostring(root)
            if m == "PUT" and "website" in params:
                if not content_md5_ok(headers, body):
                    return error("InvalidDigest", "Content-MD5 missing or wrong", 400)
                try:
                    ET.fromstring(body)
                except ET.ParseError:
                    return error("MalformedXML", "bad website XML", 400)
                with LOCK:
                    STATE["website"] = body.decode()
                return 200, {}, b""
            return error("NotImplemented", "bucket operation not supported by the fake", 501)
        if m == "PUT":
            if params:
                return error("NotImplemented", "object sub-resource not supported by the fake", 501)
            if not content_md5_ok(headers, body):
                with LOCK:
                    STATE["md5_failures"] += 1
                return error("InvalidDigest", "Content-MD5 missing or wrong", 400)
            with LOCK:
                mode, after = STATE["mode"], STATE["after"]
                if mode and STATE["puts"] >= after:
                    blocked = mode
                else:
                    blocked = None
            if blocked == "fail":
                return error("ServiceUnavailable", "injected failure", 503)
            if blocked == "hold":
                # Held until the test releases it, by when the client is gone: never stored.
                RELEASE.wait()
                return error("ServiceUnavailable", "held upload dropped", 503)
            etag = hashlib.md5(body).hexdigest().upper()
            with LOCK:
                OBJECTS[key] = {"data": body, "etag": etag,
                                "content_type": headers.get("content-type"),
                                "cache_control": headers.get("cache-control")}
                STATE["puts"] += 1
            return 200, {"ETag": '"%s"' % etag, "x-oss-request-id": "0"}, b""
        with LOCK:
            o = OBJECTS.get(key)
        if m in ("GET", "HEAD"):
            if o is None:
                return error("NoSuchKey", "no such key", 404)
            h = {"ETag": '"%s"' % o["etag"], "Last-Modified": "Thu, 01 Jan 2026 00:00:00 GMT",
                 "Content-Length": str(len(o["data"]))}
            if o["content_type"]:
                h["Content-Type"] = o["content_type"]
            if o["cache_control"]:
                h["Cache-Control"] = o["cache_control"]
            return 200, h, o["data"]
        if m == "DELETE":
            with LOCK:
                OBJECTS.pop(key, None)
            return 204, {}, b""
        return error("MethodNotAllowed", "not supported", 405)

    def control(self, path, params):
        if path == "/__control/state":
            with LOCK:
                objects = {k: {"md5": hashlib.md5(o["data"]).hexdigest(), "size": len(o["data"]),
                               "content_type": o["content_type"], "cache_control": o["cache_control"],
                               "etag": o["etag"]}
                           for k, o in OBJECTS.items()}
                state = dict(STATE, objects=objects)
            return 200, {"Content-Type": "application/json"}, json.dumps(state).encode()
        if path in ("/__control/hold", "/__control/fail") and self.command == "POST":
            with LOCK:
                STATE["mode"] = path.rsplit("/", 1)[1]
                STATE["after"] = STATE["puts"] + int(params.get("after", "0"))
                if STATE["mode"] == "hold":
                    RELEASE.clear()
            return 200, {}, b""
        if path == "/__control/release" and self.command == "POST":
            with LOCK:
                STATE["mode"] = None
            RELEASE.set()
            return 200, {}, b""
        return 404, {}, b""

    def baidu(self, params, body):
        if params.get("token") != ARGS.baidu_token:
            return 401, {"Content-Type": "application/json"}, b'{"error":401,"message":"token is not valid"}'
        urls = [u for u in body.decode().split("\n") if u]
        with LOCK:
            STATE["baidu"].append({"site": params.get("site"), "urls": urls})
        if len(urls) > 2000:
            return 400, {}, b'{"error":400,"message":"over quota"}'
        answer = {"remain": 100000 - len(urls), "success": len(urls), "not_same_site": [], "not_valid": []}
        return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


def verify_stdin():
    """--verify: check signed requests given as JSON lines on stdin ({"method", "path",
    "query", "headers"}, virtual-hosted: the path is the key); print "ok" or why not, one
    line each."""
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        params = dict(urllib.parse.parse_qsl(r.get("query", ""), keep_blank_values=True))
        key = urllib.parse.unquote(r["path"])[1:]
        headers = {k.lower(): v for k, v in r["headers"].items()}
        why = check_signature(r["method"], headers, params, key)
        print(why or "ok", flush=True)


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--bucket", required=True)
    p.add_argument("--region", required=True)
    p.add_argument("--access-key-id", required=True)
    p.add_argument("--access-key-secret", required=True)
    p.add_argument("--security-token")
    p.add_argument("--signature", choices=["v4", "v1"], default="v4")
    p.add_argument("--path-style", action="store_true")
    p.add_argument("--baidu-token", default="")
    p.add_argument("--verify", action="store_true", help="check requests from stdin, serve nothing")
    ARGS = p.parse_args()
    if ARGS.verify:
        return verify_stdin()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
