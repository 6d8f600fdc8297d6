#!/usr/bin/env python3
"""Validates every fixtures/*.json against fixtures/fixture.schema.json (needs `jsonschema`;
.ci/run installs it into the Schemathesis venv)."""
import glob
import json
import os
import sys

import jsonschema

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
schema = json.load(open(os.path.join(root, "fixture.schema.json")))
failed = False
for path in sorted(glob.glob(os.path.join(root, "*.json"))):
    if path.endswith("fixture.schema.json"):
        continue
    try:
        jsonschema.validate(json.load(open(path)), schema)
        print(f"valid {os.path.basename(path)}")
    except (jsonschema.ValidationError, json.JSONDecodeError) as error:
        print(f"INVALID {os.path.basename(path)}: {error}", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
