#!/usr/bin/env python3
"""Two CycloneDX 1.6 JSON documents of N components each, for bench/run.sh's diff timing.

usage: make_sboms.py N OLD.json NEW.json
The new one bumps 1% of the versions, removes 0.5%, adds 0.5%, and changes the hash of 0.2%
at the same version; the components form a tree three wide below the application.
"""
import hashlib, json, sys


def doc(components, serial):
    deps = []
    by_number = {int(c["name"].split("-")[1]): c["bom-ref"] for c in components}
    for c in components:
        i = int(c["name"].split("-")[1])
        # A tree three wide, ~11 levels deep at 100,000: real graphs are shallow.
        below = [by_number[j] for j in (3 * i + 1, 3 * i + 2, 3 * i + 3) if j in by_number]
        deps.append({"ref": c["bom-ref"], "dependsOn": below})
    refs = [c["bom-ref"] for c in components]
    return {
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "serialNumber": "urn:uuid:00000000-0000-4000-8000-%012d" % serial,
        "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "app"}},
        "components": components,
        "dependencies": [{"ref": "app", "dependsOn": refs[:1]}] + deps,
    }


def component(i, version, salt=""):
    name = f"pkg-{i}"
    purl = f"pkg:npm/{name}@{version}"
    digest = hashlib.sha512(f"{name}@{version}{salt}".encode()).hexdigest()
    return {"type": "library", "bom-ref": purl, "name": name, "version": version, "purl": purl,
            "hashes": [{"alg": "SHA-512", "content": digest}]}


def main():
    n, old_path, new_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    old = [component(i, f"1.{i % 50}.{i % 7}") for i in range(n)]
    new = []
    for i in range(n):
        if i % 200 == 7:
            continue  # removed
        if i % 100 == 3:
            new.append(component(i, f"1.{i % 50}.{i % 7 + 1}"))  # upgraded
        elif i % 500 == 11:
            new.append(component(i, f"1.{i % 50}.{i % 7}", salt="tampered"))  # same version, new hash
        else:
            new.append(old[i])
    new += [component(n + i, "0.1.0") for i in range(n // 200)]  # added
    for path, comps, serial in ((old_path, old, 1), (new_path, new, 2)):
        with open(path, "w") as f:
            json.dump(doc(comps, serial), f)


main()
