#!/usr/bin/env python3
"""Copies include/ to DEST/include with parts the API needs taken away, to measure what each part
of a TU's compile time is (tests/bench/compile_floor.sh). Never for use: the copy breaks the API.

    cut_headers.py DEST [--from INCLUDE] [--tree RES,RES...] [--kinds N]

--from   the include/ to copy (default: the repository's; e.g. another cut copy, to cut further)

--tree   the client's resource tree keeps only these resources (SDK paths, e.g. dns.records);
         written by the generator itself, so the nodes are exactly what it emits for them
--kinds  the DNS record union (`dns::record_response`) keeps only its first N kinds
"""
import argparse
import copy
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tree_of(keep):
    """resources.hpp as the generator writes it for the resources `keep` alone: its own tree writer
    over its model with the other resources taken out."""
    sys.path.insert(0, os.path.join(ROOT, "codegen"))
    from cfgen.write_headers import HeaderWriter
    from generate import build_model

    _, model = build_model()
    unknown = keep - set(model.models)
    if unknown:
        sys.exit("cut_headers.py: no such resource: " + ", ".join(sorted(unknown)))
    cut = copy.copy(model)
    cut.models = type(model.models)((k, v) for k, v in model.models.items() if k in keep)
    outputs = {}
    HeaderWriter(cut, outputs).emit_tree()
    return outputs["include/cloudflare/resources.hpp"]


def cut_kinds(text, n):
    """`dns::record_response` with its first n kinds: the variant's alternatives and the tags."""
    start = text.index("struct record_response {\n")
    end = text.index("\n};", start)
    block = re.sub(r"(std::variant<std::monostate, )([^>]*)>",
                   lambda m: m.group(1) + ", ".join(m.group(2).split(", ")[:n]) + ">", text[start:end])
    block = re.sub(r"std::array<std::string_view, \d+> tags\{([^}]*)\}",
                   lambda m: "std::array<std::string_view, %d> tags{%s}" % (n, ", ".join(m.group(1).split(", ")[:n])), block)
    return text[:start] + block + text[end:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dest")
    ap.add_argument("--from", dest="source", default=os.path.join(ROOT, "include"))
    ap.add_argument("--tree")
    ap.add_argument("--kinds", type=int)
    a = ap.parse_args()
    inc = os.path.join(a.dest, "include")
    shutil.rmtree(inc, ignore_errors=True)
    shutil.copytree(a.source, inc)
    if a.tree:
        with open(os.path.join(inc, "cloudflare", "resources.hpp"), "w", encoding="utf-8") as fh:
            fh.write(tree_of(set(a.tree.split(","))))
    if a.kinds:
        path = os.path.join(inc, "cloudflare", "dns", "records.hpp")
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(cut_kinds(text, a.kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
