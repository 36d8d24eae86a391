#!/usr/bin/env python3
"""The conformance sweep's report: reads the driver's log (one JSON object per line), explains
every miss by a cause from sweep_causes.json (a pattern over what Prism said, and a check that the
operation's schema has that defect), and writes the per-resource report.

    sweep_report.py LOG SCHEMA REPORT [--check]

--check compares with the committed REPORT instead of writing it. Exits 1 on an unexplained miss,
on a spoiled request that was accepted for no schema cause, or (with --check) when the report differs."""
import json
import os
import re
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
METHODS = ("get", "post", "put", "patch", "delete", "head")


class Schema:
    def __init__(self, doc):
        self.doc = doc

    def resolve(self, s, depth=0):
        while isinstance(s, dict) and "$ref" in s and depth < 50:
            node = self.doc
            for step in s["$ref"].lstrip("#").strip("/").split("/"):
                node = node.get(step.replace("~1", "/").replace("~0", "~"), {})
            s, depth = node, depth + 1
        return s if isinstance(s, dict) else {}

    def walk(self, s, seen=None):
        """Every schema object reachable from `s` (properties, items, allOf/oneOf/anyOf…)."""
        seen = set() if seen is None else seen
        s = self.resolve(s)
        if id(s) in seen:
            return
        seen.add(id(s))
        yield s
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in s.get(key, []):
                yield from self.walk(sub, seen)
        for sub in s.get("properties", {}).values():
            yield from self.walk(sub, seen)
        for key in ("items", "additionalProperties"):
            if isinstance(s.get(key), dict):
                yield from self.walk(s[key], seen)

    def request_schemas(self, op):
        body = self.resolve(op.get("requestBody", {}))
        for media in body.get("content", {}).values():
            yield media.get("schema", {})
        for p in op.get("parameters", []):
            yield self.resolve(p).get("schema", {})


# -- checks: does the operation's schema really have the defect the cause names? ---------------

def own_properties(schema, s, depth=0):
    """An object schema's properties, with those of its allOf/oneOf/anyOf parts (not nested ones)."""
    s = schema.resolve(s)
    props = dict(s.get("properties", {}))
    if depth < 10:
        for key in ("allOf", "oneOf", "anyOf"):
            for part in s.get(key, []):
                for k, v in own_properties(schema, part, depth + 1).items():
                    props.setdefault(k, v)
    return props


def read_only_property(schema, op, m, call=None):
    """The property is read-only, or the required list naming it also names read-only ones (a list
    written for responses: `dns-records_dns-record` requires id, proxiable, created_on…)."""
    prop = m.group("prop")
    for root in schema.request_schemas(op):
        for s in schema.walk(root):
            if prop not in s.get("required", []):
                continue
            props = own_properties(schema, s)
            if any(schema.resolve(props.get(r, {})).get("readOnly") for r in s["required"]):
                return True
    return False


def required_but_undeclared(schema, op, m, call=None):
    prop = m.group("prop")
    for root in schema.request_schemas(op):
        for s in schema.walk(root):
            if prop in s.get("required", []):
                declared = set()
                for part in [s] + [schema.resolve(x) for x in s.get("allOf", [])]:
                    declared |= set(schema.resolve(part).get("properties", {}))
                if prop not in declared and not s.get("oneOf") and not s.get("anyOf"):
                    return True
    return False


def _types(schema, s):
    s = schema.resolve(s)
    t = s.get("type") or ("object" if s.get("properties") else None)
    return {t} if t else {"string", "number", "integer", "boolean", "object", "array", "null"}


def overlapping_one_of(schema, op, m, call=None):
    """A oneOf in the request with two members of a common JSON type that no constant tag
    (a property fixed to distinct values in both) tells apart."""
    for root in schema.request_schemas(op):
        for s in schema.walk(root):
            members = [schema.resolve(x) for x in s.get("oneOf", [])]
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if not (_types(schema, a) & _types(schema, b)):
                        continue
                    tagged = any(
                        len(schema.resolve(a.get("properties", {}).get(k, {})).get("enum", [])) == 1 and
                        len(schema.resolve(b["properties"][k]).get("enum", [])) == 1 and
                        schema.resolve(a["properties"][k])["enum"] != schema.resolve(b["properties"][k])["enum"] and
                        k in a.get("required", []) and k in b.get("required", [])
                        for k in a.get("properties", {}) if k in b.get("properties", {}))
                    if not tagged:
                        return True
    return False


def get_with_required_body(schema, op, m, call=None):
    return op.get("x-verb") == "get" and schema.resolve(op.get("requestBody", {})).get("required", False)


def answers_media_type(schema, op, m, call=None):
    return any(m.group("type").strip('"') in schema.resolve(r).get("content", {})
               for code, r in op.get("responses", {}).items() if str(code).startswith("2"))


def answer_is_null_where_schema_forbids(schema, op, m, call):
    body = call.get("body", "").replace(" ", "")
    if body == "null":
        return True
    if '"result":null' not in body and '"result":[null' not in body:
        return False
    for code, r in op.get("responses", {}).items():
        if str(code).startswith("2"):
            media = schema.resolve(r).get("content", {}).get("application/json", {})
            env = media.get("schema", {})
            found = []  # every definition of `result` (the common envelope's, the refined one)
            for s in schema.walk(env):
                res = s.get("properties", {}).get("result")
                if res is not None:
                    res = schema.resolve(res)
                    found.append(schema.resolve(res.get("items", {})) if '"result":[null' in body else res)
            # The last definition refines the others (allOf: every part must hold, so a later
            # part without `nullable` forbids the null an earlier one allowed).
            last = found[-1] if found else {}
            return bool(last.get("type") == "object" or last.get("anyOf") or last.get("oneOf") or last.get("allOf")) \
                and not last.get("nullable")
    return False


def request_enum_lists_null(schema, op, m=None, call=None):
    """The request body's schema has an `enum` that lists null (Prism then validates no body)."""
    body = schema.resolve(op.get("requestBody", {}))
    return any(None in s.get("enum", []) for media in body.get("content", {}).values()
               for s in schema.walk(media.get("schema", {})))


CHECKS = {"request_enum_lists_null": request_enum_lists_null, "read_only_property": read_only_property, "overlapping_one_of": overlapping_one_of,
          "get_with_required_body": get_with_required_body, "answers_media_type": answers_media_type,
          "answer_is_null_where_schema_forbids": answer_is_null_where_schema_forbids,
          "required_but_undeclared": required_but_undeclared}


def side_of(violation):
    return "response" if violation.startswith("response") else "request"


def explain(schema, op, call, causes):
    """The causes of one missed call, or None if something in it is unexplained."""
    found = []
    # What a oneOf/anyOf mismatch drags along: the required properties of the members the value
    # did not match, reported at the same place. They share the union's cause.
    union_pattern = r"must match (exactly one|a) schema in (oneOf|anyOf)"
    unions = [v.split(": ", 1)[0] for v in call["violations"] if re.search(union_pattern, v)]

    def cause_of(v):
        for c in causes:
            if c["side"] not in ("any", side_of(v)) or c["side"] == "parse":
                continue
            m = re.search(c["pattern"], v)
            if m and (not c["check"] or CHECKS[c["check"]](schema, op, m, call)):
                return c["id"]
        return None

    for v in call["violations"]:
        where = v.split(": ", 1)[0]
        inside = [u for u in unions if where == u or where.startswith(u + ".")]
        if inside and not re.search(union_pattern, v):
            continue
        if re.search(union_pattern, v):
            # A member that failed only for causes of their own (a read-only id it requires)
            # explains the union's failure; otherwise the union itself must be the cause.
            subs = [x for x in call["violations"] if not re.search(union_pattern, x) and
                    (x.split(": ", 1)[0] == where or x.split(": ", 1)[0].startswith(where + "."))]
            got = [cause_of(x) for x in subs]
            if subs and all(got):
                found += got
                continue
        for c in causes:
            if c["side"] not in ("any", side_of(v)) or c["side"] == "parse":
                continue
            m = re.search(c["pattern"], v)
            if m and (not c["check"] or CHECKS[c["check"]](schema, op, m, call)):
                found.append(c["id"])
                break
        else:
            return None
    if not call["violations"]:  # no complaint from Prism, yet the call failed: status or parse
        for c in causes:
            m = c["side"] == "parse" and re.search(c["pattern"], call["error"])
            if m and CHECKS[c["check"]](schema, op, m, call):
                return [c["id"]]
        return None
    return sorted(set(found)) or None


BELOW_ENVELOPE = re.compile(r"invalid response \(HTTP \d+\): `result(\.|\[)")


def reading(ops):
    """What the binding read of the 2xx answers (each operation's first call, the one the driver
    also made strictly where the default reading warned)."""
    out = {"answered": 0, "read": 0, "strict_read": 0, "flagged": 0, "flagged_read": 0, "below": [], "envelope": [],
           "strict_only": []}
    for name, o in ops.items():
        first = next((c for c in o["calls"] if "strict_ok" in c), None)
        if o["na"] or first is None or not 200 <= first["status"] <= 299:
            continue
        out["answered"] += 1
        ok = not first["error"]
        out["read"] += ok
        out["strict_read"] += bool(first["strict_ok"])
        if ok and not first["strict_ok"]:
            out["strict_only"].append(name)
        if any(v.startswith("response") for v in first["violations"]):
            out["flagged"] += 1
            out["flagged_read"] += ok
        if not ok:
            why = first["error"].split("): ", 1)[-1].split(". The request may have been applied", 1)[0]
            out["below" if BELOW_ENVELOPE.search(first["error"]) else "envelope"].append((name, why))
    return out


def schema_op(schema, o):
    """The schema's operation object for a swept operation (its route: `VERB /path`)."""
    verb, path = o["route"].split(" ", 1)
    return schema.doc["paths"].get(path, {}).get(verb.lower(), {})


def top_of(name):
    return name.split(".")[0] if "." in name else "(no SDK name)"


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 2
    log, schema_path, report_path = argv[1:4]
    check = "--check" in argv[4:]
    data = json.load(open(os.path.join(HERE, "sweep_causes.json"), encoding="utf-8"))
    causes = data["causes"]
    gaps = OrderedDict((g["op"], g["reason"]) for g in data.get("known_gaps", []))
    gap_hits = []
    schema = Schema(json.load(open(schema_path, encoding="utf-8")))
    ops = OrderedDict()  # name -> {route, calls, na, ...}
    negatives, second = [], []
    for line in open(log, encoding="utf-8"):
        r = json.loads(line)
        if "negative" in r:
            negatives.append(r)
        elif r.get("transport") == "cpp-httplib":
            second.append(r)
        else:
            o = ops.setdefault(r["op"], {"route": r["route"], "calls": [], "na": r.get("not_applicable")})
            if "scheme" in r:
                o["calls"].append(r)
    rows = OrderedDict()  # top -> counts
    unexplained, by_cause = [], OrderedDict((c["id"], []) for c in causes)
    totals = OrderedDict([("operations", 0), ("passed", 0), ("missed", 0), ("na", 0)])
    for name, o in ops.items():
        row = rows.setdefault(top_of(name), OrderedDict([("operations", 0), ("passed", 0), ("na", 0), ("binding gap", 0)] +
                                                        [(c["id"], 0) for c in causes]))
        row["operations"] += 1
        totals["operations"] += 1
        if o["na"]:
            row["na"] += 1
            totals["na"] += 1
            continue
        failed = [c for c in o["calls"] if not c["passed"]]
        if not failed:
            row["passed"] += 1
            totals["passed"] += 1
            continue
        totals["missed"] += 1
        verb, path = o["route"].split(" ", 1)
        op = dict(schema.doc["paths"].get(path, {}).get(verb.lower(), {}), **{"x-verb": verb.lower()})
        if name in gaps:
            gap_hits.append(name)
            row["binding gap"] += 1
            continue
        why = set()
        for call in failed:
            got = explain(schema, op, call, causes)
            if got is None:
                unexplained.append((name, call))
                why = None
                break
            why.update(got)
        if why is None:
            continue
        for w in sorted(why):
            row[w] += 1
            by_cause[w].append(name)
    # A spoiled request Prism accepted is explained only by a cause whose check holds for its schema.
    accepted, accepted_why = [], []
    for n in negatives:
        if n["rejected"]:
            continue
        verb, path = ops[n["op"]]["route"].split(" ", 1)
        op = schema.doc["paths"].get(path, {}).get(verb.lower(), {})
        why = [c["id"] for c in data.get("accepted_causes", []) if CHECKS[c["check"]](schema, op)]
        (accepted_why if why else accepted).append((n, why))
    # A GET whose schema requires a body: libcurl sends none and Prism refuses it; cpp-httplib
    # frames the same empty body so that Prism counts it as present. The schema's defect
    # (get-with-required-body, checked above) explains that disagreement, and only that one.
    framing = set(by_cause.get("get-with-required-body", []))
    disagree = [s for s in second if not s["agrees"] and s["op"] not in framing]
    disagree_explained = [s for s in second if not s["agrees"] and s["op"] in framing]
    read = reading(ops)

    out = ["# Conformance sweep report\n",
           "Generated by `tests/conformance/sweep.sh` (the sweep driver, then `sweep_report.py`) from a run\n"
           "against Prism serving `codegen/openapi.overlaid.json`; `.ci/run` regenerates it and fails on any\n"
           "difference. Every generated operation is called through the client over libcurl, once per auth\n"
           "scheme it accepts; it passes when every call gets a 2xx without `sl-violations` and parses into its\n"
           "typed result (default reading; the first call of each operation is also read strictly where the\n"
           "default reading warned). A miss is listed under each cause that explains it (`sweep_causes.json`: a pattern\n"
           "over what Prism said, and a check that the schema has that defect).\n\n"]
    missed_causes = ", ".join("%d %s" % (len(v), k) for k, v in by_cause.items() if v)
    out.append("**Totals:** %d operations; %d passed; %d schema-caused misses (%s); %d binding gaps (listed below, "
               "to fix); %d not applicable (non-JSON request body); %d unexplained.\n\n" % (
                   totals["operations"], totals["passed"], totals["missed"] - len(unexplained) - len(gap_hits),
                   missed_causes, len(gap_hits), totals["na"], len(unexplained)))
    derived = [n for n, o in ops.items() if schema_op(schema, o).get("x-derived-from")]
    derived_passed = sum(1 for n in derived if not ops[n]["na"] and all(c["passed"] for c in ops[n]["calls"]))
    out.append("**Derived operations:** %d of the operations are methods of the official SDK that the 2024 schema "
               "lacks; they are checked only against the description derived from the SDK's facts (`x-derived-from`, "
               "codegen/cfgen/read_sdk.py), not against a schema of Cloudflare's: %d of them passed.\n\n" % (
                   len(derived), derived_passed))
    out.append("Spoiled requests rejected: %d of %d (%s); accepted for a schema cause: %d. cpp-httplib sample: %d of %d "
               "calls end as over libcurl%s.\n\n" % (
        len(negatives) - len(accepted) - len(accepted_why), len(negatives),
        ", ".join("%s %d" % (k, sum(1 for n in negatives if n["negative"] == k))
                  for k in ("no_credentials", "wrong_type", "missing_required")),
        len(accepted_why), len(second) - len(disagree) - len(disagree_explained), len(second),
        "" if not disagree_explained else " (%s: a GET whose schema requires a body, where the two transports frame "
        "no body differently)" % ", ".join("`%s`" % d["op"] for d in disagree_explained)))
    out.append("**What the binding read.** Of the %d operations Prism answered with a 2xx, the binding read %d "
               "in the default (tolerant) mode: %d read failures below the envelope, %d at the envelope (listed "
               "under \"Answers the binding could not read\"). With `strict_response_validation` it reads %d. "
               "Prism flags its own answer (response `sl-violations`) for %d operations; the binding read %d of "
               "those.\n\n" % (read["answered"], read["read"], len(read["below"]), len(read["envelope"]),
                               read["strict_read"], read["flagged"], read["flagged_read"]))
    ids = [c["id"] for c in causes]
    out.append("| resource | operations | passed | " + " | ".join(ids) + " | binding gap | not applicable |\n")
    out.append("|---|---:|---:|" + "---:|" * len(ids) + "---:|---:|\n")
    for top in sorted(rows):
        row = rows[top]
        out.append("| %s | %d | %d | %s | %d | %d |\n" % (top, row["operations"], row["passed"],
                                                         " | ".join(str(row[i]) for i in ids), row["binding gap"], row["na"]))
    out.append("\n## Causes\n\n")
    for c in causes:
        out.append("- `%s` (%d): %s.\n" % (c["id"], len(by_cause[c["id"]]), c["summary"]))
    if accepted_why:
        out.append("\n## Spoiled requests Prism accepted, by cause\n\n")
        for c in data.get("accepted_causes", []):
            hits = ["`%s` (%s)" % (n["op"], n["negative"]) for n, why in accepted_why if c["id"] in why]
            if hits:
                out.append("- `%s`: %s: %s.\n" % (c["id"], c["summary"], ", ".join(hits)))
    out.append("\n## Missed operations, by cause\n")
    for cid, names in by_cause.items():
        if names:
            out.append("\n### %s\n\n%s\n" % (cid, ", ".join("`%s`" % n for n in names)))
    if gap_hits:
        out.append("\n## Binding gaps (the binding's fault; to fix)\n\n")
        for n in gap_hits:
            out.append("- `%s`: %s\n" % (n, gaps[n]))
    if read["envelope"] or read["below"]:
        out.append("\n## Answers the binding could not read\n\nEach with what the client said (default mode). At the "
                   "envelope: the answer is not the envelope the call returns (the causes above explain each).\n\n")
        for n, why in read["below"]:
            out.append("- below the envelope, `%s`: %s\n" % (n, why))
        for n, why in read["envelope"]:
            out.append("- `%s`: %s\n" % (n, why))
    if read["strict_only"]:
        out.append("\n## Read only in the default mode\n\nAnswers the default reading took with warnings and strict "
                   "reading refuses (%d): %s\n" % (len(read["strict_only"]), ", ".join("`%s`" % n for n in read["strict_only"])))
    stale = [n for n in gaps if n not in gap_hits]
    na = [(n, o["na"]) for n, o in ops.items() if o["na"]]
    if na:
        out.append("\n## Not applicable\n\n")
        for n, why in na:
            out.append("- `%s`: %s\n" % (n, why))
    text = "".join(out)

    print(out[1].strip())
    print(out[2].strip())
    for name, call in unexplained[:40]:
        print("UNEXPLAINED %s (%s, HTTP %d): %s %s" % (name, call["scheme"], call["status"],
                                                     "; ".join(call["violations"])[:300], call["error"][:300]))
    for n, _ in accepted:
        print("ACCEPTED spoiled request: %s %s (HTTP %d)" % (n["op"], n["negative"], n["status"]))
    for d in disagree:
        print("DISAGREES: %s over cpp-httplib (HTTP %d, passed %s) ends unlike over libcurl" % (d["op"], d["status"], d["passed"]))
    for n in stale:
        print("STALE known gap (it passes or missed for a schema cause now): %s" % n)
    for n, why in read["below"]:
        print("READ FAILURE below the envelope in the default mode: %s: %s" % (n, why))
    rc = 0 if not unexplained and not accepted and not disagree and not stale and not read["below"] else 1
    if check:
        old = open(report_path, encoding="utf-8").read() if os.path.exists(report_path) else ""
        if old != text:
            print("the sweep's report differs from the committed %s (run tests/conformance/sweep.sh --write)" % report_path)
            rc = 1
    else:
        with open(report_path, "w", encoding="utf-8") as fh:
            fh.write(text)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
