#!/usr/bin/env python3
"""Generates cloudflare-cpp's API headers from Cloudflare's OpenAPI schema.

Usage (from anywhere; Python 3 standard library only; deterministic):

    python3 codegen/generate.py            # regenerate everything
    python3 codegen/generate.py --check    # exit 1 if anything on disk differs

The stages live in the package codegen/cfgen/ and run in this order (generate() below):
readers turn the inputs into facts (read_schema.py); the model builder joins them into one
model (model.py); the writers read that model, never change it, and each produce some outputs
(write_*.py); outputs.py compares them with the files on disk and writes them. cfgen/__init__.py
lists the modules.

Inputs (all in codegen/, read by cfgen/read_schema.py):
- cloudflare-openapi-2024-08-06.json  Cloudflare's schema, unchanged.
- overlay.json                        OpenAPI Overlay 1.0 document applied to it first: what the
                                      2024 schema lacks or says wrongly.
- sdk-names.tsv                       the official Python SDK's method listing: the public names.
- annotations.json                    idempotency overrides, secret fields, the resources
                                      generated so far; each entry with its reason.

Outputs (and the module that writes each):
- codegen/openapi.overlaid.json       the schema after the overlay (what tests and Prism serve);
                                      read_schema.
- codegen/coverage.md                 operations per top-level resource: total, with SDK names,
                                      generated fully typed, with a JSON-keeping member,
                                      bytes-only; write_coverage.
- include/cloudflare/resources.hpp    the resource tree: every node's class with member-function
                                      DECLARATIONS over forward-declared types (cheap to parse);
                                      write_headers.
- include/cloudflare/<resource>.hpp   one per generated resource: its types, endpoint
                                      declarations and member-function definitions; write_headers.
- include/cloudflare/testing/examples/<resource>.hpp
                                      each endpoint's example answer; write_examples.
- tests/generated/test_*.cpp          requests and example answers checked, the secret rule, the
                                      request rules; write_tests.
- tests/conformance/sweep/ops_*.cpp, parts.hpp
                                      every operation called with schema-valid params; write_sweep.

Special cases live in the overlay and the annotations, not in the code.
"""
import sys
from collections import OrderedDict

from cfgen import read_schema, read_sdk
from cfgen.model import ModelBuilder
from cfgen.outputs import write
from cfgen.write_api import emit_api
from cfgen.write_coverage import emit_coverage
from cfgen.write_examples import emit_examples
from cfgen.write_headers import HeaderWriter
from cfgen.write_sweep import SweepWriter
from cfgen.write_tests import RequestRulesWriter, SecretTestWriter, TestWriter


def build_model():
    """The readers, then the model: (schema reader's inputs, Model)."""
    sdk = read_sdk.read()
    # The SDK's methods whose routes the schema lacks join the document as derived operations.
    inputs = read_schema.read(extend=lambda doc, flatten: read_sdk.Deriver(sdk).derive(doc, flatten))
    return inputs, ModelBuilder(inputs, sdk).build()


def generate():
    """Every output: path from the repository's root -> text, in the order written and reported."""
    inputs, model = build_model()
    outputs = OrderedDict()
    outputs["codegen/openapi.overlaid.json"] = inputs.overlaid
    headers = HeaderWriter(model, outputs)
    headers.emit_tree()
    for res, ms, tree in model.headers():
        headers.emit_resource(res, ms, tree)
        emit_examples(model, outputs, res, ms)  # each beside its resource's header, as always listed
    headers.emit_aggregates()
    emit_coverage(model, outputs)
    emit_api(model, outputs)
    TestWriter(model, outputs).emit()
    SweepWriter(model, outputs).emit()
    SecretTestWriter(model, outputs).emit()
    RequestRulesWriter(model, outputs).emit()
    return outputs


def main():
    check = "--check" in sys.argv[1:]
    outputs = generate()
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
