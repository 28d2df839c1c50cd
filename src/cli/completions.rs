//! Arguments of `agora-doctor completions` and `agora-doctor man`.

use clap::Args;

/// `agora-doctor completions <SHELL>`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
