//! The `agora-doctor` binary: parse the command line, hand it to the library, exit with its code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = agora_doctor::cli::Cli::parse();
    agora_doctor::run(cli).into()
}
