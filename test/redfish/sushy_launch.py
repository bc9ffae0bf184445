"""Starts a sushy-tools peer for Anvil's redfish tests (test/redfish/emulator.ts).

  sushy_launch.py emulator [sushy-emulator args...]
      sushy-emulator itself. With ANVIL_SUSHY_POWER_DELAY=<s> the fake driver's power changes land after that
      many seconds instead of its random 1-11 s (everything else untouched).
  sushy_launch.py static <port> <mockup dir>
      sushy-static serving the mockup, plus the vendor behaviours its quirks.json asks for (see QuirkHandler);
      every request is appended to <mockup dir>/requests.jsonl for the tests to read.
"""
import json
import os
import sys
import threading
import uuid


DEFAULT_BIOS = {'BootMode': 'Uefi', 'EmbeddedSata': 'Raid', 'NicBoot1': 'NetworkBoot',
                'ProcTurboMode': 'Enabled', 'L2Cache': '10x256 KB', 'NumCores': '10'}


def extend_fake_driver():
    """sushy-tools' fake driver keeps power, boot and media state but answers NotSupported for BIOS, firmware
    versions, CPUs, memory and HTTP boot (its libvirt driver has them). Keep those in the same per-system dict,
    seeded from the system's config entry (bios, versions, cpus, memory_gib), the way the libvirt driver reports
    them."""
    from sushy_tools.emulator.resources.systems import fakedriver
    F = fakedriver.FakeDriver

    def get_bios(self, identity):
        return dict(self._get(identity).get('bios') or DEFAULT_BIOS)

    def set_bios(self, identity, attributes):
        system = self._get(identity)
        bios = dict(system.get('bios') or DEFAULT_BIOS)
        bios.update(attributes)
        self._update(system, bios=bios)

    def reset_bios(self, identity):
        self._update(identity, bios=dict(DEFAULT_BIOS))

    def get_versions(self, identity):
        return dict(self._get(identity).get('versions') or {'BiosVersion': '1.0.0'})

    def set_versions(self, identity, versions):
        self._update(identity, versions=dict(versions))

    def reset_versions(self, identity):
        self._update(identity, versions={'BiosVersion': '1.0.0'})

    def get_total_memory(self, identity):
        return int(self._get(identity).get('memory_gib', 8))

    def get_total_cpus(self, identity):
        return int(self._get(identity).get('cpus', 4))

    def get_processors(self, identity):
        n = int(self._get(identity).get('cpus', 4))
        return [{'id': 'CPU%d' % i, 'Id': 'CPU%d' % i, 'socket': 'CPU %d' % i, 'vendor': 'Intel(R) Corporation',
                 'model': 'Intel(R) Xeon(R) CPU', 'cores': 1, 'threads': 1} for i in range(n)]

    def get_http_boot_uri(self, identity):
        return getattr(self, '_anvil_http_boot_uri', None)

    def set_http_boot_uri(self, uri):
        self._anvil_http_boot_uri = uri

    original_set_power_state = F.set_power_state

    def set_power_state(self, identity, state):
        # the libvirt driver injects an NMI for ResetType Nmi; the fake one refuses it: count it instead
        if state == 'Nmi':
            system = self._get(identity)
            self._update(system, nmi_count=int(system.get('nmi_count', 0)) + 1)
            return
        return original_set_power_state(self, identity, state)

    for f in (set_power_state, get_bios, set_bios, reset_bios, get_versions, set_versions, reset_versions, get_total_memory,
              get_total_cpus, get_processors, get_http_boot_uri, set_http_boot_uri):
        setattr(F, f.__name__, f)


def emulator(args):
    extend_fake_driver()
    delay = os.environ.get('ANVIL_SUSHY_POWER_DELAY')
    if delay is not None:
        from sushy_tools.emulator.resources.systems import fakedriver

        class FixedDelay:
            @staticmethod
            def randint(a, b):
                return int(delay)

        fakedriver.random = FixedDelay
    from sushy_tools.emulator import main
    sys.argv = ['sushy-emulator'] + args
    return main.main()


def static(port, mockups):
    from http import server as http_server
    from sushy_tools.static import main as static_main

    quirks = {}
    qpath = os.path.join(mockups, 'quirks.json')
    if os.path.exists(qpath):
        with open(qpath) as f:
            quirks = json.load(f)
    log_path = os.path.join(mockups, 'requests.jsonl')
    lock = threading.Lock()
    state = {'busy': int(quirks.get('busy_writes', 0)), 'tokens': {}, 'etag': 1,
             'bump_after_get': quirks.get('etag_changes_once')}

    def error(handler, status, msg_id, message):
        body = json.dumps({'error': {'code': 'Base.1.8.GeneralError', 'message': 'See @Message.ExtendedInfo',
                                     '@Message.ExtendedInfo': [{'MessageId': msg_id, 'Message': message}]}})
        handler.send_response(status)
        handler.send_header('Content-Type', 'application/json')
        handler.end_headers()
        handler.wfile.write(body.encode())

    class QuirkHandler(static_main.RequestHandler):
        """sushy-static plus: SessionService logins (quirks.sessions: {user, password, ttl}), writes answered 409
        while the system is "in POST" (quirks.busy_writes: how many), a Boot PATCH refused unless it carries the
        full payload (quirks.full_boot_payload), every answer 500 (quirks.always_500), ETags on reads and If-Match
        required on PATCH, 412 otherwise (quirks.etag; etag_changes_once: that path changes right after its first read), $expand of collections (quirks.expand)."""

        def log_message(self, *a):
            pass

        def _body(self):
            n = int(self.headers.get('content-length', 0))
            raw = self.rfile.read(n) if n else b''
            try:
                return json.loads(raw) if raw else None
            except ValueError:
                return raw.decode(errors='replace')

        def _record(self, method, body):
            with lock, open(log_path, 'a') as f:
                f.write(json.dumps({'method': method, 'path': self.path, 'body': body}) + '\n')

        def _authorized(self):
            s = quirks.get('sessions')
            if not s:
                return True
            tok = self.headers.get('X-Auth-Token')
            if tok in state['tokens']:
                state['tokens'][tok] -= 1
                if state['tokens'][tok] <= 0:
                    del state['tokens'][tok]
                return True
            error(self, 401, 'Base.1.8.NoValidSession', 'There is no valid session established with the implementation.')
            return False

        def _common(self, method):
            body = self._body() if method != 'GET' else None
            self._record(method, body)
            if quirks.get('always_500'):
                error(self, 500, 'Base.1.8.InternalError', 'The request failed due to an internal service error.')
                return None
            s = quirks.get('sessions')
            if s and method == 'POST' and self.path.rstrip('/') == '/redfish/v1/SessionService/Sessions':
                if not isinstance(body, dict) or body.get('UserName') != s['user'] or body.get('Password') != s['password']:
                    error(self, 401, 'Base.1.8.ResourceAtUriUnauthorized', 'While accessing the resource, an authorization error occurred.')
                    return None
                tok = uuid.uuid4().hex
                state['tokens'][tok] = int(s.get('ttl', 1000))
                self.send_response(201)
                self.send_header('X-Auth-Token', tok)
                self.send_header('Location', '/redfish/v1/SessionService/Sessions/1')
                self.send_header('Content-Type', 'application/json')
                self.end_headers()
                self.wfile.write(b'{"@odata.id": "/redfish/v1/SessionService/Sessions/1", "Id": "1"}')
                return None
            if self.path.rstrip('/') not in ('/redfish/v1', '/redfish') and not self._authorized():
                return None
            return body if body is not None else {}

        def do_GET(self):
            if self._common('GET') is None:
                return
            path, _, query = self.path.partition('?')
            if quirks.get('etag') or (quirks.get('expand') and '$expand' in query):
                fpath = os.path.join(mockups, path.rstrip('/').replace('/redfish/v1', '', 1).lstrip('/'), 'index.json')
                if not os.path.exists(fpath):
                    self.send_error(404)
                    return
                with open(fpath) as f:
                    body = json.load(f)
                if '$expand' in query and isinstance(body.get('Members'), list):
                    members = []
                    for m in body['Members']:
                        mp = os.path.join(mockups, m['@odata.id'].replace('/redfish/v1', '', 1).lstrip('/'), 'index.json')
                        with open(mp) as f:
                            members.append(json.load(f))
                    body['Members'] = members
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                if quirks.get('etag'):
                    self.send_header('ETag', 'W/"%d"' % state['etag'])
                    if state.get('bump_after_get') == path.rstrip('/'):
                        state['bump_after_get'] = None
                        state['etag'] += 1
                self.end_headers()
                self.wfile.write(json.dumps(body).encode())
                return
            super().do_GET()

        def do_DELETE(self):
            if self._common('DELETE') is not None:
                self.send_response(204)
                self.end_headers()

        def _write(self, method):
            body = self._common(method)
            if body is None:
                return
            if state['busy'] > 0:
                state['busy'] -= 1
                error(self, 409, 'Base.1.8.ResourceInUse', 'The change could not be made because the system is in POST.')
                return
            if quirks.get('etag') and method == 'PATCH':
                if self.headers.get('If-Match') != 'W/"%d"' % state['etag']:
                    error(self, 412, 'Base.1.8.PreconditionFailed', 'The ETag supplied did not match the ETag required to change this resource.')
                    return
                state['etag'] += 1
            boot = body.get('Boot') if isinstance(body, dict) else None
            if quirks.get('full_boot_payload') and isinstance(boot, dict):
                need = ['BootSourceOverrideEnabled', 'BootSourceOverrideMode', 'BootSourceOverrideTarget']
                if any(k not in boot for k in need):
                    error(self, 400, 'Base.1.8.PropertyMissing', 'The property BootSourceOverrideMode is a required property and must be included in the request.')
                    return
            self.send_response(204)
            self.end_headers()

        def do_POST(self):
            self._write('POST')

        def do_PATCH(self):
            self._write('PATCH')

    static_main.REDFISH_MOCKUP_FILES = os.path.realpath(mockups)
    httpd = http_server.ThreadingHTTPServer(('127.0.0.1', int(port)), QuirkHandler)
    print('listening', flush=True)
    httpd.serve_forever()


if __name__ == '__main__':
    if sys.argv[1] == 'emulator':
        sys.exit(emulator(sys.argv[2:]))
    sys.exit(static(sys.argv[2], sys.argv[3]))
