#!/usr/bin/env python3
"""Lists every property path of one version of an upstream CRD, one per line, sorted.

  hack/upstream-fields.py <crd.yaml> [version] > crds/src/test/resources/upstream-fields/<plural>.<group>.txt

The lists are what SchemaCoverageTest checks our generated CRDs against: every upstream field must exist in ours,
with the same JSON name. Array items are written as `[]`, map values as `{}`.
"""
import sys
import yaml


def walk(schema, path, out):
    if not isinstance(schema, dict):
        return
    for name, sub in (schema.get("properties") or {}).items():
        p = f"{path}.{name}" if path else name
        out.add(p)
        walk(sub, p, out)
    if "items" in schema:
        walk(schema["items"], path + "[]", out)
    ap = schema.get("additionalProperties")
    if isinstance(ap, dict):
        walk(ap, path + "{}", out)


def main():
    crd = yaml.safe_load(open(sys.argv[1]))
    version = sys.argv[2] if len(sys.argv) > 2 else "v1beta2"
    for v in crd["spec"]["versions"]:
        if v["name"] == version:
            out = set()
            walk(v["schema"]["openAPIV3Schema"], "", out)
            # metadata, apiVersion and kind come from Kubernetes itself, not from the provider's schema
            for p in sorted(out):
                if not p.split(".")[0] in ("apiVersion", "kind", "metadata"):
                    print(p)
            return
    sys.exit(f"version {version} not found in {sys.argv[1]}")


if __name__ == "__main__":
    main()
