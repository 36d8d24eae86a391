#!/usr/bin/env python3
"""Copies include/ to DEST/include with parts the API needs taken away, to measure what each part
of a TU's compile time is (tests/bench/compile_floor.sh). Never for use: the copy breaks the API.

    cut_headers.py DEST [--tree RES,RES...] [--kinds N]

--tree   the client's resource tree keeps only these resources (SDK paths, e.g. dns.records);
         written by the generator itself, so the nodes are exactly what it emits for them
--kinds  the DNS record union (`dns::record_response`) keeps only its first N kinds
"""
import argparse
import importlib.util
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tree_of(keep):
    spec = importlib.util.spec_from_file_location("generate", os.path.join(ROOT, "codegen", "generate.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)

    class Cut(gen.Generator):
        text = None

        def emit_tree(self):
            # Emit the cut tree, keep its text, then the full one (the rest of the run needs it).
            full = self.models
            self.models = type(full)((k, v) for k, v in full.items() if k in keep)
            super().emit_tree()
            Cut.text = self.outputs["include/cloudflare/resources.hpp"]
            self.models = full
            super().emit_tree()

    g = Cut()
    g.run()
    unknown = keep - set(g.models)
    if unknown:
        sys.exit("cut_headers.py: no such resource: " + ", ".join(sorted(unknown)))
    return Cut.text


def cut_kinds(text, n):
    m = re.search(r"(struct record_response \{\n.*?std::variant<std::monostate, )([^>]*)(> value;)", text, re.S)
    kinds = [k.strip() for k in m.group(2).split(",")]
    text = text[:m.start(2)] + ", ".join(kinds[:n]) + text[m.end(2):]
    t = re.search(r"static constexpr std::array<std::string_view, (\d+)> tags\{([^}]*)\};", text[m.start():])
    tags = [x.strip() for x in t.group(2).split(",")]
    start = m.start() + t.start()
    return text[:start] + "static constexpr std::array<std::string_view, %d> tags{%s};" % (n, ", ".join(tags[:n])) + \
        text[m.start() + t.end():]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dest")
    ap.add_argument("--tree")
    ap.add_argument("--kinds", type=int)
    a = ap.parse_args()
    inc = os.path.join(a.dest, "include")
    shutil.rmtree(inc, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "include"), inc)
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
