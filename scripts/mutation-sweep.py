#!/usr/bin/env python3
"""Mutation sweep for `liuyi check` (README "Reliability"): one change made with SQLite's
own tools to a fresh copy of the demo's record per case (every column of every table set to
NULL, a number, a blob, bad text, 1 MB, one changed character; rows deleted and added;
triggers dropped, or dropped and put back exactly; header bytes, pages, the file's length),
then `check --json`, `status`, `list` and `show`. A case is BAD when a change is not
reported (exit 0 on a record whose content digest changed) or a command stops with anything
but a report (exit 1, a panic).

    cargo build --release && python3 scripts/mutation-sweep.py [FILTER]

FILTER keeps the cases whose group or name contains it. Writes SWEEP_DIR (default
/tmp/liuyi-sweep): the demo's record, results.txt (every case with its reproduction) and
results.jsonl. LIUYI_BIN names another binary. About ten minutes on two cores.
Some cases name what the demo records (sizes 752/753, household 0001, the township's name);
a changed demo moves them to no-ops, not to false findings.
"""
import hashlib, json, os, random, shutil, sqlite3, subprocess, sys, threading, traceback
from concurrent.futures import ThreadPoolExecutor

ROOT = os.environ.get('SWEEP_DIR', '/tmp/liuyi-sweep')
BIN = os.environ.get('LIUYI_BIN', os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                               '..', 'target', 'release', 'liuyi'))
BASE = f'{ROOT}/d/qinghe.db'
KEY = f'{ROOT}/d/qinghe.key'
WORK = f'{ROOT}/w'
PFX = os.environ.get('OUT', 'results')
if not os.path.exists(BASE):
    os.makedirs(ROOT, exist_ok=True)
    subprocess.run([BIN, 'demo', '--out', f'{ROOT}/d'], check=True, capture_output=True)
RESULTS = f'{ROOT}/{PFX}.txt'
JSONL = f'{ROOT}/{PFX}.jsonl'

TABLES = ['entries', 'checkpoints', 'cosigned', 'attachments', 'matters', 'people',
          'consents', 'snapshot', 'snapshot_matters']
# column -> kind
COLS = {
    'entries': [('idx', 'int'), ('prev', 'blob'), ('leaf', 'blob'), ('bytes', 'blob')],
    'checkpoints': [('size', 'int'), ('note', 'text'), ('frontier', 'blob')],
    'cosigned': [('id', 'int'), ('size', 'int'), ('note', 'text')],
    'attachments': [('sha256', 'text'), ('size', 'int'), ('data', 'blob')],
    'matters': [('id', 'text'), ('title', 'text'), ('category', 'text'), ('stage', 'text'), ('view', 'text')],
    'people': [('household', 'text'), ('name', 'text'), ('relation', 'text'), ('sex', 'text'),
               ('birth_date', 'text'), ('party', 'text'), ('representative', 'int'),
               ('committee', 'text'), ('status', 'text')],
    'consents': [('matter', 'text'), ('round', 'int'), ('household', 'text'), ('opinion', 'text'),
                 ('signer', 'text'), ('date', 'text')],
    'snapshot': [('k', 'int'), ('size', 'int'), ('state', 'text')],
    'snapshot_matters': [('id', 'text'), ('stage', 'text'), ('state', 'text')],
}
PK = {'consents': ['matter', 'round', 'household']}
# permissive definitions: same columns/order/keys, no types, no CHECK, no NOT NULL, no STRICT
LOOSE = {
    'entries': 'CREATE TABLE entries (idx INTEGER PRIMARY KEY, prev, leaf, bytes)',
    'checkpoints': 'CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, note, frontier)',
    'cosigned': 'CREATE TABLE cosigned (id INTEGER PRIMARY KEY, size, note, UNIQUE (size, note))',
    'attachments': 'CREATE TABLE attachments (sha256 PRIMARY KEY, size, data)',
    'matters': 'CREATE TABLE matters (id PRIMARY KEY, title, category, stage, view)',
    'people': 'CREATE TABLE people (household, name, relation, sex, birth_date, party, representative, committee, status, PRIMARY KEY (household, name))',
    'consents': 'CREATE TABLE consents (matter, round, household, opinion, signer, date, PRIMARY KEY (matter, round, household)) WITHOUT ROWID',
    'snapshot': 'CREATE TABLE snapshot (k INTEGER PRIMARY KEY, size, state)',
    'snapshot_matters': 'CREATE TABLE snapshot_matters (id PRIMARY KEY, stage, state)',
}


def q(s):
    return "'" + s.replace("'", "''") + "'"


def lit(v):
    if v is None:
        return 'NULL'
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, bytes):
        return "X'" + v.hex() + "'"
    return q(v)


base = sqlite3.connect(f'file:{BASE}?mode=ro', uri=True)
SCHEMA = {r[0]: r for r in base.execute("SELECT name,type,tbl_name,rootpage,sql FROM sqlite_schema")}
TRIGGERS = {t: [(n, r[4]) for n, r in SCHEMA.items() if r[1] == 'trigger' and r[2] == t] for t in TABLES}


def stealth_pre(table, loose=True):
    s = ['PRAGMA writable_schema=ON']
    if TRIGGERS[table]:
        s.append(f"DELETE FROM sqlite_schema WHERE type='trigger' AND tbl_name={q(table)}")
    if loose:
        s.append(f"UPDATE sqlite_schema SET sql={q(LOOSE[table])} WHERE type='table' AND name={q(table)}")
    return s


def stealth_post(table, loose=True):
    s = ['PRAGMA writable_schema=ON']
    if loose:
        s.append(f"UPDATE sqlite_schema SET sql={q(SCHEMA[table][4])} WHERE type='table' AND name={q(table)}")
    for n, sql in TRIGGERS[table]:
        s.append(f"INSERT INTO sqlite_schema VALUES('trigger',{q(n)},{q(table)},0,{q(sql)})")
    return s


def drop_triggers(table):
    return [f'DROP TRIGGER {n}' for n, _ in TRIGGERS[table]]


def digest(path):
    """Logical content of the db (schema by name, every table's rows with types, pragmas)."""
    try:
        c = sqlite3.connect(f'file:{path}?mode=ro', uri=True)
        h = hashlib.sha256()
        rows = c.execute("SELECT type,name,tbl_name,sql FROM sqlite_schema ORDER BY type,name").fetchall()
        h.update(repr(rows).encode())
        h.update(repr(c.execute('PRAGMA user_version').fetchall()).encode())
        h.update(repr(c.execute('PRAGMA application_id').fetchall()).encode())
        for (t,) in c.execute("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name").fetchall():
            cols = [r[1] for r in c.execute(f'PRAGMA table_info("{t}")')]
            sel = ','.join(f'typeof("{x}"),"{x}"' for x in cols)
            for r in c.execute(f'SELECT {sel} FROM "{t}" ORDER BY 1,2,3,4,5,6'):
                h.update(repr(r).encode())
        c.close()
        return h.hexdigest()
    except Exception as e:
        return 'ERR:' + str(e)


BASE_DIGEST = digest(BASE)


def run(cmd, db, timeout=120):
    env = dict(os.environ, LIUYI_DB=db, LIUYI_KEY=KEY, LIUYI_LANG='en', RUST_BACKTRACE='0')
    try:
        p = subprocess.run([BIN] + cmd, env=env, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        return 'TIMEOUT', '', ''


def apply_sessions(path, sessions):
    errs = []
    for sess in sessions:
        c = sqlite3.connect(path, isolation_level=None)
        try:
            for st in sess:
                try:
                    c.execute(st)
                except Exception as e:
                    errs.append(f'{st[:120]} -> {e}')
                    raise
        except Exception:
            pass
        finally:
            c.close()
    return errs


def case(name, sessions=None, filefn=None, group='misc', setup=None):
    return dict(name=name, sessions=sessions or [], filefn=filefn, group=group)


lock = threading.Lock()
counter = [0]


def execute(c):
    with lock:
        counter[0] += 1
        n = counter[0]
    d = f'{WORK}/{threading.get_ident()}'
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        p = os.path.join(d, f)
        shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    db = f'{d}/v.db'
    shutil.copy(BASE, db)
    errs = apply_sessions(db, c['sessions'])
    repro = '\n'.join(';\n'.join(s) + ';' for s in c['sessions'])
    if c['filefn']:
        try:
            repro = (repro + '\n' if repro else '') + c['filefn'](db)
        except Exception as e:
            errs.append('filefn: ' + repr(e))
    dg = digest(db) if os.path.isfile(db) else 'NOFILE'
    changed = dg != BASE_DIGEST or bool(c.get('file_changed'))
    if c['filefn'] and not dg.startswith('ERR'):
        changed = dg != BASE_DIGEST
    # snapshot the mutated files so every command sees the same thing
    snap = f'{d}/snap'
    os.makedirs(snap, exist_ok=True)
    for f in os.listdir(d):
        if f.startswith('v.db'):
            p = os.path.join(d, f)
            (shutil.copytree if os.path.isdir(p) else shutil.copy)(p, os.path.join(snap, f))

    def fresh():
        for f in os.listdir(d):
            if f.startswith('v.db'):
                p = os.path.join(d, f)
                shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
        for f in os.listdir(snap):
            p = os.path.join(snap, f)
            (shutil.copytree if os.path.isdir(p) else shutil.copy)(p, os.path.join(d, f))

    rc, out, err = run(['check', '--json'], db)
    codes = []
    try:
        j = json.loads(out)
        codes = [p['code'] for p in j.get('problems', [])]
        msgs = [f"{p['code']}@{p['location']}: {p['message'][:200]}" for p in j.get('problems', [])]
    except Exception:
        msgs = []
    others = {}
    for cmd in (['status'], ['list'], ['show', '2026-001']):
        fresh()
        orc, oout, oerr = run(cmd, db)
        others[' '.join(cmd)] = (orc, oerr.strip()[:300])
    if rc == 4:
        cls = 'GOOD' if changed else 'FALSE-POSITIVE?'
    elif rc == 0:
        cls = 'BAD-UNDETECTED' if changed else 'NOOP'
    else:
        cls = f'BAD-EXIT-{rc}'
    side = [f'{k}:{v[0]}' for k, v in others.items() if v[0] not in (0,)]
    panic = any(v[0] == 101 or v[0] == 'TIMEOUT' for v in others.values())
    rec = dict(n=n, group=c['group'], name=c['name'], cls=cls, rc=rc, changed=changed,
               codes=sorted(set(codes)), msgs=msgs[:6], stderr=err.strip()[:600],
               mut_errors=errs, others=others, side_panic=panic, repro=repro[:3000])
    return rec


# ---------------------------------------------------------------- catalogue
def row_selectors(table):
    c = base
    if table in PK:
        keys = PK[table]
        rows = c.execute(f'SELECT {",".join(keys)} FROM {table} ORDER BY {",".join(keys)}').fetchall()
    else:
        rows = [(r[0],) for r in c.execute(f'SELECT rowid FROM {table} ORDER BY rowid').fetchall()]
        keys = ['rowid']
    picks = sorted(set([0, len(rows) // 2, len(rows) - 1]))
    out = []
    for i in picks:
        r = rows[i]
        where = ' AND '.join(f'{k}={lit(v)}' for k, v in zip(keys, r))
        out.append((['first', 'middle', 'last'][[0, len(rows) // 2, len(rows) - 1].index(i)], where))
    return out


def onechar_exprs(table, col, kind, where):
    v = base.execute(f'SELECT {col} FROM {table} WHERE {where}').fetchone()[0]
    res = []
    if kind == 'int':
        res.append(('plus1', f'{col}+1'))
        res.append(('minus1', f'{col}-1'))
        return res
    if v is None or len(v) == 0:
        return res
    n = len(v)
    if kind == 'text':
        positions = [('mid', n // 2 + 1)]
        # a digit near the middle (keeps JSON/structure valid)
        digs = [i for i, ch in enumerate(v) if ch.isdigit()]
        if digs:
            i = min(digs, key=lambda i: abs(i - n // 2))
            positions.append(('digit', i + 1))
        positions.append(('last', n))
        for tag, p in positions:
            ch = v[p - 1]
            new = '1' if ch == '0' else ('0' if not ch.isdigit() else str((int(ch) + 1) % 10))
            res.append((f'char-{tag}', f"substr({col},1,{p - 1}) || {q(new)} || substr({col},{p + 1})"))
    else:
        positions = [('mid', n // 2 + 1), ('first', 1), ('last', n)]
        if table == 'entries' and col == 'bytes':
            s = v.decode('utf-8', 'replace')
            digs = [i for i, ch in enumerate(v) if 0x30 <= ch <= 0x39]
            if digs:
                i = min(digs, key=lambda i: abs(i - n // 2))
                positions.append(('digit', i + 1))
        for tag, p in positions:
            b = v[p - 1]
            nb = (b ^ 1) if not (0x30 <= b <= 0x39) else (0x30 + ((b - 0x30 + 1) % 10))
            res.append((f'byte-{tag}', f"CAST(substr({col},1,{p - 1}) || X'{nb:02x}' || substr({col},{p + 1}) AS BLOB)"))
    return res


def value_exprs(kind):
    vals = [('null', 'NULL'), ('int', '42'), ('real', '3.5'), ('blob', "X'00FF'"),
            ('nonutf8', "CAST(X'FF' AS TEXT)"), ('empty', "''")]
    if kind == 'text':
        vals.append(('long', 'hex(zeroblob(500000))'))
    elif kind == 'blob':
        vals.append(('long', 'zeroblob(1000000)'))
        vals.append(('emptyblob', "X''"))
    else:
        vals.append(('long', '9223372036854775807'))
        vals.append(('neg', '-1'))
    return vals


def type_ok(kind, vname):
    """Would a STRICT, CHECKed table accept this value (roughly)?"""
    if vname in ('null', 'real'):
        return False
    if kind == 'int':
        return vname in ('int', 'long', 'neg', 'plus1', 'minus1')
    if kind == 'text':
        return vname in ('nonutf8', 'empty', 'long') or vname.startswith('char')
    if kind == 'blob':
        return vname in ('blob', 'long', 'emptyblob') or vname.startswith('byte')
    return False


def cell_cases():
    out = []
    for t in TABLES:
        for rowtag, where in row_selectors(t):
            for col, kind in COLS[t]:
                muts = value_exprs(kind) + onechar_exprs(t, col, kind, where)
                for vname, expr in muts:
                    upd = f'UPDATE {t} SET {col}={expr} WHERE {where}'
                    out.append(case(f'{t}.{col}[{rowtag}] := {vname} (stealth: schema restored)',
                                    [stealth_pre(t), [upd], stealth_post(t)], group=f'cell-stealth:{t}'))
                    if TRIGGERS[t] and type_ok(kind, vname) and rowtag != 'middle':
                        out.append(case(f'{t}.{col}[{rowtag}] := {vname} (triggers dropped)',
                                        [drop_triggers(t) + [upd]], group=f'cell-dropped:{t}'))
                    if vname in ('null', 'int', 'blob') and rowtag == 'first':
                        out.append(case(f'{t}.{col}[{rowtag}] := {vname} (loose schema left in place)',
                                        [stealth_pre(t), [upd]], group=f'cell-loose:{t}'))
    return out


def row_cases():
    out = []
    maxidx = base.execute('SELECT max(idx) FROM entries').fetchone()[0]
    for t in TABLES:
        for rowtag, where in row_selectors(t):
            d = f'DELETE FROM {t} WHERE {where}'
            out.append(case(f'{t}[{rowtag}] deleted (stealth)', [stealth_pre(t, False), [d], stealth_post(t, False)], group=f'row:{t}'))
            if TRIGGERS[t]:
                out.append(case(f'{t}[{rowtag}] deleted (triggers dropped)', [drop_triggers(t) + [d]], group=f'row:{t}'))
            cols = [c for c, _ in COLS[t]]
            key = {'entries': ('idx', ['idx+1000', f'{maxidx}+1', '-1']),
                   'checkpoints': ('size', ['size+1000', '-size']),
                   'cosigned': ('id', ['id+1000']),
                   'attachments': ('sha256', ['upper(sha256)', "substr(sha256,1,63)||'0'"]),
                   'matters': ('id', ["'2026-002'", "id||' '"]),
                   'people': ('household', ["'9999'", "household||'x'"]),
                   'consents': ('round', ['round+5']),
                   'snapshot': ('k', ['1']),
                   'snapshot_matters': ('id', ["'2026-002'"])}[t]
            kcol, kexprs = key
            for ke in kexprs:
                sel = ','.join(ke if c == kcol else c for c in cols)
                ins = f'INSERT INTO {t} SELECT {sel} FROM {t} WHERE {where}'
                out.append(case(f'{t}[{rowtag}] duplicated with {kcol}={ke} (stealth)',
                                [stealth_pre(t), [ins], stealth_post(t)], group=f'row:{t}'))
        # whole-table
        out.append(case(f'{t}: all rows deleted (stealth)', [stealth_pre(t, False), [f'DELETE FROM {t}'], stealth_post(t, False)], group=f'table:{t}'))
        out.append(case(f'{t}: DROP TABLE', [drop_triggers(t) + [f'DROP TABLE {t}']], group=f'table:{t}'))
        out.append(case(f'{t}: loose schema (no STRICT/CHECK/NOT NULL), data unchanged', [stealth_pre(t, True)[:1] + stealth_pre(t, True)[-1:]], group=f'schema:{t}'))
        out.append(case(f'{t}: ALTER TABLE ADD COLUMN', [[f'ALTER TABLE {t} ADD COLUMN extra TEXT']], group=f'schema:{t}'))
        c0 = COLS[t][-1][0]
        out.append(case(f'{t}: RENAME COLUMN {c0}', [[f'ALTER TABLE {t} RENAME COLUMN {c0} TO {c0}_x']], group=f'schema:{t}'))
        out.append(case(f'{t}: RENAME TABLE', [[f'ALTER TABLE {t} RENAME TO {t}_old']], group=f'schema:{t}'))
        out.append(case(f'{t}: extra index', [[f'CREATE INDEX extra_ix ON {t}({COLS[t][1][0]})']], group=f'schema:{t}'))
    return out


def schema_cases():
    out = []
    for n, r in SCHEMA.items():
        if r[1] != 'trigger':
            continue
        t = r[2]
        out.append(case(f'DROP TRIGGER {n} only', [[f'DROP TRIGGER {n}']], group='triggers'))
        out.append(case(f'trigger {n} neutered via writable_schema (WHEN 0)',
                        [['PRAGMA writable_schema=ON',
                          f"UPDATE sqlite_schema SET sql=replace(sql,'BEGIN SELECT RAISE','WHEN 0 BEGIN SELECT RAISE') WHERE name={q(n)}"]],
                        group='triggers'))
        out.append(case(f'trigger {n} body changed to SELECT 1 via writable_schema',
                        [['PRAGMA writable_schema=ON',
                          f"UPDATE sqlite_schema SET sql=substr(sql,1,instr(sql,'BEGIN')-1)||'BEGIN SELECT 1; END' WHERE name={q(n)}"]],
                        group='triggers'))
        out.append(case(f'trigger {n} dropped and recreated identically', [[f'DROP TRIGGER {n}', r[4]]], group='triggers'))
    out.append(case('extra trigger on matters (AFTER INSERT)', [["CREATE TRIGGER zz_extra AFTER INSERT ON matters BEGIN SELECT 1; END"]], group='triggers'))
    out.append(case('extra trigger on entries that rewrites new rows', [["CREATE TRIGGER entries_zz AFTER INSERT ON entries BEGIN UPDATE snapshot SET size=size; END"]], group='triggers'))
    out.append(case('extra trigger named like liuyi: entries_no_update2', [["CREATE TRIGGER entries_no_update2 BEFORE UPDATE ON entries BEGIN SELECT 1; END"]], group='triggers'))
    out.append(case('extra table', [['CREATE TABLE extra (x)']], group='schema'))
    out.append(case('extra view named like nothing', [['CREATE VIEW v_extra AS SELECT * FROM entries']], group='schema'))
    out.append(case('extra STRICT table with same shape', [['CREATE TABLE entries2 (idx INTEGER PRIMARY KEY, prev BLOB, leaf BLOB NOT NULL, bytes BLOB NOT NULL) STRICT']], group='schema'))
    # rootpage swaps / bogus schema
    out.append(case('rootpage of matters pointed at snapshot_matters',
                    [['PRAGMA writable_schema=ON', f"UPDATE sqlite_schema SET rootpage={SCHEMA['snapshot_matters'][3]} WHERE name='matters'"]], group='schema-hostile'))
    out.append(case('rootpage of entries pointed at checkpoints',
                    [['PRAGMA writable_schema=ON', f"UPDATE sqlite_schema SET rootpage={SCHEMA['checkpoints'][3]} WHERE name='entries'"]], group='schema-hostile'))
    out.append(case('rootpage of people pointed at 9999',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET rootpage=9999 WHERE name='people'"]], group='schema-hostile'))
    out.append(case('autoindex of attachments removed from sqlite_schema',
                    [['PRAGMA writable_schema=ON', "DELETE FROM sqlite_schema WHERE name='sqlite_autoindex_attachments_1'"]], group='schema-hostile'))
    out.append(case('sqlite_schema sql of matters made invalid SQL',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET sql='CREATE TABLE matters (' WHERE name='matters'"]], group='schema-hostile'))
    out.append(case('trigger sql made invalid SQL',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET sql='CREATE TRIGGER entries_no_update BEFORE' WHERE name='entries_no_update'"]], group='schema-hostile'))
    out.append(case('matters.id given unknown collation',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET sql=replace(sql,'id       TEXT PRIMARY KEY','id TEXT PRIMARY KEY COLLATE nosuch') WHERE name='matters'"]], group='schema-hostile'))
    out.append(case('entries column renamed in sqlite_schema only (bytes->bytez)',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET sql=replace(sql,'bytes BLOB','bytez BLOB') WHERE name='entries'"]], group='schema-hostile'))
    out.append(case('entries columns swapped in sqlite_schema (leaf<->bytes)',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET sql=replace(replace(replace(sql,'leaf  BLOB','@@'),'bytes BLOB','leaf  BLOB'),'@@','bytes BLOB') WHERE name='entries'"]], group='schema-hostile'))
    out.append(case('checkpoints columns swapped in sqlite_schema (note<->frontier names)',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET sql='CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, frontier BLOB NOT NULL, note TEXT NOT NULL) STRICT' WHERE name='checkpoints'"]], group='schema-hostile'))
    out.append(case('entries gains a generated column via sqlite_schema',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET sql=replace(sql,') STRICT',', g INTEGER GENERATED ALWAYS AS (1/0) VIRTUAL) STRICT') WHERE name='entries'"]], group='schema-hostile'))
    out.append(case('entries gains a CHECK calling an unknown function via sqlite_schema',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET sql=replace(sql,') STRICT',', CHECK (nosuchfn(idx))) STRICT') WHERE name='entries'"]], group='schema-hostile'))
    out.append(case('consents made a rowid table in sqlite_schema (WITHOUT ROWID removed)',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET sql=replace(sql,', WITHOUT ROWID','') WHERE name='consents'"]], group='schema-hostile'))
    out.append(case('schema row for entries deleted',
                    [['PRAGMA writable_schema=ON', "DELETE FROM sqlite_schema WHERE name='entries'"]], group='schema-hostile'))
    out.append(case('view named entries replacing table (table renamed)',
                    [drop_triggers('entries') + ['ALTER TABLE entries RENAME TO entries_real', 'CREATE VIEW entries AS SELECT * FROM entries_real WHERE idx < 700']], group='schema-hostile'))
    out.append(case('view named entries replacing table, triggers recreated as INSTEAD OF',
                    [drop_triggers('entries') + ['ALTER TABLE entries RENAME TO entries_real', 'CREATE VIEW entries AS SELECT * FROM entries_real']], group='schema-hostile'))
    out.append(case('temp-style shadow: matters as a view over snapshot_matters',
                    [['DROP TABLE matters', "CREATE VIEW matters(id,title,category,stage,view) AS SELECT id,'t','c',stage,state FROM snapshot_matters"]], group='schema-hostile'))
    out.append(case('attachments_no_replace dropped and user_version set to 1 (migration recreates it)',
                    [['DROP TRIGGER attachments_no_replace', 'PRAGMA user_version=1']], group='pragmas'))
    out.append(case('attachments_no_replace neutered (WHEN 0) + user_version=1',
                    [['PRAGMA writable_schema=ON', "UPDATE sqlite_schema SET sql=replace(sql,'WHEN EXISTS','WHEN 0 AND EXISTS') WHERE name='attachments_no_replace'", 'PRAGMA user_version=1']], group='pragmas'))
    return out


def pragma_cases():
    out = []
    for v in [0, 1, 3, 999, -1]:
        out.append(case(f'PRAGMA user_version={v}', [[f'PRAGMA user_version={v}']], group='pragmas'))
    for v in [0, 1, 0x6c697578, -1]:
        out.append(case(f'PRAGMA application_id={v}', [[f'PRAGMA application_id={v}']], group='pragmas'))
    out.append(case('journal_mode=WAL (no content change)', [['PRAGMA journal_mode=WAL']], group='pragmas'))
    out.append(case('VACUUM (no content change)', [['VACUUM']], group='pragmas'))
    out.append(case('page_size=4096 + VACUUM (no content change)', [['PRAGMA page_size=4096', 'VACUUM']], group='pragmas'))
    out.append(case('auto_vacuum=FULL + VACUUM (no content change)', [['PRAGMA auto_vacuum=FULL', 'VACUUM']], group='pragmas'))
    return out


PAGE = 32768


def file_cases():
    out = []
    size = os.path.getsize(BASE)
    npages = size // PAGE
    rnd = random.Random(1234)

    def overwrite(off, n, seed, note=''):
        def f(db):
            r = random.Random(seed)
            data = bytes(r.randrange(256) for _ in range(n))
            with open(db, 'r+b') as fh:
                fh.seek(off)
                fh.write(data)
            return f'# python: overwrite {n} bytes at offset {off} with random.Random({seed}) bytes {note}'
        return f

    for pg in [0, 1, 2, 5, npages // 2, npages - 2, npages - 1]:
        out.append(case(f'page {pg + 1} overwritten with random bytes', filefn=overwrite(pg * PAGE, PAGE, pg), group='file-random'))
        out.append(case(f'16 random bytes at offset {pg * PAGE + 200}', filefn=overwrite(pg * PAGE + 200, 16, 100 + pg), group='file-random'))
    for off in [0, 16, 18, 20, 24, 28, 32, 40, 44, 48, 52, 56, 60, 64, 68, 92, 96, 100, 105]:
        out.append(case(f'header bytes at {off} overwritten (4 random bytes)', filefn=overwrite(off, 4, 500 + off), group='file-header'))

    def setbytes(off, b, note):
        def f(db):
            with open(db, 'r+b') as fh:
                fh.seek(off)
                fh.write(b)
            return f'# python: write {b.hex()} at offset {off} ({note})'
        return f
    out.append(case('header: text encoding = UTF-16le (offset 56 := 2)', filefn=setbytes(56, (2).to_bytes(4, 'big'), 'text encoding'), group='file-header'))
    out.append(case('header: text encoding = UTF-16be (offset 56 := 3)', filefn=setbytes(56, (3).to_bytes(4, 'big'), 'text encoding'), group='file-header'))
    out.append(case('header: db size in pages = 1 (offset 28)', filefn=setbytes(28, (1).to_bytes(4, 'big'), 'in-header size'), group='file-header'))
    out.append(case('header: db size in pages = 10000 (offset 28)', filefn=setbytes(28, (10000).to_bytes(4, 'big'), 'in-header size'), group='file-header'))
    out.append(case('header: page size = 4096 (offset 16)', filefn=setbytes(16, (4096).to_bytes(2, 'big'), 'page size'), group='file-header'))
    out.append(case('header: schema format 5 (offset 44)', filefn=setbytes(44, (5).to_bytes(4, 'big'), 'schema format'), group='file-header'))
    out.append(case('header: freelist trunk -> page 3 (offset 32)', filefn=setbytes(32, (3).to_bytes(4, 'big'), 'freelist trunk'), group='file-header'))
    out.append(case('header: reserved bytes per page = 32 (offset 20)', filefn=setbytes(20, bytes([32]), 'reserved'), group='file-header'))
    out.append(case('header: write/read version = 2 (WAL) without wal (offset 18)', filefn=setbytes(18, bytes([2, 2]), 'wal'), group='file-header'))

    def trunc(n):
        def f(db):
            with open(db, 'r+b') as fh:
                fh.truncate(n)
            return f'# python: truncate file to {n} bytes'
        return f
    for n in [0, 1, 50, 100, 4096, PAGE, PAGE + 1, 2 * PAGE, size // 2, size - PAGE, size - 1]:
        out.append(case(f'file truncated to {n} bytes', filefn=trunc(n), group='file-trunc'))

    def append(n):
        def f(db):
            r = random.Random(n)
            with open(db, 'ab') as fh:
                fh.write(bytes(r.randrange(256) for _ in range(n)))
            return f'# python: append {n} random bytes'
        return f
    out.append(case('appended 1000 random bytes', filefn=append(1000), group='file-append'))
    out.append(case('appended one random page', filefn=append(PAGE), group='file-append'))

    def notsqlite(content):
        def f(db):
            with open(db, 'wb') as fh:
                fh.write(content)
            return f'# python: replace file with {content[:40]!r}'
        return f
    out.append(case('file replaced by text', filefn=notsqlite(b'hello, not a database\n' * 100), group='file-replace'))
    out.append(case('file is only the 100-byte header', filefn=lambda db: (open(db, 'r+b').truncate(100), '# python: truncate to 100')[1], group='file-replace'))

    def isdir(db):
        os.remove(db)
        os.mkdir(db)
        return '# python: replace db file by a directory'
    out.append(case('db path is a directory', filefn=isdir, group='file-replace'))

    def hotjournal_garbage(db):
        r = random.Random(7)
        with open(db + '-journal', 'wb') as fh:
            fh.write(bytes(r.randrange(256) for _ in range(4096)))
        return '# python: write 4096 random bytes to v.db-journal'
    out.append(case('garbage -journal next to db', filefn=hotjournal_garbage, group='file-sidecar'))

    def wal_with_mod(sql_list):
        def f(db):
            c = sqlite3.connect(db, isolation_level=None)
            c.execute('PRAGMA journal_mode=WAL')
            c.execute('PRAGMA wal_autocheckpoint=0')
            for s in sql_list:
                c.execute(s)
            # copy db + wal while connection open (no checkpoint)
            shutil.copy(db, db + '.tmp')
            shutil.copy(db + '-wal', db + '.tmp-wal')
            c.close()
            os.replace(db + '.tmp', db)
            if os.path.exists(db + '-wal'):
                os.remove(db + '-wal')
            os.replace(db + '.tmp-wal', db + '-wal')
            if os.path.exists(db + '-shm'):
                os.remove(db + '-shm')
            return '# python: PRAGMA journal_mode=WAL; wal_autocheckpoint=0; ' + '; '.join(sql_list) + '; then copy db and -wal before close (un-checkpointed WAL)'
        return f
    m = stealth_pre('matters') + ["UPDATE matters SET title='篡改' WHERE id='2026-001'"] + stealth_post('matters')
    out.append(case('modification left in un-checkpointed WAL (matters.title)', filefn=wal_with_mod(["UPDATE matters SET title='篡改' WHERE id='2026-001'"]), group='file-sidecar'))
    out.append(case('modification in WAL: entries[752] deleted', filefn=wal_with_mod(['DROP TRIGGER entries_no_delete', 'DELETE FROM entries WHERE idx=752']), group='file-sidecar'))
    return out


def leafhash(b):
    return hashlib.sha256(b'\x00' + b).digest()


def smart_cases():
    out = []
    # 1. edit last entry, keep leaf consistent
    b = base.execute('SELECT bytes FROM entries WHERE idx=752').fetchone()[0]
    nb = b.replace(b'"2026-08-18"', b'"2026-08-19"', 1)
    assert nb != b
    out.append(case('entries[752] date changed and leaf recomputed (chain consistent)',
                    [stealth_pre('entries', False), [f"UPDATE entries SET bytes={lit(nb)}, leaf={lit(leafhash(nb))} WHERE idx=752"], stealth_post('entries', False)], group='smart'))
    # 2. edit a middle entry and recompute all subsequent prev/leaf
    rows = base.execute('SELECT idx, prev, leaf, bytes FROM entries ORDER BY idx').fetchall()
    i = 376
    nb = rows[i][3].replace(b'"2026-04-06"', b'"2026-04-07"', 1)
    assert nb != rows[i][3]
    upd = []
    prev = rows[i][1]
    for j in range(i, len(rows)):
        by = nb if j == i else rows[j][3]
        lf = leafhash(by)
        upd.append(f'UPDATE entries SET prev={lit(prev)}, leaf={lit(lf)}' + (f', bytes={lit(by)}' if j == i else '') + f' WHERE idx={j}')
        prev = lf
    out.append(case('entries[376] date changed; leaf and every later prev/leaf recomputed',
                    [stealth_pre('entries', False), upd, stealth_post('entries', False)], group='smart'))
    # 3. rollback: cut log to the previous checkpoint
    sizes = [r[0] for r in base.execute('SELECT size FROM checkpoints ORDER BY size')]
    cut = sizes[-2]
    for extra, tag in [([], 'only entries+checkpoints'),
                       (['DELETE FROM cosigned'], '+cosigned deleted'),
                       (['DELETE FROM cosigned', 'DELETE FROM snapshot', 'DELETE FROM snapshot_matters'], '+cosigned, snapshot deleted'),
                       (['DELETE FROM cosigned', 'DELETE FROM snapshot', 'DELETE FROM snapshot_matters', 'DELETE FROM matters', 'DELETE FROM consents', 'DELETE FROM people'], '+all projections deleted')]:
        sess = [stealth_pre('entries', False) + stealth_post('entries', False)[:0], [f'DELETE FROM entries WHERE idx>={cut}'], stealth_post('entries', False)]
        sess = [['PRAGMA writable_schema=ON', "DELETE FROM sqlite_schema WHERE type='trigger'"],
                [f'DELETE FROM entries WHERE idx>={cut}', f'DELETE FROM checkpoints WHERE size>{cut}'] + extra,
                ['PRAGMA writable_schema=ON'] + [f"INSERT INTO sqlite_schema VALUES('trigger',{q(n)},{q(r[2])},0,{q(r[4])})" for n, r in SCHEMA.items() if r[1] == 'trigger']]
        out.append(case(f'rollback to checkpoint size {cut} ({tag})', sess, group='smart'))
    # 4. attachments: replace data with other bytes and fix size
    out.append(case('attachment motion-scan replaced by other bytes (size kept)',
                    [stealth_pre('attachments', False), ["UPDATE attachments SET data=CAST(replace(CAST(data AS TEXT),'1.2','3.4') AS BLOB) WHERE size=84"], stealth_post('attachments', False)], group='smart'))
    out.append(case('attachment sha256 and data swapped between two 44-byte attachments',
                    [stealth_pre('attachments', False),
                     ["UPDATE attachments SET data=(SELECT data FROM attachments WHERE sha256 LIKE 'db56%') WHERE sha256 LIKE 'b494%'"],
                     stealth_post('attachments', False)], group='smart'))
    # 5. projections with valid values
    out.append(case('people: a household status 在村 -> 死亡', [["UPDATE people SET status='死亡' WHERE rowid=1"]], group='smart'))
    out.append(case('people: representative flag flipped', [["UPDATE people SET representative=1-representative WHERE rowid=1"]], group='smart'))
    out.append(case('consents: one consent -> object', [["UPDATE consents SET opinion='object' WHERE matter='2026-001' AND round=1 AND household='0001'"]], group='smart'))
    out.append(case('matters.stage -> completed', [["UPDATE matters SET stage='completed'"]], group='smart'))
    out.append(case('snapshot_matters.stage -> completed', [["UPDATE snapshot_matters SET stage='completed'"]], group='smart'))
    out.append(case('matters.view: valid JSON edit (budget)', [["UPDATE matters SET view=replace(view,'32600000','32600001')"]], group='smart'))
    out.append(case('snapshot.state: valid JSON edit (village name)', [["UPDATE snapshot SET state=replace(state,'清河村','青河村')"]], group='smart'))
    out.append(case('snapshot_matters.state: valid JSON edit (amount)', [["UPDATE snapshot_matters SET state=replace(state,'32600000','32600001')"]], group='smart'))
    out.append(case('snapshot.size -> 752', [["UPDATE snapshot SET size=752"]], group='smart'))
    out.append(case('snapshot row and snapshot_matters deleted', [["DELETE FROM snapshot", "DELETE FROM snapshot_matters"]], group='smart'))
    out.append(case('people: row whose household is not in the roster added', [["INSERT INTO people VALUES('9999','张三','户主','男','1970-01-01','否',0,'','在村')"]], group='smart'))
    out.append(case('consents: all rows of round 2 deleted', [["DELETE FROM consents WHERE round=2"]], group='smart'))
    out.append(case('cosigned: note with township sig stripped', [stealth_pre('cosigned', False), ["UPDATE cosigned SET note=substr(note,1,instr(note,'— chengguan')-1)"], stealth_post('cosigned', False)], group='smart'))
    out.append(case('checkpoints: newest note replaced by previous one (size kept)', [stealth_pre('checkpoints', False), [f"UPDATE checkpoints SET note=(SELECT note FROM checkpoints WHERE size={sizes[-2]}) WHERE size={sizes[-1]}"], stealth_post('checkpoints', False)], group='smart'))
    out.append(case('entries: swap bytes of two consent entries (leafs swapped too)', [stealth_pre('entries', False), [
        "CREATE TEMP TABLE t AS SELECT idx, leaf, bytes FROM entries WHERE idx IN (100,101)",
        "UPDATE entries SET bytes=(SELECT bytes FROM t WHERE idx=101), leaf=(SELECT leaf FROM t WHERE idx=101) WHERE idx=100",
        "UPDATE entries SET bytes=(SELECT bytes FROM t WHERE idx=100), leaf=(SELECT leaf FROM t WHERE idx=100) WHERE idx=101"], stealth_post('entries', False)], group='smart'))
    out.append(case('entries.bytes stored as TEXT of same bytes (stealth)', [stealth_pre('entries'), ["UPDATE entries SET bytes=CAST(bytes AS TEXT) WHERE idx=5"], stealth_post('entries')], group='smart'))
    out.append(case('entries.idx stored as REAL-typed text ("5") (stealth)', [stealth_pre('entries'), ["UPDATE entries SET leaf=CAST(leaf AS TEXT) WHERE idx=5"], stealth_post('entries')], group='smart'))
    out.append(case('people.representative as text "1" (stealth)', [stealth_pre('people'), ["UPDATE people SET representative='1' WHERE rowid=1"], stealth_post('people')], group='smart'))
    out.append(case('consents.round as text "1" (stealth)', [stealth_pre('consents'), ["UPDATE consents SET round='1' WHERE matter='2026-001' AND round=1 AND household='0001'"], stealth_post('consents')], group='smart'))
    out.append(case('matters.stage as blob of same text (stealth)', [stealth_pre('matters'), ["UPDATE matters SET stage=CAST(stage AS BLOB)"], stealth_post('matters')], group='smart'))
    out.append(case('people.name as blob of same text (stealth)', [stealth_pre('people'), ["UPDATE people SET name=CAST(name AS BLOB) WHERE rowid=1"], stealth_post('people')], group='smart'))
    out.append(case('attachments.sha256 as blob of same text (stealth)', [stealth_pre('attachments'), ["UPDATE attachments SET sha256=CAST(sha256 AS BLOB) WHERE size=84"], stealth_post('attachments')], group='smart'))
    out.append(case('checkpoints.note with embedded NUL appended (stealth)', [stealth_pre('checkpoints'), [f"UPDATE checkpoints SET note=note||CAST(X'00' AS TEXT)||'x' WHERE size={sizes[-1]}"], stealth_post('checkpoints')], group='smart'))
    out.append(case('matters.view with embedded NUL (stealth)', [stealth_pre('matters'), ["UPDATE matters SET view=CAST(CAST(view AS BLOB)||X'00' AS TEXT)"], stealth_post('matters')], group='smart'))
    out.append(case('entries.bytes with trailing NUL and leaf recomputed', [stealth_pre('entries', False), [f"UPDATE entries SET bytes={lit(b + bytes([0]))}, leaf={lit(leafhash(b + bytes([0])))} WHERE idx=752"], stealth_post('entries', False)], group='smart'))
    bn = b + bytes([10])
    out.append(case('entries.bytes with trailing newline and leaf recomputed', [stealth_pre('entries', False), [f"UPDATE entries SET bytes={lit(bn)}, leaf={lit(leafhash(bn))} WHERE idx=752"], stealth_post('entries', False)], group='smart'))
    out.append(case('entries rowid alias: idx of last row to 10^12 (stealth)', [stealth_pre('entries', False), ['UPDATE entries SET idx=1000000000000 WHERE idx=752'], stealth_post('entries', False)], group='smart'))
    out.append(case('entries: 1000 appended copies of the last entry (stealth)', [stealth_pre('entries', False), ['WITH RECURSIVE n(i) AS (SELECT 753 UNION ALL SELECT i+1 FROM n WHERE i<1752) INSERT INTO entries SELECT i, prev, leaf, bytes FROM n, entries WHERE idx=752'], stealth_post('entries', False)], group='smart'))
    out.append(case('people: 100k extra rows', [["WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<100000) INSERT INTO people SELECT 'x'||i,'n','户主','男','1970-01-01','否',0,'','在村' FROM n"]], group='smart'))
    return out



def extra_cases():
    out = []
    sp = lambda t, body, loose=False: [stealth_pre(t, loose), body, stealth_post(t, loose)]
    out.append(case('cosigned: township signature bytes altered (one base64 char)', sp('cosigned', ["UPDATE cosigned SET note=replace(note,'GSBzUwAAAABq','GSBzUwAAAABr')"]), group='extra'))
    out.append(case('cosigned: township signature line replaced by another township name', sp('cosigned', ["UPDATE cosigned SET note=replace(note,'— chengguan.township','— other.township')"]), group='extra'))
    out.append(case('cosigned: extra fake signature line appended', sp('cosigned', ["UPDATE cosigned SET note=note||'— fake.township AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='||char(10)"]), group='extra'))
    out.append(case('cosigned: fake cosigned row for checkpoint 752 (village note copied, no township sig)', [["INSERT INTO cosigned(size,note) SELECT size,note FROM checkpoints WHERE size=752"]], group='extra'))
    out.append(case('cosigned: fake cosigned row for 752 with copied township line', [["INSERT INTO cosigned(size,note) SELECT size, note||(SELECT substr(note,instr(note,'— chengguan')) FROM cosigned) FROM checkpoints WHERE size=752"]], group='extra'))
    out.append(case('checkpoints: garbage row at size 0', [drop_triggers('checkpoints') + ["INSERT INTO checkpoints VALUES(0,'garbage',X'00')"]], group='extra'))
    out.append(case('checkpoints: garbage row at size 100 (no checkpoint there)', [drop_triggers('checkpoints') + ["INSERT INTO checkpoints VALUES(100,'garbage',X'00')"]], group='extra'))
    out.append(case('checkpoints: all but the last deleted', [drop_triggers('checkpoints') + ['DELETE FROM checkpoints WHERE size<753']], group='extra'))
    out.append(case('checkpoints: all but the last deleted (stealth, triggers restored)', sp('checkpoints', ['DELETE FROM checkpoints WHERE size<753']), group='extra'))
    out.append(case('checkpoints: size 374 note replaced by garbage (stealth)', sp('checkpoints', ["UPDATE checkpoints SET note='garbage' WHERE size=374"]), group='extra'))
    out.append(case('attachments: size column of all rows set to 0 (stealth)', sp('attachments', ['UPDATE attachments SET size=0']), group='extra'))
    out.append(case('attachments.data NULL, triggers/STRICT restored (reproduce exit 1)', sp('attachments', ['UPDATE attachments SET data=NULL WHERE size=84'], True), group='extra'))
    out.append(case('attachments.data TEXT of same bytes (stealth)', sp('attachments', ['UPDATE attachments SET data=CAST(data AS TEXT) WHERE size=84'], True), group='extra'))
    out.append(case('snapshot deleted only', [['DELETE FROM snapshot']], group='extra'))
    out.append(case('snapshot_matters deleted only', [['DELETE FROM snapshot_matters']], group='extra'))
    out.append(case('cosigned deleted (triggers dropped, left dropped)', [drop_triggers('cosigned') + ['DELETE FROM cosigned']], group='extra'))
    out.append(case('user_version=1 with entries_no_delete dropped', [['DROP TRIGGER entries_no_delete', 'PRAGMA user_version=1']], group='extra'))
    out.append(case('extra table named sqlite_stat1 (ANALYZE)', [['ANALYZE']], group='extra'))
    out.append(case('entries: last entry deleted, checkpoint 753 deleted (stealth)', [['PRAGMA writable_schema=ON', "DELETE FROM sqlite_schema WHERE type='trigger'"], ['DELETE FROM entries WHERE idx=752', 'DELETE FROM checkpoints WHERE size=753'], ['PRAGMA writable_schema=ON'] + [f"INSERT INTO sqlite_schema VALUES('trigger',{q(n)},{q(r[2])},0,{q(r[4])})" for n, r in SCHEMA.items() if r[1] == 'trigger']], group='extra'))
    return out


def main():
    only = sys.argv[1] if len(sys.argv) > 1 else None
    cases = cell_cases() + row_cases() + schema_cases() + pragma_cases() + file_cases() + smart_cases() + extra_cases()
    if only:
        cases = [c for c in cases if only in c['group'] or only in c['name']]
    print(f'{len(cases)} cases', file=sys.stderr)
    os.makedirs(WORK, exist_ok=True)
    recs = []
    with ThreadPoolExecutor(max_workers=3) as ex:
        for rec in ex.map(execute, cases):
            recs.append(rec)
            if len(recs) % 50 == 0:
                print(len(recs), file=sys.stderr)
    with open(JSONL, 'w') as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    summarize(recs)


def summarize(recs):
    from collections import Counter
    cnt = Counter(r['cls'] for r in recs)
    lines = ['COUNTS: ' + ', '.join(f'{k}={v}' for k, v in sorted(cnt.items())), '']
    side = Counter()
    for r in recs:
        for k, v in r['others'].items():
            side[(k, v[0])] += 1
    lines.append('OTHER COMMANDS exit codes: ' + ', '.join(f'{k[0]}->{k[1]}: {v}' for k, v in sorted(side.items(), key=str)))
    lines.append('')
    for r in recs:
        lines.append(f"[{r['n']}] {r['cls']} rc={r['rc']} changed={r['changed']} group={r['group']} :: {r['name']}")
        lines.append(f"    codes: {r['codes']}")
        for m in r['msgs'][:3]:
            lines.append(f'    msg: {m}')
        if r['stderr']:
            lines.append(f"    stderr: {r['stderr'][:400]}")
        if r['mut_errors']:
            lines.append(f"    mutation errors: {r['mut_errors']}")
        lines.append('    others: ' + '; '.join(f'{k}={v[0]}' + (f' ({v[1][:150]})' if v[0] not in (0,) else '') for k, v in r['others'].items()))
        lines.append('    repro: ' + r['repro'][:1500].replace('\n', '\n           '))
    with open(RESULTS, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print(lines[0])
    print(lines[2])


if __name__ == '__main__':
    main()
