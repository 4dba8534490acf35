//! atu turns CRM CSV exports into the Rhythm-of-the-Business scorecard of an
//! Account Team Unit. Data flows one way: `cli → config → ingest → metrics →
//! report`; `commands` holds one file per subcommand that wires them up.

pub mod calendar;
pub mod cli;
pub mod commands;
pub mod config;
pub mod ingest;
pub mod kpis;
pub mod metrics;
pub mod num;
pub mod report;
pub mod schema;

/// A usage error found after parsing (a flag's value or a combination of
/// flags): exit status 2, like clap's own.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Exit status of an error: 2 for usage errors, 1 for everything else.
pub fn exit_code(e: &anyhow::Error) -> i32 {
    if e.downcast_ref::<UsageError>().is_some() {
        2
    } else {
        1
    }
}

/// The text of an error for stderr: the message, then its causes.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut s = e.to_string();
    for cause in e.chain().skip(1) {
        s.push_str(&format!("\n  caused by: {cause}"));
    }
    s
}
