//! `atu completions SHELL`: the shell completion script of the command line
//! (clap_complete), written to stdout. Needs no data.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;

/// Writes the completion script for `shell` to stdout.
pub fn run(shell: clap_complete::Shell) -> Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "atu", &mut buf);
    super::output::to_stdout(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_script_names_commands_and_flags() {
        let mut buf = Vec::new();
        clap_complete::generate(
            clap_complete::Shell::Bash,
            &mut Cli::command(),
            "atu",
            &mut buf,
        );
        let s = String::from_utf8(buf).unwrap();
        assert!(s.contains("complete -F _atu"), "{s}");
        assert!(s.contains("scorecard"));
        assert!(s.contains("--out-dir"));
    }
}
