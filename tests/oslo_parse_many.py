#!/usr/bin/env python3
"""oslo.config's own parse of many files in one process (for the
differential property test): reads file paths, one per line, on stdin and
prints one JSON object per file, in order, on stdout.

  {"ok": true, "normalized": {section: {key: [value, ...]}}}
  {"ok": false, "kind": "parse", "lineno": N}       # cfg.ParseError
  {"ok": false, "kind": "decode", "position": P}    # UnicodeDecodeError
"""
import json
import sys

from oslo_config import cfg, iniparser


def parse(path):
    sections, normalized = {}, {}
    p = cfg.ConfigParser(path, sections)
    p._add_normalized(normalized)
    try:
        p.parse()
    except iniparser.ParseError as e:
        return {"ok": False, "kind": "parse", "lineno": e.lineno}
    except UnicodeDecodeError as e:
        return {"ok": False, "kind": "decode", "position": e.start}
    return {"ok": True, "normalized": normalized}


for line in sys.stdin:
    print(json.dumps(parse(line.rstrip("\n")), ensure_ascii=False))
