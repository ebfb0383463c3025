#!/usr/bin/env python3
"""Independent verifier of a ledger export bundle, written from docs/ledger-format.md.

Usage: python3 verify_bundle.py DIR [--trusted CHECKPOINT_FILE] [--witness-key FILE] [--quorum N]

Prints "valid <size> <root base64>" and exits 0, or prints
"invalid seq=<n|-> <reason>" for the first failure and exits 1 (2 for a bad command
line). It uses only the Python standard library. Ed25519 (RFC 8032), RFC 8785
canonical JSON, and the RFC 6962 tree are written out here, so that this verdict does
not depend on any code it is meant to cross-check.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import os
import re
import sys

# ---------------------------------------------------------------------------
# Small helpers


class Invalid(Exception):
    """The bundle is invalid: `seq` names the first bad entry (or None), `reason` says why."""

    def __init__(self, seq: int | None, reason: str):
        super().__init__(reason)
        self.seq = seq
        self.reason = reason


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def b64decode_canonical(text: str) -> bytes | None:
    """Bytes of canonical padded base64, or None: the text must re-encode to itself."""
    try:
        raw = base64.b64decode(text.encode('ascii'), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    if base64.b64encode(raw).decode('ascii') != text:
        return None
    return raw


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode('ascii')


# ---------------------------------------------------------------------------
# RFC 8785 canonical JSON (ledger-format.md §3)


class NoJcsForm(Exception):
    """The value has no canonical form (lone surrogate, non-finite number)."""


def es6_number(x: float) -> str:
    """ECMAScript Number::toString of a finite double, as RFC 8785 §3.2.2.3 requires."""
    if not math.isfinite(x):
        raise NoJcsForm(f'number {x!r} has no JSON form')
    if x == 0:
        return '0'  # also -0
    sign = '-' if x < 0 else ''
    # repr gives the shortest digit string that reads back as x (ties to the closer value),
    # the same digits ECMAScript chooses; only the layout differs.
    text = repr(abs(x))
    mantissa, _, exp = text.partition('e')
    int_part, _, frac_part = mantissa.partition('.')
    digits = int_part + frac_part
    n = len(int_part) + (int(exp) if exp else 0)  # x = 0.digits × 10^n
    stripped = digits.lstrip('0')
    n -= len(digits) - len(stripped)
    s = stripped.rstrip('0')
    k = len(s)
    if k <= n <= 21:
        return sign + s + '0' * (n - k)
    if 0 < n <= 21:
        return sign + s[:n] + '.' + s[n:]
    if -6 < n <= 0:
        return sign + '0.' + '0' * (-n) + s
    e = n - 1
    exp_text = ('+' if e >= 0 else '-') + str(abs(e))
    if k == 1:
        return sign + s + 'e' + exp_text
    return sign + s[0] + '.' + s[1:] + 'e' + exp_text


SAFE_LIMIT = 2**53


def jcs_number(value: int | float) -> str:
    if isinstance(value, int):
        # JSON.parse reads every number as a double: beyond 2^53 an integer literal is
        # rounded, and from 1e21 on it is written in exponent form.
        if -SAFE_LIMIT < value < SAFE_LIMIT:
            return str(value)
        try:
            return es6_number(float(value))
        except OverflowError:
            raise NoJcsForm('number too large for a double') from None
    return es6_number(value)


def jcs_string(text: str) -> str:
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise NoJcsForm('string holds a lone surrogate')
    # Escapes '"', '\\', \b \t \n \f \r and other controls as \u00xx (lowercase); all else verbatim.
    return json.dumps(text, ensure_ascii=False)


def jcs(value: object) -> str:
    """RFC 8785 canonical text of a value parsed by parse_json."""
    if value is None:
        return 'null'
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    if isinstance(value, (int, float)):
        return jcs_number(value)
    if isinstance(value, str):
        return jcs_string(value)
    if isinstance(value, list):
        return '[' + ','.join(jcs(v) for v in value) + ']'
    if isinstance(value, dict):
        for key in value:
            jcs_string(key)  # a name with a lone surrogate has no form either
        keys = sorted(value, key=lambda k: k.encode('utf-16-be'))  # UTF-16 code-unit order
        return '{' + ','.join(jcs_string(k) + ':' + jcs(value[k]) for k in keys) + '}'
    raise NoJcsForm(f'unexpected value {value!r}')


class DuplicateName(Exception):
    pass


def _object_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, val in pairs:
        if key in out:
            raise DuplicateName(key)
        out[key] = val
    return out


def _refuse_constant(name: str) -> object:
    raise ValueError(f'{name} is not JSON')


def parse_json(text: str) -> object:
    """Strict JSON: no NaN/Infinity literals; duplicate names raise DuplicateName (never canonical)."""
    return json.loads(text, object_pairs_hook=_object_pairs, parse_constant=_refuse_constant)


# ---------------------------------------------------------------------------
# Ed25519 verification, RFC 8032 §5.1 (ledger-format.md §6.3)

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)
# Points in extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, x*y = T/Z.
IDENTITY = (0, 1, 1, 0)


def _add(p1: tuple[int, int, int, int], p2: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    x1, y1, z1, t1 = p1
    x2, y2, z2, t2 = p2
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * t1 * t2 * D % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _mul(s: int, point: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    q = IDENTITY
    while s > 0:
        if s & 1:
            q = _add(q, point)
        point = _add(point, point)
        s >>= 1
    return q


def _equal(p1: tuple[int, int, int, int], p2: tuple[int, int, int, int]) -> bool:
    x1, y1, z1, _ = p1
    x2, y2, z2, _ = p2
    return (x1 * z2 - x2 * z1) % P == 0 and (y1 * z2 - y2 * z1) % P == 0


def _recover_x(y: int, sign: int) -> int | None:
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    vxx = v * x * x % P
    if vxx == u:
        pass
    elif vxx == (-u) % P:
        x = x * SQRT_M1 % P
    else:
        return None
    if x == 0 and sign == 1:
        return None
    if x & 1 != sign:
        x = P - x
    return x


def _decode_point(raw: bytes) -> tuple[int, int, int, int] | None:
    if len(raw) != 32:
        return None
    y = int.from_bytes(raw, 'little')
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= P:  # non-canonical encoding
        return None
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % P)


_GY = 4 * pow(5, P - 2, P) % P
_GX = _recover_x(_GY, 0)
assert _GX is not None
BASE = (_GX, _GY, 1, _GX * _GY % P)


def ed25519_verify(pub: bytes, msg: bytes, sig: bytes) -> bool:
    """RFC 8032 §5.1.7 with the cofactored check; rejects S >= L, undecodable points and small-order keys."""
    if len(pub) != 32 or len(sig) != 64:
        return False
    a = _decode_point(pub)
    r = _decode_point(sig[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(sig[32:], 'little')
    if s >= L:
        return False
    if _equal(_mul(8, a), IDENTITY):  # small-order public key: no honest key is one
        return False
    k = int.from_bytes(hashlib.sha512(sig[:32] + pub + msg).digest(), 'little') % L
    left = _mul(8, _mul(s, BASE))
    right = _mul(8, _add(r, _mul(k, a)))
    return _equal(left, right)


# ---------------------------------------------------------------------------
# Signed notes and checkpoints (ledger-format.md §6)

# Unicode White_Space (Go's unicode.IsSpace).
_SPACE = re.compile('[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]')
_CONTROL_EXCEPT_NEWLINE = re.compile('[\u0000-\u0009\u000b-\u001f]')
_KEY_ID_HEX = re.compile('[0-9a-f]{8}')
_STRICT_SIZE = re.compile('0|[1-9][0-9]*')
_CHAIN_HEAD = re.compile('chain-head ([0-9a-f]{64})')
SIGNATURE_PREFIX = '\u2014 '
MAX_SIGNATURES = 100
MAX_SIZE = 2**53 - 1
EMPTY_ROOT = sha256(b'')


def valid_key_name(name: str) -> bool:
    return (
        name != ''
        and '+' not in name
        and not _SPACE.search(name)
        and not any(0xD800 <= ord(c) <= 0xDFFF for c in name)
    )


def key_id(name: str, key_bytes: bytes) -> int:
    return int.from_bytes(sha256(name.encode('utf-8') + b'\n' + key_bytes)[:4], 'big')


class LogKey:
    def __init__(self, name: str, kid: int, pub: bytes):
        self.name = name
        self.key_id = kid
        self.pub = pub


def parse_vkey(vkey: str, alg: int = 0x01) -> LogKey:
    """A `name+hex8+base64(alg‖pub)` verifier key (alg 0x01: a log key, §6.1; 0x04: a witness's
    cosignature key, §6.4); raises ValueError when any part is wrong."""
    name, _, rest = vkey.partition('+')
    id_hex, _, key64 = rest.partition('+')
    key_bytes = b64decode_canonical(key64)
    if not valid_key_name(name) or not _KEY_ID_HEX.fullmatch(id_hex) or not key_bytes:
        raise ValueError('verifier key is not name+hexid+base64')
    kid = int(id_hex, 16)
    if key_id(name, key_bytes) != kid:
        raise ValueError('verifier key id does not match the key')
    if key_bytes[0] != alg:
        raise ValueError('verifier key has an unknown algorithm')
    if len(key_bytes) != 33:
        raise ValueError('Ed25519 verifier key is not 32 bytes')
    return LogKey(name, kid, key_bytes[1:])


class Checkpoint:
    def __init__(self, origin: str, size: int, root: bytes, chain_head: bytes | None, text: str, signatures: list):
        self.origin = origin
        self.size = size
        self.root = root
        self.chain_head = chain_head
        self.text = text  # the note text: every line before the blank line, each with its \n
        self.signatures = signatures  # distinct signature lines: (name, key id, bytes after the key id)


def open_checkpoint(note_bytes: bytes, key: LogKey, what: str) -> Checkpoint:
    """Opens a signed checkpoint under the log key (§6.3) or raises Invalid(None, ...)."""

    def fail(reason: str) -> Invalid:
        return Invalid(None, f'{what}: {reason}')

    try:
        msg = note_bytes.decode('utf-8')
    except UnicodeDecodeError:
        raise fail('malformed: not valid UTF-8') from None
    if _CONTROL_EXCEPT_NEWLINE.search(msg):
        raise fail('malformed: holds a control character')
    split = msg.rfind('\n\n')
    if split < 0:
        raise fail('malformed: no blank line before the signatures')
    text = msg[: split + 1]
    block = msg[split + 2 :]
    if block == '' or not block.endswith('\n'):
        raise fail('malformed: signature block must end with a newline')
    lines = block[:-1].split('\n')
    if len(lines) > MAX_SIGNATURES:
        raise fail(f'malformed: more than {MAX_SIGNATURES} signatures')
    parsed: list[tuple[str, str, int, bytes]] = []
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise fail('malformed: line in the signature block is not a signature')
        name, space, sig64 = line[len(SIGNATURE_PREFIX) :].partition(' ')
        raw = b64decode_canonical(sig64) if space else None
        if not valid_key_name(name) or raw is None or len(raw) < 5:
            raise fail('malformed: signature line is not "— name base64"')
        parsed.append((line, name, int.from_bytes(raw[:4], 'big'), raw[4:]))
    body = text.encode('utf-8')
    verified = False
    seen: set[str] = set()
    distinct: list[tuple[str, int, bytes]] = []
    for line, name, kid, sig in parsed:
        if line in seen:
            continue
        seen.add(line)
        distinct.append((name, kid, sig))
        if name != key.name or kid != key.key_id:
            continue  # another key (a witness): not checked here
        if not ed25519_verify(key.pub, body, sig):
            raise fail('signature does not verify under the log key')
        verified = True
    if not verified:
        raise fail('carries no signature by the log key')

    cp_lines = text[:-1].split('\n')
    if len(cp_lines) < 3:
        raise fail('malformed: needs origin, size and root lines')
    origin, size_line, root_line = cp_lines[0], cp_lines[1], cp_lines[2]
    extensions = cp_lines[3:]
    if origin == '':
        raise fail('malformed: empty origin')
    if not _STRICT_SIZE.fullmatch(size_line):
        raise fail('malformed: size is not a decimal number')
    size = int(size_line)
    if size > MAX_SIZE:
        raise fail('malformed: size exceeds 2^53-1')
    root = b64decode_canonical(root_line)
    if root is None or len(root) != 32:
        raise fail('malformed: root is not base64 of 32 bytes')
    if '' in extensions:
        raise fail('malformed: empty extension line')
    if origin != key.name:
        raise fail(f'origin {origin!r} is not the log key name {key.name!r}')
    heads = [e for e in extensions if e == 'chain-head' or e.startswith('chain-head ')]
    chain_head = None
    if heads:
        match = _CHAIN_HEAD.fullmatch(heads[0]) if len(heads) == 1 else None
        if match is None:
            raise fail('chain head is malformed')
        chain_head = bytes.fromhex(match.group(1))
    if size == 0 and chain_head is not None:
        raise fail('checkpoint of an empty ledger carries a chain head')
    return Checkpoint(origin, size, root, chain_head, text, distinct)


def parse_witness_list(text: str, what: str) -> list[LogKey]:
    """A witness list (§6.4): `<cosignature verifier key>[ <url>]` a line, blank and '#' lines skipped."""
    keys: list[LogKey] = []
    for number, line in enumerate(text.split('\n'), start=1):
        line = line.strip(' \t\r')
        if line == '' or line.startswith('#'):
            continue
        try:
            key = parse_vkey(re.split('[ \t]+', line)[0], 0x04)
        except ValueError as err:
            raise Invalid(None, f'{what} line {number}: not a cosignature verifier key: {err}') from None
        if any(k.pub == key.pub for k in keys):
            raise Invalid(None, f'{what} line {number}: a witness key listed twice')
        keys.append(key)
    return keys


def check_cosignatures(cp: Checkpoint, log_key: LogKey, witnesses: list[LogKey], quorum: int) -> None:
    """Check 4a (§6.4): every line by a given witness key verifies, and at least `quorum` keys cosigned."""
    if any(w.pub == log_key.pub for w in witnesses):
        raise Invalid(None, 'a witness key is the log key: a log cannot witness itself')
    if quorum > len(witnesses):
        raise Invalid(None, f'witness quorum not met: the quorum {quorum} exceeds the {len(witnesses)} witness key(s)')
    cosigned: set[bytes] = set()
    for name, kid, sig in cp.signatures:
        witness = next((w for w in witnesses if w.name == name and w.key_id == kid), None)
        if witness is None:
            continue  # the log's line, or a key not given
        if len(sig) != 72:
            raise Invalid(None, f'cosignature by {name} is not 72 bytes')
        timestamp = int.from_bytes(sig[:8], 'big')
        if timestamp > MAX_SIZE:
            raise Invalid(None, f'cosignature by {name} has a timestamp out of range')
        message = f'cosignature/v1\ntime {timestamp}\n'.encode('utf-8') + cp.text.encode('utf-8')
        if not ed25519_verify(witness.pub, message, sig[8:]):
            raise Invalid(None, f'cosignature by {name} does not verify')
        cosigned.add(witness.pub)
    if len(cosigned) < quorum:
        raise Invalid(None, f'witness quorum not met: {len(cosigned)} valid cosignature(s), the quorum is {quorum}')


# ---------------------------------------------------------------------------
# RFC 6962 tree (ledger-format.md §5)


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b'\x01' + left + right)


class CompactRange:
    """Streaming RFC 6962 root: one perfect-subtree root per set bit of the size."""

    def __init__(self) -> None:
        self.stack: list[bytes] = []
        self.size = 0

    def push(self, leaf: bytes) -> None:
        h = leaf
        s = self.size
        while s & 1:
            h = node_hash(self.stack.pop(), h)
            s >>= 1
        self.stack.append(h)
        self.size += 1

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        h = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            h = node_hash(left, h)
        return h


# ---------------------------------------------------------------------------
# Entries (ledger-format.md §2) and the bundle (§7, §8)

UUID_RE = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')
ENTRY_KEYS = ['actor', 'at', 'id', 'ledger', 'payload', 'prev', 'schema', 'seq', 'stream', 'type', 'version']
_AT = re.compile('[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z')
_PREV = re.compile('[0-9a-f]{64}')
GENESIS_PREV = '0' * 64


def _safe_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and -SAFE_LIMIT < v < SAFE_LIMIT


def bad_entry_field(e: object) -> str | None:
    """Name of the first missing or mistyped member, or None."""
    if not isinstance(e, dict):
        return '(entry)'
    for key in ENTRY_KEYS:
        if key not in e:
            return key
    if not isinstance(e['ledger'], str):
        return 'ledger'
    if not _safe_int(e['seq']) or e['seq'] < 0:
        return 'seq'
    if not isinstance(e['id'], str) or not UUID_RE.fullmatch(e['id']):
        return 'id'
    if not isinstance(e['stream'], str) or e['stream'] == '':
        return 'stream'
    if not _safe_int(e['version']) or e['version'] < 0:
        return 'version'
    if not isinstance(e['type'], str) or e['type'] == '':
        return 'type'
    if not _safe_int(e['schema']):
        return 'schema'
    if not isinstance(e['at'], str) or not _AT.fullmatch(e['at']):
        return 'at'
    actor = e['actor']
    if not isinstance(actor, dict) or not isinstance(actor.get('id'), str) or not isinstance(actor.get('role'), str):
        return 'actor'
    if not isinstance(e['payload'], dict):
        return 'payload'
    if not isinstance(e['prev'], str) or not _PREV.fullmatch(e['prev']):
        return 'prev'
    return None


BROKEN = 'prev does not chain'
CHANGED = "entry differs from what the next entry's prev commits to"


def pending_or(seq: int, reason: str, state: dict) -> Invalid:
    """The failure at `seq`, unless a chain break is pending: that one is reported as it stands."""
    pending = state['pending']
    return Invalid(pending, BROKEN) if pending is not None else Invalid(seq, reason)


def settle(next_chains: bool, state: dict) -> Invalid:
    """Settles a chain break pending at line j: if line j+1 chains onto line j as given, line j
    is intact and entry j-1 was changed; otherwise line j itself was."""
    j = state['pending']
    return Invalid(j - 1, CHANGED) if next_chains else Invalid(j, BROKEN)


def check_line(seq: int, raw: bytes, state: dict) -> None:
    """Checks 8-19 of §8 on one line (its bytes without the newline)."""
    try:
        line = raw.decode('utf-8')
    except UnicodeDecodeError:
        raise Invalid(seq, 'line is not valid UTF-8') from None
    if line == '':
        raise Invalid(seq, 'empty line')
    try:
        value = parse_json(line)
    except DuplicateName as dup:
        raise Invalid(seq, f'line is not in JCS canonical form: duplicate member {dup}') from None
    except (ValueError, RecursionError):
        raise Invalid(seq, 'line is not valid JSON') from None
    try:
        canonical = jcs(value)
    except NoJcsForm as err:
        raise Invalid(seq, f'line has no JCS canonical form: {err}') from None
    except RecursionError:
        raise Invalid(seq, 'line has no JCS canonical form: nested too deeply') from None
    if canonical != line:
        i = 0
        while i < len(line) and i < len(canonical) and line[i] == canonical[i]:
            i += 1
        raise Invalid(seq, f'line is not in JCS canonical form, first difference at character {i}')
    bad = bad_entry_field(value)
    if bad is not None:
        raise Invalid(seq, f'field "{bad}" is missing or has the wrong type')
    assert isinstance(value, dict)
    if value['ledger'] != state['origin']:
        raise Invalid(seq, 'ledger differs from the checkpoint origin')
    if value['seq'] != seq:
        raise pending_or(seq, f'seq out of order (expected {seq}, found {value["seq"]})', state)
    expected_prev = GENESIS_PREV if state['last'] is None else state['last'].hex()
    chains = value['prev'] == expected_prev
    if state['pending'] is not None:
        raise settle(chains, state)
    if not chains:
        if seq == 0:
            raise Invalid(0, BROKEN)
        state['pending'] = seq  # entry seq-1 or this prev was changed: the next line tells which
    stream = value['stream']
    version = state['versions'].get(stream, 0)
    if value['version'] != version:
        raise pending_or(seq, f'version out of order in stream {stream!r} (expected {version}, found {value["version"]})', state)
    state['versions'][stream] = version + 1
    if seq >= state['size']:
        raise pending_or(seq, 'more lines than the checkpoint size', state)
    leaf = sha256(b'\x00' + raw)
    state['tree'].push(leaf)
    state['last'] = leaf
    trusted = state['trusted']
    if trusted is not None and seq + 1 == trusted.size and state['pending'] is None:
        if state['tree'].root() != trusted.root or (trusted.chain_head is not None and leaf != trusted.chain_head):
            raise Invalid(seq, f'entries 0..{seq} differ from the trusted checkpoint (history rewritten)')


def read_file(path: str, name: str) -> bytes:
    try:
        with open(path, 'rb') as f:
            return f.read()
    except FileNotFoundError:
        raise Invalid(None, f'bundle has no {name} file') from None


def verify(directory: str, trusted_path: str | None, witness_path: str | None = None, quorum: int | None = None) -> tuple[int, bytes]:
    """Verifies the bundle in `directory`; returns (size, root) or raises Invalid. With a witness
    list (`witness_path`, else the bundle's witnesses.vkey when a quorum is asked for) the
    checkpoint's cosignatures are checked (check 4a); the quorum defaults to 1 with a list."""
    entries = read_file(os.path.join(directory, 'entries.jsonl'), 'entries.jsonl')
    note = read_file(os.path.join(directory, 'checkpoint'), 'checkpoint')
    vkey_bytes = read_file(os.path.join(directory, 'log.vkey'), 'log.vkey')

    # Checks 1-7: the key, the checkpoint and the trusted checkpoint, before any line.
    try:
        key = parse_vkey(vkey_bytes.decode('utf-8').rstrip(' \t\r\n'))
    except (UnicodeDecodeError, ValueError) as err:
        raise Invalid(None, f'log.vkey is not a verifier key: {err}') from None
    cp = open_checkpoint(note, key, 'checkpoint')
    if witness_path is not None or quorum:
        path = witness_path if witness_path is not None else os.path.join(directory, 'witnesses.vkey')
        try:
            text = read_file(path, 'witness list').decode('utf-8')
        except UnicodeDecodeError:
            raise Invalid(None, 'the witness list is not UTF-8') from None
        check_cosignatures(cp, key, parse_witness_list(text, 'witness list'), 1 if quorum is None else quorum)
    trusted = None
    if trusted_path is not None:
        with open(trusted_path, 'rb') as f:
            trusted = open_checkpoint(f.read(), key, 'trusted checkpoint')
        if trusted.size > cp.size:
            raise Invalid(None, f'trusted checkpoint is larger than the bundle (size {trusted.size} > {cp.size})')
        if trusted.size == 0:
            if trusted.root != EMPTY_ROOT or trusted.chain_head is not None:
                raise Invalid(None, 'trusted checkpoint of size 0 is not the empty tree')
            trusted = None

    # Checks 8-20: every line, in order.
    state = {
        'origin': cp.origin,
        'size': cp.size,
        'trusted': trusted,
        'tree': CompactRange(),
        'last': None,  # leaf hash of the last line checked
        'versions': {},  # next version of each stream
        'pending': None,  # seq of a chain break not yet attributed (§8)
    }
    pieces = entries.split(b'\n')
    unterminated = pieces.pop()  # b'' when the file ends with a newline
    seq = 0
    for raw in pieces:
        check_line(seq, raw, state)
        seq += 1
    if unterminated != b'':
        check_line(seq, unterminated, state)
        raise Invalid(seq, 'last line does not end with a newline')

    # Checks 21a-23.
    if state['pending'] is not None:
        # A break at the last line: the checkpoint's chain head says whether that line is intact.
        if cp.chain_head is None:
            raise Invalid(state['pending'], BROKEN)
        raise settle(state['last'] == cp.chain_head, state)
    if seq < cp.size:
        raise Invalid(seq, f'fewer lines than the checkpoint size ({seq} < {cp.size})')
    if cp.chain_head is not None and state['last'] is not None and state['last'] != cp.chain_head:
        raise Invalid(seq - 1, 'entry differs from the checkpoint chain head')
    root = state['tree'].root()
    if root != cp.root:
        raise Invalid(None, 'root differs from the checkpoint root')
    return seq, root


USAGE = 'usage: verify_bundle.py DIR [--trusted CHECKPOINT_FILE] [--witness-key FILE] [--quorum N]'


def main(argv: list[str]) -> int:
    args = list(argv)
    options: dict[str, str] = {}
    for flag in ('--trusted', '--witness-key', '--quorum'):
        if flag in args:
            i = args.index(flag)
            if i + 1 >= len(args):
                print(USAGE, file=sys.stderr)
                return 2
            options[flag] = args[i + 1]
            del args[i : i + 2]
    quorum = options.get('--quorum')
    if len(args) != 1 or (quorum is not None and not re.fullmatch('[0-9]+', quorum)):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        size, root = verify(args[0], options.get('--trusted'), options.get('--witness-key'), None if quorum is None else int(quorum))
    except OSError as err:
        print(f'verify_bundle.py: {err}', file=sys.stderr)
        return 2
    except Invalid as bad:
        print(f'invalid seq={"-" if bad.seq is None else bad.seq} {bad.reason}')
        return 1
    print(f'valid {size} {b64(root)}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
