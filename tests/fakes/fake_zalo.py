"""A local fake of the Zalo Bot API and the Official Account API with its
OAuth refresh (docs/zalo.md Part C1 and C3), on 127.0.0.1 over plain HTTP,
for end-to-end tests of the real libcurl client.

  POST /v3.0/oa/message/cs       header access_token; {"recipient":{"user_id"},"message":{"text"}}
  POST /v4/oa/access_token       form refresh_token, app_id, grant_type; header secret_key:
                                 a new pair, the old refresh token dead
  POST /_fake/expire             the current access token stops working

  POST /bot<TOKEN>/sendMessage   {"chat_id", "text" 1-2000 chars}
  POST /bot<TOKEN>/getMe
  POST /_fake/script             {"match": "/sendMessage", "times": N, "status": S,
                                  "body": {...} | "raw_body": "...", "delay_ms": D,
                                  "process": false}
                                 process: wait delay_ms, then handle the request as
                                 usual (a slow Zalo that delivers even when the
                                 client gave up waiting)
  GET  /_fake/file/NAME           a CDN file (6,000 bytes; NAME "big": 11 MiB)
  GET  /_fake/redirect?to=URL    302 to URL (quoted)
  GET  /_fake/requests           every request (GETs too): method, path, body, time
  POST /_fake/reset

Unknown token -> 401 {"ok":false,"error_code":401}; unknown method -> 400.
Usable from Python (FakeZalo(token).start() -> port) or as a program:
  fake_zalo.py TOKEN PORT
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeZalo:
    def __init__(self, token, app_id="3608465249409039670", app_secret="AppSecretKey",
                 refresh="R0"):
        self.token = token
        self.app_id = app_id
        self.app_secret = app_secret
        self.refresh_token = refresh
        self.access_token = None         # none until the first refresh
        self.refreshes = 0
        self.oa_sent = []
        self.lock = threading.Lock()
        self.requests = []
        self.scripts = []
        self.sent = []            # successful sendMessage bodies
        self.server = None
        self.port = None

    # -------------------------------------------------------------- control
    def start(self, port=0):
        """Serve on port (0: any free one; the old port after stop(): Zalo back)."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _reply(self, status, obj=None, raw=None):
                data = raw.encode() if raw is not None else json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass        # the client gave up waiting (its timeout)

            def do_GET(self):
                if self.path != "/_fake/requests":
                    with fake.lock:
                        fake.requests.append({"method": "GET", "path": self.path,
                                              "time": time.time(), "body": ""})
                if self.path.startswith("/_fake/redirect?to="):
                    from urllib.parse import unquote
                    self.send_response(302)
                    self.send_header("Location", unquote(self.path.split("=", 1)[1]))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path.startswith("/_fake/file/"):
                    # a CDN file: 6,000 bytes; "/_fake/file/big" is 11 MiB
                    data = (b"\xff\xd8JPEG" * 1000 if not self.path.endswith("/big")
                            else b"x" * (11 << 20))
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    try:
                        self.wfile.write(data)
                    except (BrokenPipeError, ConnectionResetError):
                        pass        # the client stopped at its size limit, as it should
                    return
                if self.path == "/_fake/requests":
                    with fake.lock:
                        return self._reply(200, fake.requests)
                return self._reply(404, {"ok": False, "error_code": 404})

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                fake.handle(self, body)

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.port

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def script(self, match, times=1, status=200, body=None, raw_body=None, delay_ms=0,
               process=False):
        with self.lock:
            self.scripts.append({"match": match, "times": times, "status": status,
                                 "body": body, "raw_body": raw_body, "delay_ms": delay_ms,
                                 "process": process})

    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port

    # -------------------------------------------------------------- serving
    def handle(self, h, body):
        path = h.path
        with self.lock:
            self.requests.append({"method": "POST", "path": path, "time": time.time(),
                                  "body": body.decode("utf-8", "replace")})
        if path == "/_fake/reset":
            with self.lock:
                self.requests.clear()
                self.scripts.clear()
                self.sent.clear()
            return h._reply(200, {"ok": True})
        if path == "/_fake/expire":
            with self.lock:
                self.access_token = "expired-" + str(time.time())
            return h._reply(200, {"ok": True})
        if path == "/_fake/script":
            s = json.loads(body)
            self.script(**s)
            return h._reply(200, {"ok": True})
        with self.lock:
            for s in self.scripts:
                if s["match"] in path and s["times"] > 0:
                    s["times"] -= 1
                    scripted = dict(s)
                    break
            else:
                scripted = None
        if scripted:
            if scripted["delay_ms"]:
                time.sleep(scripted["delay_ms"] / 1000.0)
            if not scripted["process"]:
                return h._reply(scripted["status"], scripted["body"], scripted["raw_body"])
        if path == "/v4/oa/access_token":
            return self.oauth(h, body)
        if path == "/v3.0/oa/message/cs":
            return self.oa_send(h, body)
        if not path.startswith("/bot"):
            return h._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, _, method = path[4:].partition("/")
        if token != self.token:
            return h._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if h.headers.get("Content-Type", "").split(";")[0] != "application/json" and body:
            return h._reply(400, {"ok": False, "error_code": 400, "description": "JSON only"})
        if method == "getMe":
            return h._reply(200, {"ok": True, "result": {"id": "bot1", "account_name": "Bot CA",
                                                         "account_type": "BASIC",
                                                         "can_join_groups": False}})
        if method != "sendMessage":
            return h._reply(400, {"ok": False, "error_code": 400, "description": "Bad Request"})
        try:
            req = json.loads(body)
        except ValueError:
            return h._reply(400, {"ok": False, "error_code": 400, "description": "bad JSON"})
        text, chat = req.get("text"), req.get("chat_id")
        if not chat or not isinstance(text, str) or not 1 <= len(text) <= 2000:
            return h._reply(400, {"ok": False, "error_code": 400, "description": "bad message"})
        with self.lock:
            self.sent.append(req)
            mid = "%020x" % len(self.sent)
        return h._reply(200, {"ok": True, "result": {"message_id": mid,
                                                     "date": int(time.time() * 1000)}})


    def oauth(self, h, body):
        from urllib.parse import parse_qs
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        with self.lock:
            good = (h.headers.get("secret_key") == self.app_secret
                    and form.get("app_id") == self.app_id
                    and form.get("grant_type") == "refresh_token"
                    and form.get("refresh_token") == self.refresh_token)
            if not good:
                return h._reply(200, {"error": -14014, "error_name": "Invalid refresh token",
                                      "error_description": "refresh token is invalid"})
            self.refreshes += 1
            self.access_token = "A%d-%x" % (self.refreshes, int(time.time() * 1e6))
            self.refresh_token = "R%d-%x" % (self.refreshes, int(time.time() * 1e6))
            pair = {"access_token": self.access_token, "refresh_token": self.refresh_token,
                    "expires_in": "90000"}
        return h._reply(200, pair)

    def oa_send(self, h, body):
        with self.lock:
            if not self.access_token or h.headers.get("access_token") != self.access_token:
                return h._reply(200, {"error": -216, "message": "Access token is invalid"})
        try:
            req = json.loads(body)
            uid = req["recipient"]["user_id"]
            text = req["message"]["text"]
        except (ValueError, KeyError, TypeError):
            return h._reply(200, {"error": -201, "message": "Parameters are invalid"})
        if not isinstance(text, str) or not 1 <= len(text) <= 2000:
            return h._reply(200, {"error": -201, "message": "text length"})
        with self.lock:
            self.oa_sent.append(req)
            mid = "%020x" % (len(self.oa_sent) + 1000)
        return h._reply(200, {"data": {"message_id": mid, "user_id": uid,
                                       "sent_time": str(int(time.time() * 1000))},
                              "error": 0, "message": "Success"})


if __name__ == "__main__":
    f = FakeZalo(sys.argv[1])
    f.start()
    print(f.base, flush=True)
    threading.Event().wait()
