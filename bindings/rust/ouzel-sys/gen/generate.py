#!/usr/bin/env python3
"""Generates ouzel-sys/src/bindings.rs from the public C headers (capi/include).

    generate.py            rewrite src/bindings.rs
    generate.py --check    exit 1 (with a diff) when src/bindings.rs differs from what the headers give

Declarations come from clang's JSON AST (clang-14, installed by scripts/setup), so C types are read
by a real C parser; constants come from the headers' `#define OUZEL_... <integer>` lines. The
struct layouts are measured by compiling and running a small C program with the same compiler, and
written into the bindings as compile-time assertions: a Rust field that lands at another offset than
C's fails the build. Nothing here runs at `cargo build` time; the output is checked in.
"""

import difflib
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SYS_DIR = os.path.dirname(HERE)
REPO = os.path.abspath(os.path.join(SYS_DIR, "..", "..", ".."))
INCLUDE = os.path.join(REPO, "capi", "include")
OUTPUT = os.path.join(SYS_DIR, "src", "bindings.rs")
CLANG = os.environ.get("CLANG", "clang-14")

# Every public header, in the order the bindings list them. sys/ headers are not in ouzel.h.
HEADERS = [
    "ouzel/common.h", "ouzel/errors.h", "ouzel/version.h", "ouzel/properties.h",
    "ouzel/message.h", "ouzel/options.h", "ouzel/client.h", "ouzel/loop.h", "ouzel/events.h",
    "ouzel/topic.h", "ouzel/protocol.h", "ouzel/persistence.h", "ouzel/tls.h", "ouzel/api.h",
    "ouzel/sys/store.h",
    "ouzel/sys/transport.h",
]
# Macros that are header plumbing, not constants.
SKIP_MACROS = {"OUZEL_EXTERN", "OUZEL_BEGIN_DECLS", "OUZEL_END_DECLS"}

C_TO_RUST = {
    "void": "c_void", "char": "c_char", "int": "c_int", "unsigned int": "c_uint",
    "int8_t": "i8", "uint8_t": "u8", "int16_t": "i16", "uint16_t": "u16", "int32_t": "i32",
    "uint32_t": "u32", "int64_t": "i64", "uint64_t": "u64", "size_t": "usize",
}


def all_headers_listed():
    found = []
    for root, _, files in os.walk(INCLUDE):
        for f in files:
            if f.endswith(".h") and f != "ouzel.h":
                found.append(os.path.relpath(os.path.join(root, f), INCLUDE))
    missing = sorted(set(found) - set(HEADERS))
    if missing:
        sys.exit("generate.py: headers not listed in HEADERS: %s" % ", ".join(missing))


# --- C type strings (clang's qualType) to Rust -------------------------------------------------


def split_top_level_commas(s):
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts]


def fn_pointer_parts(t):
    """'RET (*)(ARGS)' -> (RET, [ARGS]) or None."""
    m = re.match(r"^(.*?)\s*\(\*\)\((.*)\)$", t)
    if not m:
        return None
    args = split_top_level_commas(m.group(2))
    if args == ["void"]:
        args = []
    return m.group(1).strip(), args


def rust_fn_signature(ret, args, names=None):
    params = []
    for i, a in enumerate(args):
        name = names[i] if names else "arg%d" % i
        params.append("%s: %s" % (rust_ident(name), rust_type(a)))
    sig = "(" + ", ".join(params) + ")"
    if ret.strip() != "void":
        sig += " -> " + rust_type(ret)
    return sig


def rust_type(t):
    t = t.strip()
    fp = fn_pointer_parts(t)
    if fp:
        return 'Option<unsafe extern "C" fn%s>' % rust_fn_signature(*fp)
    if t.endswith("*"):
        inner = t[:-1].rstrip()
        # What the pointer points to is const when `const` ends the inner type (`char *const`)
        # or starts a non-pointer one (`const char`); a leading `const` of a pointer type belongs
        # to the innermost level (`const char **` is a mutable pointer to `const char *`).
        if inner.endswith("const") and not re.search(r"\w$", inner[:-5]):
            return "*const " + rust_type(inner[:-5])
        if "*" not in inner and inner.startswith("const "):
            return "*const " + rust_type(inner[len("const "):])
        return "*mut " + rust_type(inner)
    t = re.sub(r"^struct ", "", t)
    if t in C_TO_RUST:
        return C_TO_RUST[t]
    if re.match(r"^ouzel_\w+$", t):
        return t
    raise SystemExit("generate.py: no Rust type for C type %r" % t)


def rust_ident(name):
    return "r#" + name if name in {"type", "ref", "fn", "mod", "move", "match", "loop"} else name


# --- Reading clang's AST -----------------------------------------------------------------------


def clang_ast():
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
        for h in HEADERS:
            f.write('#include "%s"\n' % h)
        src = f.name
    try:
        out = subprocess.run([CLANG, "-Xclang", "-ast-dump=json", "-fsyntax-only", "-std=c99",
                              "-I", INCLUDE, src], check=True, capture_output=True, text=True)
    finally:
        os.unlink(src)
    return json.loads(out.stdout)


class Located:
    """clang's JSON prints a location's file and line only when they change: follow them."""

    def __init__(self):
        self.file, self.line = None, None

    def walk(self, node):
        if isinstance(node, dict):
            if "file" in node:
                self.file = node["file"]
            if "line" in node:
                self.line = node["line"]
            for k, v in node.items():
                if k not in ("inner", "includedFrom"):
                    self.walk(v)
        elif isinstance(node, list):
            for v in node:
                self.walk(v)

    def locate(self, decl):
        """(file, line) of decl's name, then advances past the rest of decl."""
        self.walk(decl.get("loc", {}))
        where = (self.file, self.line)
        self.walk(decl.get("range", {}))
        for child in decl.get("inner", []):
            self.walk_all(child)
        return where

    def walk_all(self, node):
        self.walk({k: v for k, v in node.items() if k != "inner"})
        for child in node.get("inner", []):
            self.walk_all(child)


def header_of(path):
    path = os.path.normpath(path or "")
    marker = os.path.normpath(INCLUDE) + os.sep
    if path.startswith(marker):
        return path[len(marker):]
    if path.startswith("ouzel/"):
        return path
    return None


# --- Comments from the header text -------------------------------------------------------------


def comment_above(lines, line_no):
    """The /* ... */ block ending on the line just above `line_no` (1-based), if any."""
    i = line_no - 2
    if i < 0 or not lines[i].rstrip().endswith("*/"):
        return None
    end = i
    while i >= 0 and "/*" not in lines[i]:
        i -= 1
    if i < 0:
        return None
    if not lines[i].lstrip().startswith("/*"):
        return None  # a trailing comment of the previous declaration
    return clean_comment(lines[i:end + 1])


def comment_on_line(line):
    m = re.search(r"/\*(.*?)\*/\s*$", line)
    return m.group(1).strip() if m else None


def clean_comment(block):
    text = []
    for raw in block:
        s = raw.strip()
        if s.startswith("/*"):
            s = re.sub(r"^/\*+ ?", "", s)
        else:
            s = re.sub(r"^\* ?", "", s)
        s = re.sub(r"\s*\*+/$", "", s)
        text.append(s.rstrip())
    while text and not text[0].strip():
        text.pop(0)
    while text and not text[-1].strip():
        text.pop()
    return text


def doc_lines(text_lines, indent=""):
    """C comment text as rustdoc: kept verbatim in a `text` block (C examples are not doctests)."""
    if not text_lines:
        return []
    if len(text_lines) == 1:  # one line of prose: plain markdown, with its brackets escaped
        return [indent + "/// " + re.sub(r"([\[\]<>*])", r"\\\1", text_lines[0])]
    out = [indent + "/// ```text"]
    out += [(indent + "/// " + l).rstrip() for l in text_lines]
    out.append(indent + "/// ```")
    return out


# --- Constants ---------------------------------------------------------------------------------


def read_macros(header, lines):
    macros, i = [], 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^#define\s+(OUZEL_\w+)\b(.*)$", line)
        if not m:
            i += 1
            continue
        name, rest = m.group(1), m.group(2)
        start = i
        while rest.rstrip().endswith("\\"):
            i += 1
            rest = rest.rstrip()[:-1] + " " + lines[i].strip()
        i += 1
        comment = comment_on_line(rest)
        value = re.sub(r"/\*.*?\*/", "", rest).strip()
        if name in SKIP_MACROS or value == "" or name.endswith("_H"):
            continue
        doc = [comment] if comment else comment_above(lines, start + 1)
        macros.append((name, value, doc))
    return macros


def evaluate(value, known):
    expr = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uU]\b", r"\1", value)
    expr = re.sub(r"\b(OUZEL_\w+)\b", lambda m: str(known[m.group(1)]), expr)
    if not re.match(r"^[\s0-9a-fA-Fx()+\-*]+$", expr):
        raise SystemExit("generate.py: cannot evaluate #define value %r" % value)
    return eval(expr)  # digits, hex, parentheses and + - * only (checked above)


def constant_type(name, value):
    # Versions of structs and vtables are passed as uint32_t; so are flag words written `1u`.
    if re.search(r"[0-9][uU]\b", value):
        return "u32"
    if re.match(r"^OUZEL_(?!OPT_)\w+_VERSION$", name):
        return "u32"
    return "i32"


# --- Layout probe ------------------------------------------------------------------------------


def measure_layouts(structs):
    """sizeof, alignof and every field's offsetof, as the C compiler lays the structs out."""
    prog = ["#include <stddef.h>", "#include <stdio.h>"]
    prog += ['#include "%s"' % h for h in HEADERS]
    prog.append("int main(void) {")
    for name, fields in structs:
        prog.append('  printf("%s %%zu %%zu\\n", sizeof(%s), _Alignof(%s));' % (name, name, name))
        for f, _ in fields:
            prog.append('  printf("%s.%s %%zu\\n", offsetof(%s, %s));' % (name, f, name, f))
    prog += ["  return 0;", "}"]
    with tempfile.TemporaryDirectory() as d:
        src, exe = os.path.join(d, "layout.c"), os.path.join(d, "layout")
        with open(src, "w") as f:
            f.write("\n".join(prog) + "\n")
        subprocess.run([CLANG, "-std=c11", "-I", INCLUDE, src, "-o", exe], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    sizes, offsets = {}, {}
    for line in out.splitlines():
        parts = line.split()
        if "." in parts[0]:
            offsets[parts[0]] = int(parts[1])
        else:
            sizes[parts[0]] = (int(parts[1]), int(parts[2]))
    return sizes, offsets


# --- Output ------------------------------------------------------------------------------------


def generate():
    all_headers_listed()
    ast = clang_ast()
    texts = {}
    for h in HEADERS:
        with open(os.path.join(INCLUDE, h)) as f:
            texts[h] = f.read().splitlines()

    per_header = {h: [] for h in HEADERS}  # (kind, name, payload, doc)
    loc = Located()
    seen = set()
    for decl in ast["inner"]:
        path, line = loc.locate(decl)
        header = header_of(path)
        name = decl.get("name", "")
        if header is None or not name.startswith("ouzel_"):
            continue
        kind = decl["kind"]
        key = (kind, name)
        doc = comment_above(texts[header], line) if line else None
        if kind == "FunctionDecl":
            params = [p for p in decl.get("inner", []) if p["kind"] == "ParmVarDecl"]
            ret = decl["type"]["qualType"].split("(")[0].strip()
            args = [p["type"]["qualType"] for p in params]
            names = [p.get("name", "arg%d" % i) for i, p in enumerate(params)]
            per_header[header].append(("fn", name, (ret, args, names), doc))
        elif kind == "RecordDecl":
            fields = [(f["name"], f["type"]["qualType"]) for f in decl.get("inner", [])
                      if f["kind"] == "FieldDecl"]
            if decl.get("completeDefinition"):
                per_header[header].append(("struct", name, fields, doc))
                seen.add(("opaque", name))
            elif ("opaque", name) not in seen:
                seen.add(("opaque", name))
                per_header[header].append(("opaque", name, None, None))
        elif kind == "TypedefDecl":
            qt = decl["type"]["qualType"]
            if fn_pointer_parts(qt):
                per_header[header].append(("fnptr", name, qt, doc))
            # `typedef struct x x;` needs nothing: the Rust struct has the C name.
        if key in seen and kind != "RecordDecl":
            raise SystemExit("generate.py: %s %s declared twice" % (kind, name))
        seen.add(key)

    # A struct declared opaque in one header and defined in a later one is not opaque.
    defined = {n for h in HEADERS for k, n, _, _ in per_header[h] if k == "struct"}
    for h in HEADERS:
        per_header[h] = [e for e in per_header[h] if not (e[0] == "opaque" and e[1] in defined)]

    structs = [(n, p) for h in HEADERS for k, n, p, _ in per_header[h] if k == "struct"]
    sizes, offsets = measure_layouts(structs)

    out = [
        "// @generated by bindings/rust/ouzel-sys/gen/generate.py from capi/include; do not edit.",
        "// Regenerate with `python3 bindings/rust/ouzel-sys/gen/generate.py`; the test",
        "// tests/bindings_match_headers.rs fails when this file and the headers disagree.",
        "",
        "use core::ffi::{c_char, c_int, c_void};",
        "",
    ]
    used_uint = False
    known = {}
    for h in HEADERS:
        items, fns = [], []
        for name, value, doc in read_macros(h, texts[h]):
            known[name] = evaluate(value, known)
            ty = constant_type(name, value)
            items += doc_lines(doc)
            items.append("pub const %s: %s = %s;" % (name, ty, known[name]))
        for kind, name, payload, doc in per_header[h]:
            if kind == "opaque":
                items += [
                    "/// Opaque; only ever used behind a pointer.",
                    "#[repr(C)]",
                    "pub struct %s {" % name,
                    "    _private: [u8; 0],",
                    "    _marker: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,",
                    "}",
                ]
            elif kind == "struct":
                items += doc_lines(doc)
                items += ["#[repr(C)]", "#[derive(Debug, Copy, Clone)]", "pub struct %s {" % name]
                for fname, ftype in payload:
                    items.append("    pub %s: %s," % (rust_ident(fname), rust_type(ftype)))
                items.append("}")
                size, align = sizes[name]
                items.append("const _: () = assert!(core::mem::size_of::<%s>() == %d);" % (name, size))
                items.append("const _: () = assert!(core::mem::align_of::<%s>() == %d);" % (name, align))
                for fname, _ in payload:
                    items.append("const _: () = assert!(core::mem::offset_of!(%s, %s) == %d);"
                                 % (name, rust_ident(fname), offsets["%s.%s" % (name, fname)]))
            elif kind == "fnptr":
                items += doc_lines(doc)
                items.append("pub type %s = %s;" % (name, rust_type(payload)))
            elif kind == "fn":
                ret, args, names = payload
                used_uint = used_uint or "unsigned int" in [ret] + args
                fns += doc_lines(doc, "    ")
                fns.append("    pub fn %s%s;" % (name, rust_fn_signature(ret, args, names)))
        if not items and not fns:
            continue
        out += ["", "// ---- %s " % h + "-" * max(0, 90 - len(h)), ""]
        out += items
        if fns:
            out.append('extern "C" {')
            out += fns
            out.append("}")
    if used_uint:
        out[4] = "use core::ffi::{c_char, c_int, c_uint, c_void};"
    return "\n".join(_dedupe_blank(out)) + "\n"


def _dedupe_blank(lines):
    out = []
    for l in lines:
        if l == "" and out and out[-1] == "":
            continue
        out.append(l)
    return out


def main():
    text = generate()
    if "--check" in sys.argv[1:]:
        with open(OUTPUT) as f:
            current = f.read()
        if current != text:
            sys.stdout.writelines(difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), "src/bindings.rs (checked in)",
                "src/bindings.rs (from capi/include)"))
            print("ouzel-sys bindings are out of date: run python3 %s" % os.path.relpath(__file__, REPO))
            return 1
        return 0
    with open(OUTPUT, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
