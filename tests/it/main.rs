//! Integration tests, one binary: the Cargo collector on fixtures and real lockfiles, the
//! exporters checked by the official validators and by Rust clients, and the command line.

mod cargo_collector;
mod cli;
mod common;
mod differ;
mod exporters;
mod hostile_corpus;
mod hostile_inputs;
mod importers;
mod javascript_collectors;
mod jvm_go_dotnet;
mod lockfile_expectations;
mod python_collectors;
mod signals;
mod toml_fast_path;
mod yaml_fast_path;
