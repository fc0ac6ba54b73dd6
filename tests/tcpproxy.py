"""A TCP proxy on loopback that a test can cut (refuse connections) and stall (accept, never
forward), to play a database or cache going away and coming back."""

import socket
import threading
import time

POLL = 0.05


def free_port():
    """Return a loopback port nobody listens on (just now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TcpProxy:
    """Forward 127.0.0.1:`port` to `target` until told to `cut()` or `stall()`; `restore()`."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.mode = "forward"
        self.listener = None
        self.sockets = []
        self.lock = threading.Lock()

    def start(self):
        """Listen and forward; return self."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(POLL)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self):
        """Refuse new connections and drop the open ones, like a database host going down."""
        self.mode = "cut"
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.close()
        self._drop_all()

    def stall(self):
        """Accept connections but forward nothing more, like a host that stopped answering."""
        self.mode = "stall"

    def restore(self):
        """Forward again (new connections; stalled ones are dropped)."""
        self._drop_all()
        self.mode = "forward"
        if self.listener is None:
            self.start()

    def stop(self):
        """Close everything."""
        self.cut()

    def _drop_all(self):
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for sock in sockets:
            sock.close()

    def _keep(self, *sockets):
        with self.lock:
            self.sockets.extend(sockets)

    def _accept(self, listener):
        while self.listener is listener:
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._keep(client)
            if self.mode == "stall":
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            self._keep(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        source.settimeout(POLL)
        while True:
            if self.mode == "stall":
                time.sleep(POLL)
                if source.fileno() == -1:
                    return
                continue
            try:
                data = source.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            if self.mode == "stall":
                continue  # swallowed: a stalled link never delivers again
            try:
                sink.sendall(data)
            except OSError:
                break
        for sock in (source, sink):
            sock.close()
