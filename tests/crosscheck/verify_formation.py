#!/usr/bin/env python3
"""Independent verifier of a formation view, written from docs/ledger-format.md
("Completeness per formation").

Usage: python3 verify_formation.py VIEW.json VKEY_FILE

Prints "valid <formationId|null> asOf=<n> streams=<k> entries=<m>" and exits 0, or
"invalid seq=<n|-> stream=<name|-> <reason>" for the first failure and exits 1 (2 for a
bad command line). Standard library only; canonical JSON, Ed25519, signed notes and the
RFC 6962 tree come from verify_bundle.py, itself written from the same document.
"""

from __future__ import annotations

import json
import re
import sys

from verify_bundle import (
    CompactRange,
    DuplicateName,
    Invalid,
    NoJcsForm,
    b64decode_canonical,
    bad_entry_field,
    jcs,
    node_hash,
    open_checkpoint,
    parse_json,
    parse_vkey,
    sha256,
)

HEX64 = re.compile('[0-9a-f]{64}')
FORMAT = 'casn-formation-view/v1'


class Bad(Exception):
    def __init__(self, reason: str, seq: int | None = None, stream: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.seq = seq
        self.stream = stream


def leaf(data: bytes) -> bytes:
    return sha256(b'\x00' + data)


def mth(leaves: list[bytes]) -> bytes:
    tree = CompactRange()
    for x in leaves:
        tree.push(x)
    return tree.root()


def root_from_inclusion(index: int, size: int, leaf_hash: bytes, proof: list[bytes]) -> bytes | None:
    """RFC 9162 §2.1.3.2, as ledger-format.md §5.1 writes it."""
    if index >= size or len(leaf_hash) != 32:
        return None
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def stream_head(leaves: list[bytes]) -> bytes:
    h = bytes(32)
    for x in leaves:
        h = sha256(b'\x03' + h + x)
    return h


def code_units(s: str) -> bytes:
    return s.encode('utf-16-be')


def count(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**53


def canonical_entry(body: str) -> dict:
    try:
        value = parse_json(body)
        if jcs(value) != body:
            raise ValueError
    except (ValueError, DuplicateName, NoJcsForm, RecursionError):
        raise ValueError('is not JSON in RFC 8785 canonical form') from None
    bad = bad_entry_field(value)
    if bad is not None:
        raise ValueError(f'field "{bad}" is missing or has the wrong type')
    return value


def group_of(payload: dict) -> str | None:
    f = payload.get('formationId')
    return f if isinstance(f, str) else None


def hashes(items: object) -> list[bytes]:
    if not isinstance(items, list):
        raise Bad('the view is malformed: a proof is not a list')
    out = []
    for item in items:
        raw = b64decode_canonical(item) if isinstance(item, str) else None
        if raw is None or len(raw) != 32:
            raise Bad('the view is malformed: a proof hash is not base64 of 32 bytes')
        out.append(raw)
    return out


def verify(view: object, vkey: str) -> tuple[str | None, int, int, int]:
    # 1. Shape.
    if not isinstance(view, dict) or view.get('format') != FORMAT:
        raise Bad('the view is malformed')
    origin, formation = view.get('origin'), view.get('formationId')
    c, g, streams = view.get('commitment'), view.get('group'), view.get('streams')
    if not isinstance(origin, str) or not (formation is None or isinstance(formation, str)):
        raise Bad('the view is malformed')
    if not isinstance(c, dict) or not count(c.get('seq')) or not isinstance(c.get('body'), str):
        raise Bad('the view is malformed: commitment')
    if not isinstance(g, dict) or g.get('formationId', 0) != formation or not all(count(g.get(k)) for k in ('streams', 'entries', 'index')):
        raise Bad('the view is malformed: group')
    if not isinstance(g.get('root'), str) or not HEX64.fullmatch(g['root']) or not isinstance(streams, list):
        raise Bad('the view is malformed')

    # 2. Checkpoint.
    try:
        key = parse_vkey(vkey)
        cp = open_checkpoint(str(view.get('checkpoint')).encode('utf-8'), key, 'checkpoint')
    except ValueError as err:
        raise Bad(f'log key: {err}') from None
    except Invalid as bad:
        raise Bad(bad.reason) from None
    if cp.origin != origin:
        raise Bad('the checkpoint is of another ledger')

    # 3. Commitment.
    s = c['seq']
    try:
        e = canonical_entry(c['body'])
    except ValueError as err:
        raise Bad(f'the commitment entry {err}', s) from None
    if e['seq'] != s or e['ledger'] != origin or e['type'] != 'StreamHeadsCommitted' or e['stream'] != 'completeness':
        raise Bad('not the commitment entry', s)
    p = e['payload']
    if not all(count(p.get(k)) for k in ('asOf', 'groups', 'streams')) or not isinstance(p.get('root'), str) or not HEX64.fullmatch(p['root']):
        raise Bad('the commitment payload is malformed', s)
    as_of = p['asOf']
    if as_of > s or s >= cp.size:
        raise Bad('the commitment is out of place', s)
    if root_from_inclusion(s, cp.size, leaf(c['body'].encode('utf-8')), hashes(c.get('proof'))) != cp.root:
        raise Bad('the commitment is not included in the checkpoint', s)

    # 4. Group record.
    record = json.dumps({'entries': g['entries'], 'formationId': formation, 'root': g['root'], 'streams': g['streams']}, separators=(',', ':'), ensure_ascii=False)
    if root_from_inclusion(g['index'], p['groups'], leaf(record.encode('utf-8')), hashes(g.get('proof'))) != bytes.fromhex(p['root']):
        raise Bad('the group record is not in the commitment', s)

    # 5. Each stream on its own.
    computed: list[tuple[list[bytes], list[int]]] = []
    previous = None
    for st in streams:
        if not isinstance(st, dict) or not isinstance(st.get('stream'), str) or not count(st.get('versions')):
            raise Bad('the view is malformed: streams')
        if not isinstance(st.get('head'), str) or not HEX64.fullmatch(st['head']) or not isinstance(st.get('entries'), list):
            raise Bad('the view is malformed: streams')
        name = st['stream']
        if previous is not None and code_units(previous) >= code_units(name):
            raise Bad('streams out of order', None, name)
        previous = name
        if st['versions'] == 0:
            raise Bad('a stream with no versions', None, name)
        leaves: list[bytes] = []
        seqs: list[int] = []
        for j, item in enumerate(st['entries']):
            if not isinstance(item, dict) or not isinstance(item.get('body'), str) or not isinstance(item.get('leaf'), str) or not HEX64.fullmatch(item['leaf']):
                raise Bad('the view is malformed: entry', None, name)
            try:
                en = canonical_entry(item['body'])
            except ValueError as err:
                raise Bad(f'entry {j} {err}', None, name) from None
            q = en['seq']
            if en['ledger'] != origin:
                raise Bad('an entry of another ledger', q, name)
            if en['stream'] != name:
                raise Bad('an entry of another stream', q, name)
            if en['version'] > j:
                raise Bad(f'version {j} is missing', q, name)
            if en['version'] < j:
                raise Bad('versions out of order or repeated', q, name)
            if q >= as_of:
                raise Bad('an entry the commitment does not cover', q, name)
            if j == 0 and group_of(en['payload']) != formation:
                raise Bad('a stream of another group', q, name)
            if j > 0 and q <= seqs[-1]:
                raise Bad('seqs out of order', q, name)
            leaves.append(leaf(item['body'].encode('utf-8')))
            seqs.append(q)
        computed.append((leaves, seqs))

    # 6. Stream records against the group record.
    if len(streams) != g['streams']:
        raise Bad(f'the view lists {len(streams)} streams, the commitment {g["streams"]}', s)
    if sum(st['versions'] for st in streams) != g['entries']:
        raise Bad('the number of entries differs from the commitment', s)
    records = [leaf(json.dumps({'head': st['head'], 'stream': st['stream'], 'versions': st['versions']}, separators=(',', ':'), ensure_ascii=False).encode('utf-8')) for st in streams]
    if mth(records) != bytes.fromhex(g['root']):
        raise Bad('the streams listed differ from the commitment', s)

    # 7. Entries against their committed record.
    for st, (leaves, seqs) in zip(streams, computed):
        name = st['stream']
        if len(leaves) < st['versions']:
            raise Bad('committed entries are missing', None, name)
        if len(leaves) > st['versions']:
            raise Bad('entries that are not committed', seqs[st['versions']], name)
        if stream_head(leaves) == bytes.fromhex(st['head']):
            continue
        claimed = [bytes.fromhex(item['leaf']) for item in st['entries']]
        if stream_head(claimed) == bytes.fromhex(st['head']):
            j = next(k for k in range(len(leaves)) if leaves[k] != claimed[k])
            raise Bad('an entry differs from the committed entry', seqs[j], name)
        raise Bad('the entries differ from the committed head', None, name)

    return formation, as_of, g['streams'], g['entries']


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print('usage: verify_formation.py VIEW.json VKEY_FILE', file=sys.stderr)
        return 2
    try:
        with open(argv[0], encoding='utf-8') as f:
            text = f.read()
        with open(argv[1], encoding='utf-8') as f:
            vkey = f.read().strip()
    except OSError as err:
        print(f'verify_formation.py: {err}', file=sys.stderr)
        return 2
    try:
        try:
            view = json.loads(text)
        except ValueError:
            raise Bad('the view is not JSON') from None
        formation, as_of, streams, entries = verify(view, vkey)
    except Bad as bad:
        seq = '-' if bad.seq is None else bad.seq
        stream = '-' if bad.stream is None else bad.stream
        print(f'invalid seq={seq} stream={stream} {bad.reason}')
        return 1
    print(f'valid {"null" if formation is None else formation} asOf={as_of} streams={streams} entries={entries}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
