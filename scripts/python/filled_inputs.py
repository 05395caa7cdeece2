"""Inputs with every parameter filled, for every operation the official SDK sends.

`record_official_vectors.py` sends these through the official SDK and records the wire; the
test `tests/tests/official_sdk_operations.rs` then requires our client to encode the same
input to the same wire. The *set of parameters* comes from the SDK's own request models (every
field `to_map()` writes, nested models followed), so a parameter the SDK has and our spec
lacks makes our client refuse the input, and the test names it. Only the *values* follow our
spec's documented facts, because a filled input must be one the service takes:

- a string whose node names an enum gets a documented value (the node's `values`, else the
  enum's), the i-th item of an array the i-th value, so the items differ;
- a string that carries JSON (`json:`) gets compact JSON text of its shape, filled the same way;
- an integer lies inside `minimum`/`maximum`; an `int64` without bounds is 2^53 + 1, which a
  double cannot hold; a boolean alternates `True`/`False` between fields;
- an array has two items; a free-form JSON value (`Dict[str, Any]` in the SDK) is the
  example the spec's doc gives, else an array of two strings where the spec documents a JSON
  array, else an object;
- `only_when` rules ("applies only when SourceType is NAS") split the input: one case per
  documented value of the condition's field, each with the fields that apply to it. In an
  array of objects with such rules each item takes one of the values instead.

Nothing here reads the SDK's wire code; `sdk_models.py` gives the parameters.
"""

import ast
import inspect
import itertools
import json
import os
import re
import textwrap
import typing

import yaml
from darabonba.model import DaraModel

import sdk_models

SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "api-spec", "hbr", "2017-09-08")
BIG_INT64 = 9007199254740993  # 2^53 + 1
TEXT = "{name} {n} ü/*"  # a space, a slash, a non-ASCII letter and `*` in every string


class _Yaml12(yaml.SafeLoader):
    """PyYAML reads YAML 1.1, where `OFF`, `ON`, `YES` and `NO` are booleans; the spec is
    YAML 1.2 (as serde_yaml reads it), where only `true` and `false` are."""


_Yaml12.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def _load(name):
    with open(os.path.join(SPEC, name), encoding="utf-8") as f:
        return yaml.load(f, Loader=_Yaml12)  # noqa: S506 - a SafeLoader


_SERVICE_ENUMS = None


def _spec(operation):
    """The operation's spec (None when the spec has no file for it) and the enums it sees."""
    global _SERVICE_ENUMS
    if _SERVICE_ENUMS is None:
        _SERVICE_ENUMS = _load("service.yaml").get("enums") or {}
    path = os.path.join(SPEC, f"{operation}.yaml")
    if not os.path.exists(path):
        return None, _SERVICE_ENUMS
    doc = _load(f"{operation}.yaml")
    return doc, {**_SERVICE_ENUMS, **(doc.get("enums") or {})}


class _Filler:
    def __init__(self, enums):
        self.enums = enums
        self.flip = itertools.count()
        self.counter = itertools.count(1)

    def documented(self, node):
        if not node or not node.get("enum"):
            return []
        return list(node.get("values") or (self.enums.get(node["enum"], {}).get("values") or {}))

    def string(self, name, node, index):
        values = self.documented(node)
        if values:
            return values[index % len(values)]
        shape = (node or {}).get("json")
        if shape:
            return json.dumps(self.from_spec(shape, name), ensure_ascii=False, separators=(",", ":"))
        return TEXT.format(name=name, n=next(self.counter))

    def integer(self, node):
        node = node or {}
        lo, hi = node.get("minimum"), node.get("maximum")
        if lo is None and hi is None and node.get("type") == "int64":
            return BIG_INT64
        value = (lo if lo is not None else 1) + 2
        return min(value, hi) if hi is not None else value

    def boolean(self):
        return next(self.flip) % 2 == 0

    def free_json(self, name, node):
        """A value for a free-form JSON parameter: the spec's example where its doc gives one
        (`for example `{...}``), an array where it documents one, else an object."""
        doc = " ".join(((node or {}).get("doc") or "").split())
        for example in re.findall(r"for example `([\[{].*?[\]}])`", doc):
            try:
                return json.loads(example)
            except ValueError:
                continue
        if "JSON array" in doc:
            return [f"{name.lower()}-1", f"{name.lower()}-2"]
        return {"key": TEXT.format(name=name, n=next(self.counter)), "flag": True, "items": ["a", "b"]}

    def from_spec(self, node, name, index=0):
        """A value of a spec type node (JSON shapes have no SDK model behind them)."""
        kind = node.get("type")
        if kind == "object":
            props = node.get("properties") or {}
            return {k: self.from_spec(v, k) for k, v in props.items()}
        if kind == "array":
            return [self.from_spec(node["items"], name, i) for i in range(2)]
        if kind == "boolean":
            return self.boolean()
        if kind in ("int32", "int64"):
            return self.integer(node)
        if kind == "any":
            return self.free_json(name, node)
        return self.string(name, node, index)

    def value(self, annotation, name, node, index=0, assignment=None):
        """A value of the SDK annotation `annotation` for the field `name` (spec node `node`)."""
        origin = typing.get_origin(annotation)
        if origin in (list, typing.List):
            (item,) = typing.get_args(annotation)
            item_node = (node or {}).get("items")
            splits = _assignments(item_node) if _is_model(item) else [None]
            count = max(2, len(splits))
            return [
                self.value(item, name, item_node, i, splits[i % len(splits)]) for i in range(count)
            ]
        if origin in (dict, typing.Dict) or annotation is typing.Any:
            return self.free_json(name, node)
        if _is_model(annotation):
            return self.model(annotation, node, assignment, index)
        if annotation is bool:
            return self.boolean()
        if annotation is int:
            return self.integer(node)
        return self.string(name, node, index)

    def model(self, cls, node, assignment=None, index=0):
        """Every field of the SDK model `cls`, by wire name, in the model's order; `index`:
        which item of an array it is."""
        node = node or {}
        props = node.get("properties") or node.get("request") or {}
        if assignment is None:
            splits = _assignments(node)
            assignment = splits[0]
        out = {}
        for attr, annotation in sdk_models.hints(cls).items():
            wire = sdk_models.wire_name(cls, attr, annotation)
            child = props.get(wire)
            if wire in assignment:
                out[wire] = assignment[wire]
                continue
            if not _applies(node, wire, assignment):
                continue
            out[wire] = self.value(annotation, wire, child, index)
        return out


def _is_model(annotation):
    return inspect.isclass(annotation) and issubclass(annotation, DaraModel)


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _only_when(node):
    return [r for r in (node or {}).get("rules") or [] if "only_when" in r]


def _assignments(node):
    """The values of the fields `only_when` rules depend on, one dict per case: every
    combination of the values the rules list (one dict, `{}`, without such rules)."""
    fields = {}
    for rule in _only_when(node):
        for field, values in rule["only_when"].items():
            for v in _as_list(values):
                fields.setdefault(field, [])
                if v not in fields[field]:
                    fields[field].append(v)
    names = list(fields)
    return [dict(zip(names, combo)) for combo in itertools.product(*(fields[n] for n in names))] or [{}]


def _applies(node, wire, assignment):
    """Whether the field may be set under `assignment`, by the node's `only_when` rules."""
    for rule in _only_when(node):
        if rule["field"] != wire:
            continue
        for field, values in rule["only_when"].items():
            if field in assignment and assignment[field] not in _as_list(values):
                return False
    return True


def filled_cases(operation, request_cls):
    """The filled inputs of one operation: `[(suffix, input), ...]`, one per `only_when`
    assignment of its top-level rules (suffix "" when there is one)."""
    spec, enums = _spec(operation)
    node = {"request": (spec or {}).get("request") or {}, "rules": (spec or {}).get("rules") or []}
    splits = _assignments(node)
    cases = []
    for assignment in splits:
        filler = _Filler(enums)
        given = filler.model(request_cls, node, assignment) if request_cls else {}
        suffix = ", ".join(f"{k} {v}" for k, v in assignment.items())
        cases.append((suffix, given))
    return cases


def request_classes(client_cls, only=None):
    """Every operation the SDK's client sends (or those named in `only`), with its request
    model (None when it takes no parameters)."""
    out = {}
    for name, method in inspect.getmembers(client_cls, inspect.isfunction):
        if not name.endswith("with_options") or name.startswith("_"):
            continue
        placement = sdk_models.Placement()
        placement.visit(ast.parse(textwrap.dedent(inspect.getsource(method))))
        if only is not None and placement.action not in only:
            continue
        hint = typing.get_type_hints(method)
        out[placement.action] = next((v for k, v in hint.items() if k not in ("runtime", "return")), None)
    return dict(sorted(out.items()))
