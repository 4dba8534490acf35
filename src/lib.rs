//! atu turns CRM CSV exports into the Rhythm-of-the-Business scorecard of an
//! Account Team Unit. Data flows one way: `cli → config → ingest → metrics →
//! report`; `commands` holds one file per subcommand that wires them up.

pub mod calendar;
pub mod cli;
pub mod commands;
pub mod config;
pub mod ingest;
pub mod metrics;
pub mod num;
pub mod report;

/// The text of an error for stderr: the message, then its causes.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut s = e.to_string();
    for cause in e.chain().skip(1) {
        s.push_str(&format!("\n  caused by: {cause}"));
    }
    s
}
