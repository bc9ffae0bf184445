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
        POWER_ACTIONS[self.uuid(identity)] = POWER_ACTIONS.get(self.uuid(identity), 0) + 1
        # the libvirt driver injects an NMI for ResetType Nmi; the fake one refuses it: count it instead
        if state == 'Nmi':
            system = self._get(identity)
            self._update(system, nmi_count=int(system.get('nmi_count', 0)) + 1)
            return
        return original_set_power_state(self, identity, state)

    for f in (set_power_state, get_bios, set_bios, reset_bios, get_versions, set_versions, reset_versions, get_total_memory,
              get_total_cpus, get_processors, get_http_boot_uri, set_http_boot_uri):
        setattr(F, f.__name__, f)


POWER_ACTIONS = {}
OVERHEAD = {'RAID0': lambda n: 0, 'RAID1': lambda n: n // 2, 'RAID10': lambda n: n // 2, 'RAID5': lambda n: 1,
            'RAID6': lambda n: 2, 'RAID50': lambda n: 2, 'RAID60': lambda n: 4}


def extend_volumes(app):
    """sushy-tools serves Storage and Drives from its config for any driver, but creating a Volume needs its libvirt
    driver and nothing deletes one. Stand in for a RAID controller the way BMCs answer: the Volumes collection
    supports the OnReset apply time only, a POST (RAIDType, optional CapacityBytes, Links.Drives) answers 202 with a
    task monitor that stays Running until the System's power has been changed since, then the Volume exists; DELETE
    removes a Volume at once (204). Systems listed in the config's ANVIL_RAID_IMMEDIATE support Immediate too and
    get the Volume at once (201 with its Location)."""
    import flask
    volumes, pending, lock = {}, [], threading.Lock()

    def settle():
        for item in list(pending):
            if POWER_ACTIONS.get(item['uuid'], 0) > item['power_actions']:
                pending.remove(item)
                volumes.setdefault(item['key'], []).append(item['volume'])
                item['done'] = True

    def apply_times(uuid_):
        return ['Immediate', 'OnReset'] if uuid_ in app.config.get('ANVIL_RAID_IMMEDIATE', []) else ['OnReset']

    def vol_path(identity, storage_id, vol_id):
        return '/redfish/v1/Systems/%s/Storage/%s/Volumes/%s' % (identity, storage_id, vol_id)

    def reply(body, status=200, headers=None):
        return flask.Response(json.dumps(body), status=status, headers=headers or {}, content_type='application/json')

    def collection(identity, storage_id):
        uuid_ = app.systems.uuid(identity)
        key = (uuid_, storage_id)
        with lock:
            settle()
            if flask.request.method == 'POST':
                data = flask.request.get_json(force=True) or {}
                drives = [d['@odata.id'] for d in (data.get('Links') or {}).get('Drives', [])]
                known = {d['Id']: d for d in app.drives.get_drives(uuid_, storage_id)}
                used = [known.get(p.rsplit('/', 1)[-1]) for p in drives]
                raid = data.get('RAIDType')
                if raid not in OVERHEAD or not used or None in used:
                    return reply({'error': {'code': 'Base.1.8.PropertyValueNotInList', 'message': 'RAIDType or Links.Drives is not valid',
                                            '@Message.ExtendedInfo': [{'MessageId': 'Base.1.8.PropertyValueNotInList', 'Message': 'RAIDType or Links.Drives is not valid.'}]}}, 400)
                size = data.get('CapacityBytes') or min(d['CapacityBytes'] for d in used) * (len(used) - OVERHEAD[raid](len(used)))
                vol_id = uuid.uuid4().hex[:8]
                volume = {'Id': vol_id, 'Name': data.get('Name') or 'Volume %s' % vol_id, 'RAIDType': raid, 'CapacityBytes': size,
                          'Drives': drives, 'path': vol_path(identity, storage_id, vol_id)}
                if uuid_ in app.config.get('ANVIL_RAID_IMMEDIATE', []):
                    volumes.setdefault(key, []).append(volume)
                    return reply({}, 201, {'Location': volume['path']})
                task_id = 'raid-%s' % vol_id
                pending.append({'id': task_id, 'key': key, 'uuid': uuid_, 'volume': volume, 'done': False,
                                'power_actions': POWER_ACTIONS.get(uuid_, 0)})
                TASKS[task_id] = pending[-1]
                return reply({}, 202, {'Location': '/redfish/v1/TaskService/Tasks/%s' % task_id})
            members = [{'@odata.id': v['path']} for v in volumes.get(key, [])]
        return reply({'@odata.type': '#VolumeCollection.VolumeCollection', 'Name': 'Storage Volume Collection',
                      '@odata.id': '/redfish/v1/Systems/%s/Storage/%s/Volumes' % (identity, storage_id),
                      'Members@odata.count': len(members), 'Members': members,
                      '@Redfish.OperationApplyTimeSupport': {'@odata.type': '#Settings.v1_3_3.OperationApplyTimeSupport',
                                                             'SupportedValues': apply_times(uuid_)}})

    def volume(identity, stg_id, vol_id):
        key = (app.systems.uuid(identity), stg_id)
        with lock:
            settle()
            found = [v for v in volumes.get(key, []) if v['Id'] == vol_id]
            if not found:
                return reply({'error': {'code': 'Base.1.8.ResourceMissingAtURI', 'message': 'not found'}}, 404)
            v = found[0]
            if flask.request.method == 'DELETE':
                volumes[key].remove(v)
                return flask.Response(status=204)
        return reply({'@odata.type': '#Volume.v1_6_0.Volume', '@odata.id': v['path'], 'Id': v['Id'], 'Name': v['Name'],
                      'RAIDType': v['RAIDType'], 'CapacityBytes': v['CapacityBytes'], 'Status': {'State': 'Enabled', 'Health': 'OK'},
                      'Links': {'Drives': [{'@odata.id': d} for d in v['Drives']]}})

    def task(task_id):
        with lock:
            settle()
            t = TASKS.get(task_id)
            if not t:
                return reply({'error': {'code': 'Base.1.8.ResourceMissingAtURI', 'message': 'not found'}}, 404)
            body = {'@odata.type': '#Task.v1_4_3.Task', '@odata.id': '/redfish/v1/TaskService/Tasks/%s' % task_id, 'Id': task_id,
                    'TaskState': 'Completed' if t['done'] else 'Running', 'TaskStatus': 'OK', 'Messages': []}
        return reply(body, 200 if t['done'] else 202)

    app.view_functions['volumes_collection'] = collection
    app.view_functions['volume'] = volume
    app.add_url_rule('/redfish/v1/Systems/<identity>/Storage/<stg_id>/Volumes/<vol_id>', 'anvil_volume_delete', volume, methods=['DELETE'])
    app.add_url_rule('/redfish/v1/TaskService/Tasks/<task_id>', 'anvil_task', task, methods=['GET'])


TASKS = {}


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
    extend_volumes(main.app)
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
