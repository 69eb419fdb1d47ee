#!/usr/bin/env python3
"""Builds the synthetic monorepo of bench/run.sh.

usage: make_tree.py OUT PROJECTS FILLER
  OUT       directory to create (emptied first)
  PROJECTS  copies of real projects (each fixture scenario of testdata/ and each project of
            ../shared/corpus, round robin), spread over nested directories
  FILLER    other small files (sources, docs; 2% extensionless like Makefile and LICENSE)
Also writes node_modules/ and target/ trees full of lockfiles that a scan must skip, and
OUT.lockfiles (one path per line: every file copied from a project, for the I/O floor).
"""
import os, random, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SKIP = {"broken", "hostile", "diff", "sboms", "signals"}


def projects():
    """Directories that are one project each: fixture scenarios and corpus projects."""
    found = []
    testdata = os.path.join(REPO, "testdata")
    for eco in sorted(os.listdir(testdata)):
        eco_dir = os.path.join(testdata, eco)
        if eco in SKIP or not os.path.isdir(eco_dir):
            continue
        for scenario in sorted(os.listdir(eco_dir)):
            path = os.path.join(eco_dir, scenario)
            if os.path.isdir(path) and scenario not in SKIP:
                found.append(path)
    corpus = os.path.join(REPO, "..", "shared", "corpus")
    if os.path.isdir(corpus):
        for eco in sorted(os.listdir(corpus)):
            eco_dir = os.path.join(corpus, eco)
            if eco == "sboms" or not os.path.isdir(eco_dir):
                continue
            for project in sorted(os.listdir(eco_dir)):
                if os.path.isdir(os.path.join(eco_dir, project)):
                    found.append(os.path.join(eco_dir, project))
    return found


def main():
    out, n_projects, n_filler = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(7)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    sources = projects()
    listed = []
    for i in range(n_projects):
        src = sources[i % len(sources)]
        depth = [f"area{i % 12}", f"team{i % 97}"] + ([f"sub{i % 5}"] if i % 3 == 0 else [])
        dst = os.path.join(out, *depth, f"p{i}-{os.path.basename(src)}")
        shutil.copytree(src, dst, symlinks=True)
        for d, _, files in os.walk(dst):
            listed.extend(os.path.join(d, f) for f in files)
    words = "the quick brown fox jumps over the lazy dog".split()
    extensionless = ["Makefile", "LICENSE", "Dockerfile", "CODEOWNERS", "VERSION"]
    for i in range(n_filler):
        d = os.path.join(out, "src", f"m{i % 40}", f"n{(i // 40) % 50}")
        os.makedirs(d, exist_ok=True)
        name = extensionless[i % 5] + str(i) if i % 50 == 0 else f"f{i}.{('rs', 'md', 'txt', 'py', 'ts')[i % 5]}"
        with open(os.path.join(d, name), "w") as f:
            f.write(" ".join(rng.choice(words) for _ in range(20 + i % 30)) + "\n")
    # Install trees: never part of what the lockfiles declare.
    lock = os.path.join(sources[0])
    for i in range(max(100, n_filler // 50)):
        d = os.path.join(out, "web", "node_modules", f"pkg{i}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "package.json"), "w") as f:
            f.write('{"name": "pkg%d", "version": "1.0.%d", "dependencies": {"left-pad": "^1.0.0"}}\n' % (i, i))
        t = os.path.join(out, "rust", "target", "debug", "build", f"crate{i}")
        os.makedirs(t, exist_ok=True)
        with open(os.path.join(t, "Cargo.lock"), "w") as f:
            f.write('version = 3\n\n[[package]]\nname = "crate%d"\nversion = "0.1.0"\n' % i)
    with open(out.rstrip("/") + ".lockfiles", "w") as f:
        f.write("\n".join(listed) + "\n")
    size = sum(os.path.getsize(p) for p in listed)
    print(f"{len(listed)} project files ({size / 1e6:.1f} MB) from {len(sources)} projects, "
          f"{n_filler} filler files, install trees under web/node_modules and rust/target")


main()
