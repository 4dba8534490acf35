//! The one integration-test binary: runs the `atu` executable on fixtures
//! and example data and checks whole outputs, messages and exit codes.

mod bad_input;
mod cli;
mod common;
mod contacts;
mod exports;
mod fixtures;
mod init;
mod nsat;
mod penetration;
mod reading;
mod review;
