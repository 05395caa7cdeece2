#!/usr/bin/env python3
"""Describe every operation the installed official HBR SDK models, in the shape of Alibaba's API
metadata, so `hbr-codegen import --metadata` can merge it into the spec.

Usage: python sdk_models.py OUT.json   (the python of a venv with `alibabacloud-hbr20170908`)

The SDK is the description of the API as it is today, and this script reads it by running it,
not by copying it:

- the operations are the client's `<op>_with_options` methods (`..._2with_options` too); the action name is the one
  each method passes to `Params(action=...)`;
- a parameter's wire name is the key its model's `to_map()` gives the field; its type comes
  from the field's annotation (nested model classes are followed, so arrays and objects get
  their items and properties);
- where a parameter travels and how it is encoded comes from the method's source (read with
  `ast`): `query['X']` → query, `body['X']` → form body, `body_flat['X']` → style `flat`, a
  `*_shrink` made by `array_to_string_with_specified_style(..., 'json')` → style `json`, any
  other array or object → style `repeatList` (the SDK flattens it into `X.1.Y` keys);
- the response tree is the `body` model of the operation's response, followed recursively;
- a field's comment in the model is kept as its `description`, because its markup states
  facts the importer reads (`This parameter is required.`, value lists such as
  `- **ECS_FILE**: ...`, times and units); the importer carries facts only, never prose.

Python's `int` has no width, so integers come without a `format`: the importer keeps the
width the spec has written and gives a new integer `int64`. The SDK does not tell reads
from writes either: no `systemTags` are written, and the importer keeps each operation's
`kind` as written (`write`, the safe choice, for a new one). Bounds, defaults and patterns are
not in the SDK's models; what the spec has of them stays.

The output is deterministic (keys in the SDK's order, no timestamps), so the same SDK version
gives the same file.
"""

import ast
import inspect
import json
import re
import sys
import textwrap
import typing
from importlib import metadata

from alibabacloud_hbr20170908 import models as hbr_models
from alibabacloud_hbr20170908.client import Client
from darabonba.model import DaraModel

PACKAGE = "alibabacloud-hbr20170908"
REQUIRED = "This parameter is required."


def field_comments(cls):
    """The comment lines written above each `self.<field> = <field>` of the model's __init__."""
    out = {}
    pending = []
    for line in inspect.getsource(cls.__init__).splitlines():
        text = line.strip()
        if text.startswith("#"):
            pending.append(text[1:].strip() if text != "#" else "")
            continue
        m = re.match(r"self\.(\w+) = \w+$", text)
        if m:
            out[m.group(1)] = "\n".join(pending).strip()
        pending = []
    return out


def hints(cls):
    """The annotations of the model's __init__ parameters, resolved."""
    return {k: v for k, v in typing.get_type_hints(cls.__init__).items() if k != "return"}


def wire_name(cls, attr, annotation):
    """The key of `to_map()` that changes when only field `attr` is set."""
    base = cls().to_map()
    instance = cls()
    setattr(instance, attr, sample(annotation))
    keys = [k for k, v in instance.to_map().items() if k not in base or base[k] != v]
    if len(keys) != 1:
        raise SystemExit(f"{cls.__name__}.{attr}: to_map() gave {keys}")
    return keys[0]


def sample(annotation):
    """A value of the annotated type that `to_map()` accepts."""
    origin = typing.get_origin(annotation)
    if origin in (list, typing.List):
        return [sample(typing.get_args(annotation)[0])]
    if origin in (dict, typing.Dict):
        return {"k": "v"}
    if inspect.isclass(annotation) and issubclass(annotation, DaraModel):
        return annotation()
    return "x"


def schema(annotation, comment, request):
    """A metadata-shaped schema of a field's annotation."""
    out = {}
    origin = typing.get_origin(annotation)
    if origin in (list, typing.List):
        (item,) = typing.get_args(annotation)
        out["type"] = "array"
        out["items"] = schema(item, "", request)
    elif origin in (dict, typing.Dict):
        out["type"] = "object"
    elif inspect.isclass(annotation) and issubclass(annotation, DaraModel):
        out["type"] = "object"
        out["properties"] = properties(annotation, request)
    elif annotation is str:
        out["type"] = "string"
    elif annotation is bool:
        out["type"] = "boolean"
    elif annotation is int:
        out["type"] = "integer"
    elif annotation is float:
        out["type"] = "number"
    # typing.Any and anything else: no type (arbitrary JSON).
    if comment:
        out["description"] = comment
    if request and REQUIRED in comment.splitlines():
        out["required"] = True
    return out


def properties(cls, request):
    """The model's fields by wire name, in the model's order."""
    comments = field_comments(cls)
    out = {}
    for attr, annotation in hints(cls).items():
        out[wire_name(cls, attr, annotation)] = schema(annotation, comments.get(attr, ""), request)
    return out


class Placement(ast.NodeVisitor):
    """Where `<op>_with_options` puts each field: `query`, `body` or `body_flat`, and which
    fields it sends as a JSON string (`*_shrink`)."""

    def __init__(self):
        self.place = {}  # wire name -> "query" | "body" | "body_flat"
        self.shrink = set()  # wire names sent as JSON text
        self.action = None

    def visit_Assign(self, node):
        target = node.targets[0]
        if (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and target.value.id in ("query", "body", "body_flat")
            and isinstance(target.slice, ast.Constant)
        ):
            self.place[target.slice.value] = target.value.id
        call = node.value
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "array_to_string_with_specified_style"
        ):
            name, style = call.args[1].value, call.args[2].value
            if style != "json":
                raise SystemExit(f"{name}: style {style} is not known")
            self.shrink.add(name)
        self.generic_visit(node)

    def visit_keyword(self, node):
        if node.arg == "action" and isinstance(node.value, ast.Constant):
            self.action = node.value.value
        self.generic_visit(node)


def operation(method):
    """One operation: its action name and metadata-shaped description."""
    placement = Placement()
    placement.visit(ast.parse(textwrap.dedent(inspect.getsource(method))))
    hint = typing.get_type_hints(method)
    request_cls = next((v for k, v in hint.items() if k not in ("runtime", "return")), None)
    response_cls = hint["return"]
    body_cls = typing.get_type_hints(response_cls.__init__)["body"]
    parameters = []
    fields = properties(request_cls, True) if request_cls else {}
    for wire, s in fields.items():
        where = placement.place.get(wire)
        if where is None:
            raise SystemExit(f"{placement.action}.{wire}: the client does not send it")
        p = {"name": wire, "in": "query" if where == "query" else "formData"}
        if wire in placement.shrink:
            p["style"] = "json"
        elif where == "body_flat":
            p["style"] = "flat"
        elif s.get("type") in ("array", "object"):
            p["style"] = "repeatList"
        p["schema"] = s
        parameters.append(p)
    sent = set(placement.place)
    missing = sent - {p["name"] for p in parameters}
    if missing:
        raise SystemExit(f"{placement.action}: sends {sorted(missing)} its model lacks")
    response = {"type": "object", "properties": properties(body_cls, False)}
    return placement.action, {
        "parameters": parameters,
        "responses": {"200": {"schema": response}},
    }


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.split("\n\n")[1])
    apis = {}
    for name, method in inspect.getmembers(Client, inspect.isfunction):
        if not name.endswith("with_options") or name.startswith("_"):
            continue
        action, api = operation(method)
        apis[action] = api
    doc = {
        "info": {"source": PACKAGE, "version": metadata.version(PACKAGE)},
        "apis": dict(sorted(apis.items())),
    }
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
