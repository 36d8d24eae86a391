#!/usr/bin/env python3
"""Generates cloudflare-cpp's API headers from Cloudflare's OpenAPI schema.

Usage (from anywhere; Python 3 standard library only; deterministic):

    python3 codegen/generate.py            # regenerate everything
    python3 codegen/generate.py --check    # exit 1 if anything on disk differs

Inputs (all in codegen/):
- cloudflare-openapi-2024-08-06.json  Cloudflare's schema, unchanged.
- overlay.json                        OpenAPI Overlay 1.0 document applied to it first: what the
                                      2024 schema lacks or says wrongly.
- sdk-names.tsv                       the official Python SDK's method listing: the public names.
- annotations.json                    idempotency overrides, secret fields, the resources
                                      generated so far; each entry with its reason.

Outputs:
- codegen/openapi.overlaid.json       the schema after the overlay (what tests and Prism serve).
- codegen/coverage.md                 operations per top-level resource: total, with SDK names,
                                      generated fully typed, with a JSON-keeping member, bytes-only.
- include/cloudflare/resources.hpp    the resource tree: every node's class with member-function
                                      DECLARATIONS over forward-declared types (cheap to parse).
- include/cloudflare/<resource>.hpp   one per generated resource: its types, endpoint
                                      declarations and member-function definitions.

Special cases live in the overlay and the annotations, not in this file.
"""
import sys
from collections import OrderedDict

from cfgen import read_schema
from cfgen.model import ModelBuilder
from cfgen.outputs import write
from cfgen.write_coverage import emit_coverage
from cfgen.write_examples import emit_examples
from cfgen.write_headers import HeaderWriter
from cfgen.write_sweep import SweepWriter
from cfgen.write_tests import RequestRulesWriter, SecretTestWriter, TestWriter


class Generator:
    def __init__(self):
        self.outputs = OrderedDict()  # relative path -> text

    def run(self):
        inputs = read_schema.read()
        self.outputs["codegen/openapi.overlaid.json"] = inputs.overlaid
        self.model = ModelBuilder(inputs).build()
        m = self.model
        self.schema, self.types, self.models, self.unnamed_models = m.schema, m.types, m.models, m.unnamed_models
        self.emit()
        return self.outputs

    def emit(self):
        headers = HeaderWriter(self.model, self.outputs)
        headers.emit_tree()
        for res, ms, tree in self.headers():
            headers.emit_resource(res, ms, tree)
            emit_examples(self.model, self.outputs, res, ms)
        headers.emit_aggregates()
        emit_coverage(self.model, self.outputs)
        TestWriter(self.model, self.outputs).emit()
        SweepWriter(self.model, self.outputs).emit()
        SecretTestWriter(self.model, self.outputs).emit()
        RequestRulesWriter(self.model, self.outputs).emit()

    def headers(self):
        return self.model.headers()


def main():
    check = "--check" in sys.argv[1:]
    outputs = Generator().run()
    differ = write(outputs, check)
    if check and differ:
        print("generated files differ from the committed ones (run python3 codegen/generate.py):")
        for d in differ:
            print("  " + d)
        return 1
    print("%d files, %d changed" % (len(outputs), len(differ)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
