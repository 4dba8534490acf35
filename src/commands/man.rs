//! `atu man`: the man page (roff, clap_mangen) of the command line, its
//! options, subcommands and exit status, written to stdout. Generated from the same clap
//! definitions as `--help`, so the two never disagree.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;

/// The man page `atu(1)`.
pub fn page() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    Ok(buf)
}

/// Writes the man page to stdout.
pub fn run() -> Result<()> {
    super::output::to_stdout(&page()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_is_roff_with_commands() {
        let s = String::from_utf8(page().unwrap()).unwrap();
        assert!(s.contains(".TH atu 1"), "{s}");
        assert!(s.contains("scorecard"));
        assert!(s.contains("Exit status"));
        assert!(s.contains("completions"));
    }
}
