#!/usr/bin/env python3
"""oslo.config's own reading of files, for the differential tests.

Usage: oslo_read.py FILE...   (needs oslo.config)
Prints one JSON object: {FILE: {"ok": true, "sections": {SECTION: {KEY: VALUE}}}
                         or {"ok": false, "error": str, "line": N or null}}
SECTION is the group name oslo.config looks up (lower-cased except DEFAULT),
VALUE the effective value of a single-valued option (the last assignment).
"""
import json
import sys

from oslo_config import cfg


def read(path):
    sections, normalized = {}, {}
    parser = cfg.ConfigParser(path, sections)
    parser._add_normalized(normalized)
    try:
        parser.parse()
    except cfg.ParseError as e:
        return {"ok": False, "error": str(e), "line": e.lineno}
    except Exception as e:  # UnicodeDecodeError and friends
        return {"ok": False, "error": f"{type(e).__name__}: {e}", "line": None}
    return {
        "ok": True,
        "sections": {s: {k: v[-1] for k, v in opts.items()} for s, opts in normalized.items()},
    }


print(json.dumps({p: read(p) for p in sys.argv[1:]}, ensure_ascii=False))
