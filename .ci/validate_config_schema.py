"""Validates every example configuration against keyless.schema.json (JSON Schema, draft 7).

Usage: python validate_config_schema.py keyless.schema.json README.md testdata src/init.toml

The examples are the README's TOML blocks, every *.toml file under the folders given, and the
files given. Each is read with tomllib and validated; a few wrong configurations must fail, so a
schema that accepts everything does not pass.
"""

import json
import os
import re
import sys
import tomllib

import jsonschema

BAD = [
    '[rules]\nselect = "KEY"\n',
    '[rules]\nselct = ["KEY"]\n',
    '[rules.severity]\nKEY001 = "fatal"\n',
    '[per-file-ignores]\n"tests/**" = ["NOPE1"]\n',
    '[limits]\nmax-file-size = "lots"\n',
    '[[patterns]]\nid = "x"\n',
    'unknown = 1\n',
]


def examples(args):
    for arg in args:
        if arg.endswith(".md"):
            text = open(arg, encoding="utf-8").read()
            for i, block in enumerate(re.findall(r"```toml\n(.*?)```", text, re.S), 1):
                # editor snippets (Helix's languages.toml) are TOML too, not keyless configurations
                if "[language-server." not in block:
                    yield f"{arg} TOML block {i}", block
        elif os.path.isdir(arg):
            for folder, _, files in os.walk(arg):
                for name in sorted(files):
                    if name.endswith(".toml"):
                        path = os.path.join(folder, name)
                        yield path, open(path, encoding="utf-8").read()
        else:
            yield arg, open(arg, encoding="utf-8").read()


def main():
    schema_path, *args = sys.argv[1:]


    schema = json.load(open(schema_path, encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    n = 0
    for name, text in examples(args):
        errors = sorted(validator.iter_errors(tomllib.loads(text)), key=str)
        if errors:
            sys.exit(f"{name}: does not match {schema_path}: {errors[0].message}")
        n += 1
    if n < 4:
        sys.exit(f"only {n} example configurations found")
    for text in BAD:
        if validator.is_valid(tomllib.loads(text)):
            sys.exit(f"the schema accepts a wrong configuration: {text!r}")
    print(f"config schema: {n} example configurations valid, {len(BAD)} wrong ones rejected")


if __name__ == "__main__":
    main()
