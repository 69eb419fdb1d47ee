//! The `bomsight` command: parse the arguments, run the subcommand, and map the outcome to
//! the documented exit codes.

mod cli;
mod commands;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

// The scan allocates many small strings on every core; glibc's allocator spent a third of
// the scan in malloc/free and its arena locks (bench/run.sh, perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let status = match Cli::parse().command {
        Command::Scan(args) => commands::scan::run(args),
        Command::Diff(args) => commands::diff::run(args),
        Command::Audit(args) => commands::audit::run(args),
        Command::Init(args) => commands::init::run(args),
    };
    ExitCode::from(status as u8)
}
