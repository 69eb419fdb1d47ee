//! The `bomsight` command: parse the arguments, run the subcommand, and map the outcome to
//! the documented exit codes.

mod allocator;
mod cli;
mod commands;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    allocator::configure();
    let status = match Cli::parse().command {
        Command::Scan(args) => commands::scan::run(args),
        Command::Diff(args) => commands::diff::run(args),
        Command::Audit(args) => commands::audit::run(args),
        Command::Init(args) => commands::init::run(args),
    };
    ExitCode::from(status as u8)
}
