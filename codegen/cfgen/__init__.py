"""cloudflare-cpp's code generator, in stages; codegen/generate.py runs them in this order.

read_schema     reader: the schema with codegen/overlay.json applied, annotations.json, sdk-names.tsv
model           the one model, built from the readers' facts: each endpoint (Op), the structs it names
write_headers   include/cloudflare/resources.hpp, a header per resource, the aggregate headers
write_examples  include/cloudflare/testing/examples/: each endpoint's example answer
write_coverage  codegen/coverage.md
write_tests     tests/generated/: requests and answers, the secret rule, the request rules
write_sweep     tests/conformance/sweep/: every operation called with schema-valid params
outputs         the files on disk: written, or compared (--check); stale headers removed

names holds the naming and C++ spelling rules every stage shares. Readers decide nothing about
C++; writers only read the model.
"""
