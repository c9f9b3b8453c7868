#!/usr/bin/env python3
"""Re-checks every facade under firmware/facades against the upstream nanoFramework sources in manifest.json.

For each facade file the manifest names the upstream repository, tag, commit and file, the SHA-256 of that
upstream file and the SHA-256 of the facade. This script (python3 standard library and git only):

1. gets each repository (a local mirror given with --mirror-root, else a bare clone from GitHub into a cache),
2. checks the tag still names the recorded commit and the upstream file at that commit has the recorded SHA-256,
3. checks every declaration of the facade is in that upstream file: namespace, type (kind, modifiers, bases),
   delegate, constructor, method, property, event and operator signatures token for token (parameter names and
   default values included; `extern`, `override`, `virtual`, attributes and comments ignored), enum members by
   name and, where the facade gives a value, by value (upstream expressions such as
   `DeviceTypes.I2C + (1 * ValueTypes.DeviceIndex)` are evaluated),
4. checks the facade file still has the recorded SHA-256 (so a facade edited after its last check is noticed).

--record rewrites the commit (from the tag) and both hashes in the manifest, only when every member check passed.
Exit code 0 when everything matches, 1 otherwise; each problem is printed on its own line.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "manifest.json")
IGNORED_MODIFIERS = {"extern", "override", "virtual", "new", "unsafe", "partial"}
ALIASES = {"Int32": "int", "String": "string", "Boolean": "bool", "Byte": "byte", "UInt16": "ushort",
           "UInt32": "uint", "Int64": "long", "Object": "object", "Double": "double"}
TYPE_KINDS = ("class", "struct", "interface", "enum")
TOKEN = re.compile(r'[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9A-Fa-f]+|\d+|=>|==|!=|<<|>>|"(?:\\.|[^"\\])*"|\S')


def strip_comments(text):
    """Removes // and /* */ comments, keeping string and character literals intact."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def normalize(text):
    """Comment-free, attribute-free token list; format characters (BOM, zero-width space) removed."""
    text = "".join(ch for ch in text if ch not in "\ufeff\u200b\u200c\u200d\u2060")
    text = strip_comments(text)
    text = re.sub(r"\[\s*[A-Za-z_][\w.]*\s*(\([^\]]*\))?\s*\]", " ", text)
    tokens = [ALIASES.get(t, t) for t in TOKEN.findall(text)]
    return [t for t in tokens if t not in IGNORED_MODIFIERS]


def find(haystack, needle, start=0):
    for i in range(start, len(haystack) - len(needle) + 1):
        if haystack[i:i + len(needle)] == needle:
            return i
    return -1


def evaluate(expression, known, enum_name):
    text = []
    i = 0
    while i < len(expression):
        t = expression[i]
        if re.match(r"[A-Za-z_]", t):
            name = t
            if i + 2 < len(expression) and expression[i + 1] == ".":
                name, i = t + "." + expression[i + 2], i + 2
            key = name if "." in name else enum_name + "." + name
            if key not in known:
                return None
            text.append(str(known[key]))
        elif re.fullmatch(r"0[xX][0-9A-Fa-f]+|\d+|[-+*()|&]|<<|>>", t):
            text.append(t)
        else:
            return None
        i += 1
    try:
        return int(eval(" ".join(text), {"__builtins__": {}}, {}))  # digits and operators only, checked above
    except (SyntaxError, ValueError, TypeError):
        return None


def enums_of(tokens):
    """{enum name: [(member, value or None)]} for every enum in a token list; values evaluated where possible."""
    result, known = {}, {}
    for _ in range(2):  # a second pass resolves enums that refer to enums declared after them
        i = 0
        while True:
            i = find(tokens, ["enum"], i)
            if i < 0:
                break
            name = tokens[i + 1]
            open_brace = tokens.index("{", i)
            close = tokens.index("}", open_brace)
            members, current, previous = [], [], -1
            for t in tokens[open_brace + 1:close] + [","]:
                if t != ",":
                    current.append(t)
                    continue
                if current:
                    member = current[0]
                    value = evaluate(current[2:], known, name) if len(current) > 2 and current[1] == "=" else (
                        previous + 1 if previous is not None else None)
                    known[name + "." + member] = value
                    if value is None:
                        known.pop(name + "." + member)
                    members.append((member, value))
                    previous = value
                current = []
            result[name] = members
            i = close
    return result


def check_facade(facade_text, upstream_text):
    """Problems of one facade against one upstream file (an empty list when every declaration is found)."""
    upstream = normalize(upstream_text)
    upstream_enums = enums_of(upstream)
    problems, enum_name, type_at = [], None, 0
    for raw in strip_comments(facade_text).splitlines():
        line = raw.strip()
        if not line or line in ("{", "}", "};") or line.startswith("using "):
            if line.startswith("}"):
                enum_name = None
            continue
        tokens = normalize(line)
        if tokens[0] == "namespace":
            if find(upstream, tokens) < 0:
                problems.append("namespace not upstream: " + line)
            continue
        if enum_name is not None:
            member = tokens[0]
            values = dict(upstream_enums.get(enum_name, []))
            if member not in values:
                problems.append("enum member not upstream: %s.%s" % (enum_name, member))
            elif len(tokens) > 2 and tokens[1] == "=":
                mine = evaluate([t for t in tokens[2:] if t != ","], {}, enum_name)
                if values[member] is not None and mine != values[member]:
                    problems.append("enum value differs: %s.%s = %s, upstream %s" % (enum_name, member, mine, values[member]))
            continue
        if tokens[0] != "public":
            problems.append("not a public declaration: " + line)
            continue
        kind = next((k for k in TYPE_KINDS if k in tokens and "(" not in tokens[:tokens.index(k)]), None)
        if kind is not None and "delegate" not in tokens:
            signature = tokens[:tokens.index(":")] if ":" in tokens else tokens
            at = find(upstream, signature)
            if at < 0:
                problems.append("type not upstream: " + line)
                continue
            type_at = at
            bases = tokens[tokens.index(":") + 1:] if ":" in tokens else []
            upstream_end = upstream.index("{", at)
            for base in [b for b in bases if b != ","]:
                if base not in upstream[at:upstream_end]:
                    problems.append("base type not upstream: %s on %s" % (base, signature[-1]))
            enum_name = signature[-1] if kind == "enum" else None
            continue
        signature = declaration(tokens)
        at = find(upstream, signature, type_at)
        if at < 0:
            problems.append("member not upstream: " + " ".join(signature))
        elif signature[-1] != ")" and upstream[at + len(signature)] not in ("{", "=>", ";", "="):
            problems.append("member not upstream as a property or event: " + " ".join(signature))
    return problems


def declaration(tokens):
    """The signature part of a facade member line: up to the closing parenthesis, or up to => / { / ;."""
    depth = 0
    for i, t in enumerate(tokens):
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
            if depth == 0:
                return tokens[:i + 1]
        elif depth == 0 and t in ("=>", "{", ";"):
            return tokens[:i]
    return tokens


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def git_dir(repository, mirror_root, cache):
    owner, name = repository.split("/")
    if mirror_root:
        for candidate in (os.path.join(mirror_root, owner + "+" + name, "repo"), os.path.join(mirror_root, owner, name)):
            if os.path.isdir(candidate):
                return candidate
    target = os.path.join(cache, owner + "+" + name + ".git")
    if not os.path.isdir(target):
        subprocess.run(["git", "clone", "--quiet", "--bare", "https://github.com/%s.git" % repository, target], check=True)
    return target


def git(directory, *args):
    return subprocess.run(["git", "--git-dir", directory] + list(args), check=True, capture_output=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror-root", help="folder holding <owner>+<name>/repo or <owner>/<name> git directories")
    parser.add_argument("--cache", default=os.path.join(os.path.expanduser("~"), ".cache", "healthblock-facades"))
    parser.add_argument("--record", action="store_true", help="rewrite commits and hashes in manifest.json when all checks pass")
    args = parser.parse_args()
    os.makedirs(args.cache, exist_ok=True)
    with open(MANIFEST, encoding="utf-8") as f:
        manifest = json.load(f)

    problems, checked = [], 0
    for entry in manifest["files"]:
        where = entry["facade"]
        directory = git_dir(entry["repository"], args.mirror_root, args.cache)
        try:
            tagged = git(directory, "rev-parse", entry["tag"] + "^{commit}").decode().strip()
        except subprocess.CalledProcessError:
            tagged = None
        if tagged is None:
            problems.append("%s: tag %s not in %s" % (where, entry["tag"], entry["repository"]))
        elif args.record:
            entry["commit"] = tagged
        elif tagged != entry["commit"]:
            problems.append("%s: tag %s is now commit %s, manifest says %s" % (where, entry["tag"], tagged, entry["commit"]))
        upstream = git(directory, "cat-file", "blob", "%s:%s" % (entry["commit"], entry["path"]))
        facade = open(os.path.join(HERE, where), "rb").read()
        if args.record:
            entry["upstreamSha256"], entry["facadeSha256"] = sha256(upstream), sha256(facade)
        if sha256(upstream) != entry["upstreamSha256"]:
            problems.append("%s: upstream %s has SHA-256 %s, manifest says %s" % (where, entry["path"], sha256(upstream), entry["upstreamSha256"]))
        if sha256(facade) != entry["facadeSha256"]:
            problems.append("%s: facade changed since it was last checked (run with --record after review)" % where)
        problems += ["%s: %s" % (where, p) for p in check_facade(facade.decode("utf-8"), upstream.decode("utf-8-sig"))]
        checked += 1

    for p in problems:
        print(p)
    if args.record and not any("not upstream" in p or "differs" in p or "tag " in p for p in problems):
        with open(MANIFEST, "w", encoding="utf-8", newline="\n") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        print("recorded %d facade files in manifest.json" % checked)
        return 0
    print("%d facade files checked, %d problems" % (checked, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
