//! The `atu` binary: parse the command line, run, map the outcome to an exit
//! status (0 ok, 1 bad input or failure, 2 usage, 3 `--fail-on`).

use clap::Parser;

fn main() {
    let cli = match atu::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let code = match atu::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", atu::error_text(&e));
            atu::exit_code(&e)
        }
    };
    std::process::exit(code);
}
