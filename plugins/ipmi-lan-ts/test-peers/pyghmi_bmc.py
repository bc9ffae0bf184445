#!/usr/bin/python3
"""A small BMC for tests, built on pyghmi's server classes (pyghmi.ipmi.bmc.Bmc).

It keeps power and boot-flag state in memory and mirrors it to a JSON file after every change, so a test can
check what a client did independently of what the client reads back. pyghmi's server only speaks cipher suite 3;
this adds suite 17 (HMAC-SHA256 RAKP, HMAC-SHA256-128 integrity, AES-CBC-128) by choosing the hash per session.

usage: pyghmi_bmc.py --port N --state FILE [--user admin --password password] [--soft-ignored] [--kg-hex HEX]
Prints "READY <port>" once listening.
"""
import argparse
import hashlib
import hmac
import json
import os
import struct
import sys

import pyghmi.ipmi.bmc as bmc
import pyghmi.ipmi.private.constants as constants
import pyghmi.ipmi.private.serversession as ss

SUITES = {(1, 1, 1): ('sha1', 12), (3, 4, 1): ('sha256', 16)}


def _open_response(self, request):
    clienttag = request[0]
    self.clientsessionid = request[4:8]
    self.managedsessionid = os.urandom(4)
    self.privlevel = 4
    algs = (request[12] & 0x3f, request[20] & 0x3f, request[28] & 0x3f)
    if algs not in SUITES:
        # status 0x11: no cipher suite match; answer tag, status, reserved, console session id
        return bytearray([clienttag, 0x11, 0, 0]) + self.clientsessionid
    name, icvlen = SUITES[algs]
    self.authhash = getattr(hashlib, name)
    self.currhashlib = self.authhash
    self.currhashlen = icvlen
    self.icvlen = icvlen
    auth, integ, conf = algs
    return (bytearray([clienttag, 0, self.privlevel, 0]) + self.clientsessionid + self.managedsessionid
            + bytearray([0, 0, 0, 8, auth, 0, 0, 0, 1, 0, 0, 8, integ, 0, 0, 0, 2, 0, 0, 8, conf, 0, 0, 0]))


def _got_rakp1(self, data):
    clienttag = data[0]
    self.Rm = data[8:24]
    self.rolem = data[24]
    self.maxpriv = self.rolem & 0b111
    namepresent = data[27]
    if namepresent == 0:
        return
    self.username = bytes(data[28:])
    if self.username.decode('utf-8') not in self.authdata:
        # unknown user: RMCP+ status 0x0d, unauthorized name
        self.send_payload(bytearray([clienttag, 0x0d, 0, 0]) + self.clientsessionid,
                          constants.payload_types['rakp2'], retry=False)
        return
    self.uuiddata = self.uuid.bytes
    self.Rc = os.urandom(16)
    hmacdata = (self.clientsessionid + self.managedsessionid + self.Rm + self.Rc + self.uuiddata
                + bytearray([self.rolem, len(self.username)]) + self.username)
    self.kuid = self.authdata[self.username.decode('utf-8')].encode('utf-8')
    if self.kg is None:
        self.kg = self.kuid
    authcode = hmac.new(self.kuid, bytes(hmacdata), self.authhash).digest()
    msg = bytearray([clienttag, 0, 0, 0]) + self.clientsessionid + self.Rc + self.uuiddata + authcode
    self.send_payload(msg, constants.payload_types['rakp2'], retry=False)


def _got_rakp3(self, data):
    rolename = struct.pack('2B', self.rolem, len(self.username)) + self.username
    self.sik = hmac.new(self.kg, bytes(self.Rm + self.Rc) + rolename, self.authhash).digest()
    self.k1 = hmac.new(self.sik, b'\x01' * 20, self.authhash).digest()
    self.k2 = hmac.new(self.sik, b'\x02' * 20, self.authhash).digest()
    self.aeskey = self.k2[0:16]
    expected = hmac.new(self.kuid, bytes(self.Rc + self.clientsessionid) + rolename, self.authhash).digest()
    clienttag = data[0]
    if data[1] != 0:
        return
    if expected != bytes(data[8:]):
        # RMCP+ status 0x0f: invalid integrity check value
        self.send_payload(bytearray([clienttag, 0x0f, 0, 0]) + self.clientsessionid,
                          constants.payload_types['rakp4'], retry=False)
        return
    self.localsid = struct.unpack('<I', self.managedsessionid)[0]
    self.ipmicallback = self.handle_client_request
    self._send_rakp4(clienttag, 0)


def _send_rakp4(self, tagvalue, statuscode):
    payload = bytearray([tagvalue, statuscode, 0, 0]) + self.clientsessionid
    icv = hmac.new(self.sik, bytes(self.Rm + self.managedsessionid + self.uuiddata), self.authhash).digest()
    payload += icv[:self.icvlen]
    self.send_payload(payload, constants.payload_types['rakp4'], retry=False)
    self.confalgo = 'aes'
    self.integrityalgo = 'sha1'  # pyghmi's flag for "integrity on"; the hash is currhashlib
    self.sequencenumber = 1
    self.sessionid = struct.unpack('<I', struct.pack('4B', *self.clientsessionid))[0]


ss.ServerSession.create_open_session_response = _open_response
ss.ServerSession._got_rakp1 = _got_rakp1
ss.ServerSession._got_rakp3 = _got_rakp3
ss.ServerSession._send_rakp4 = _send_rakp4

DEVICES = {0: 'none', 1: 'pxe', 2: 'disk', 3: 'safe', 4: 'diag', 5: 'cdrom', 6: 'bios', 15: 'floppy'}


class TestBmc(bmc.Bmc):
    def __init__(self, authdata, port, statefile, soft_ignored):
        super().__init__(authdata, port=port, address='127.0.0.1')
        self.statefile = statefile
        self.soft_ignored = soft_ignored
        self.state = {'power': 'off', 'boot': {'device': 'none', 'persistent': False, 'efi': False, 'valid': False},
                      'actions': [], 'identify': 0}
        self.save()

    def save(self):
        tmp = self.statefile + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(self.state, f)
        os.replace(tmp, self.statefile)

    def act(self, name, power=None):
        self.state['actions'].append(name)
        if power is not None:
            self.state['power'] = power
        self.save()
        return 0

    def get_power_state(self):
        return self.state['power']

    def power_on(self):
        return self.act('on', 'on')

    def power_off(self):
        return self.act('off', 'off')

    def power_cycle(self):
        # like a real BMC: cycling a powered-off chassis is refused (0xd5)
        if self.state['power'] == 'off':
            return 0xd5
        return self.act('cycle', 'on')

    def power_reset(self):
        return self.act('reset', 'on')

    def pulse_diag(self):
        return self.act('diag')

    def power_shutdown(self):
        if self.soft_ignored:
            return self.act('soft-ignored')
        return self.act('soft', 'off')

    def is_active(self):
        return self.state['power'] == 'on'

    def get_system_boot_options(self, request, session):
        if request['data'][0] != 5:
            return session.send_ipmi_response(code=0x80)
        b = self.state['boot']
        sel = [k for k, v in DEVICES.items() if v == b['device']][0]
        flags = (0x80 if b['valid'] else 0) | (0x40 if b['persistent'] else 0) | (0x20 if b['efi'] else 0)
        session.send_ipmi_response(data=[1, 5, flags, sel << 2, 0, 0, 0])

    def set_system_boot_options(self, request, session):
        data = request['data']
        if data[0] in (0, 3, 4):
            self.state['actions'].append('bootparam-%d' % data[0])
            self.save()
            return session.send_ipmi_response()
        if data[0] != 5 or len(data) < 3:
            return session.send_ipmi_response(code=0xcc)
        sel = (data[2] >> 2) & 0x0f
        if sel not in DEVICES:
            return session.send_ipmi_response(code=0xcc)
        self.state['boot'] = {'device': DEVICES[sel], 'persistent': bool(data[1] & 0x40),
                              'efi': bool(data[1] & 0x20), 'valid': bool(data[1] & 0x80)}
        self.save()
        session.send_ipmi_response()

    def handle_raw_request(self, request, session):
        if request['netfn'] == 0x30 and request['command'] == 0x01:  # OEM test hook: always "node busy"
            return session.send_ipmi_response(code=0xc0)
        if request['netfn'] == 0 and request['command'] == 4:  # chassis identify
            data = request['data']
            self.state['identify'] = 255 if (len(data) > 1 and data[1] & 1) else (data[0] if data else 15)
            self.save()
            return session.send_ipmi_response()
        return super().handle_raw_request(request, session)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--state', required=True)
    ap.add_argument('--user', default='admin')
    ap.add_argument('--password', default='password')
    ap.add_argument('--soft-ignored', action='store_true')
    ap.add_argument('--kg-hex', help='BMC key Kg, hex')
    a = ap.parse_args()
    b = TestBmc({a.user: a.password}, a.port, a.state, a.soft_ignored)
    if a.kg_hex:
        b.set_kg(bytes.fromhex(a.kg_hex))
    print('READY %d' % a.port, flush=True)
    sys.stdout.flush()
    b.listen()


if __name__ == '__main__':
    main()
