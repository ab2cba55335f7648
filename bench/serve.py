#!/usr/bin/env python3
"""A static file server for the remote benchmarks: python's http.server (Last-Modified, 304s), threaded, with a
listen backlog a real server has (http.server's is 5: concurrent clients would see dropped connections and a one
second retry), and an optional delay per request, as a server that far away would add.

Usage: serve.py PORT DIRECTORY [DELAY_MS]
"""
import functools, http.server, sys, time

class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True

class Handler(http.server.SimpleHTTPRequestHandler):
    delay = 0.0

    def log_message(self, *args):
        pass

    def send_head(self):
        if self.delay:
            time.sleep(self.delay)
        return super().send_head()

port, directory = int(sys.argv[1]), sys.argv[2]
Handler.delay = (float(sys.argv[3]) if len(sys.argv) > 3 else 0.0) / 1000
Server(("127.0.0.1", port), functools.partial(Handler, directory=directory)).serve_forever()
