//! The fast TOML reader against the `toml` crate on every TOML file of the fixtures and of
//! the shared corpus: wherever it accepts a document, serde must read the same values from
//! its nodes as the crate reads from the text, and it must accept the lockfiles Cargo, uv,
//! Poetry and PDM write (or it saves nothing).

use crate::common::{files_named, repo, shared};
use bomsight::toml_simple;
use serde::Deserialize;
use std::path::{Path, PathBuf};

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    files_named(
        dir,
        &|name| name.ends_with(".toml") || matches!(name, "Cargo.lock" | "uv.lock" | "poetry.lock" | "pdm.lock"),
        out,
    );
}

#[test]
fn the_fast_reader_agrees_with_the_toml_crate_on_every_toml_file() {
    let mut files = Vec::new();
    toml_files(&repo().join("testdata"), &mut files);
    toml_files(&shared().join("corpus"), &mut files);
    let mut accepted = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Some(node) = toml_simple::parse(&text) else {
            continue;
        };
        let full: toml::Value = toml::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{}: the fast reader accepted what the crate refuses: {e}",
                path.display()
            )
        });
        let fast = toml::Value::deserialize(node).expect("the nodes read as a TOML value");
        assert_eq!(fast, full, "{}", path.display());
        accepted.push(path.display().to_string());
    }
    for expected in [
        "corpus/rust/uv-0.9.10/Cargo.lock",
        "corpus/python/pydantic-v2.13.0/uv.lock",
        "corpus/python/poetry-2.4.0/poetry.lock",
        "corpus/python/pdm-2.27.0/pdm.lock",
        "testdata/cargo/",
    ] {
        assert!(
            accepted.iter().any(|a| a.contains(expected)),
            "nothing under {expected} took the fast path; accepted: {accepted:#?}"
        );
    }
}

#[test]
fn the_fast_reader_gives_up_where_the_toml_crate_decides() {
    let refused = [
        "a = \"\"\"\nmulti\n\"\"\"\n",   // multi-line string
        "a = '''x'''\n",                 // multi-line literal
        "a = 1.5\n",                     // float
        "a = 1979-05-27\n",              // date
        "a = 0x1F\n",                    // other base
        "a = 1_000\n",                   // underscores
        "a = 01\n",                      // leading zero: the crate's error
        "a.b = 1\n",                     // dotted key
        "a = 1\r\nb = 2\r\n",            // carriage returns
        "a = { b = 1, }\n",              // trailing comma in an inline table
        "a = { b = 1,\n c = 2 }\n",      // inline table over two lines
        "a = 1\na = 2\n",                // repeated key
        "[a]\nb = 1\n[a]\nc = 2\n",      // table defined twice
        "a = { b = 1 }\n[a.c]\nd = 1\n", // an inline table reopened
        "a = [{ b = 1 }]\n[[a]]\n",      // a static array extended
        "[[a]]\n[a]\n",                  // an array of tables as a table
        "[a.b]\n[a]\nb = 1\n",           // a key that is already a table
        "a = \"\\e\"\n",                 // an escape TOML 1.0 lacks
        "a = \"\\uD800\"\n",             // a surrogate
        "a = nan\n",                     // special float
        "a = \"x\" b\n",                 // text after a value
        "a =\n",                         // no value
        "\u{feff}a = 1\n",               // byte-order mark
    ];
    for text in refused {
        assert_eq!(toml_simple::parse(text), None, "{text:?}");
    }
}

#[test]
fn the_fast_reader_reads_what_lockfiles_use_as_the_crate_does() {
    let text = concat!(
        "# comment\nversion = 4\nrevision = -3\n\n",
        "[[package]]\nname = \"a\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
        "dependencies = [\n    \"b 1.0\", # why\n    'c',\n]\nflags = [true, false]\n",
        "wheels = [\n    { url = \"https://x/a.whl\", hash = \"sha256:ab\", size = 123 },\n]\n",
        "\n[package.metadata]\n\"quoted key\" = \"tab\\there \\u00e9 \\\"q\\\"\"\n",
        "[[package.metadata.requires-dist]]\nname = \"b\"\n",
        "\n[[package]]\nname = \"b\"\n[package.optional-dependencies]\nx = []\n",
        "[metadata]\n[metadata.files]\na = [{file = \"a.tar.gz\", hash = \"sha256:00\"}]\n",
        "[b.c]\nd = 1\n[b]\ne = 2\n",
    );
    let node = toml_simple::parse(text).expect("accepted");
    let full: toml::Value = toml::from_str(text).unwrap();
    assert_eq!(toml::Value::deserialize(node).unwrap(), full);
}
