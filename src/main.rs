//! The `agora-doctor` binary: parse the command line, hand it to the library, exit with its code.

fn main() -> std::process::ExitCode {
    let cli = agora_doctor::cli::parse();
    agora_doctor::run(cli).into()
}
