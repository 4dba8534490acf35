//! Real CRM exports (issue 3, SPEC §1.2): the example exports of the demo
//! (Dynamics, Salesforce, Italian Excel) give the canonical demo's figures
//! byte for byte, and each form of a real file has its fixture.

use std::path::Path;

use crate::common;

/// `atu attainment --format csv` on a dataset, FY2013 as of 2013-01-30.
fn attainment_csv(data: &Path) -> (i32, String, String) {
    let data = data.to_string_lossy().to_string();
    common::run(
        &common::root(),
        &[
            "attainment",
            "--data",
            &data,
            "--fy",
            "2013",
            "--as-of",
            "2013-01-30",
            "--format",
            "csv",
        ],
    )
}

#[track_caller]
fn assert_same_as_demo(example: &str) {
    let (code, demo, err) = attainment_csv(&common::root().join("examples/demo"));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = attainment_csv(&common::root().join("examples").join(example));
    assert_eq!(code, 0, "{example}: {err}");
    assert!(demo.lines().count() > 100, "{demo}");
    assert!(
        out == demo,
        "{example}: attainment differs from the demo's\n--- demo\n{demo}\n--- {example}\n{out}"
    );
}

#[test]
fn dynamics_export_gives_the_demo_figures() {
    assert_same_as_demo("dynamics");
}

#[test]
fn salesforce_export_gives_the_demo_figures() {
    assert_same_as_demo("salesforce");
}

#[test]
fn italian_excel_export_gives_the_demo_figures() {
    assert_same_as_demo("excel-it");
}

/// UTF-16LE with a BOM (Excel's "Unicode text") reads like its UTF-8 twin.
#[test]
fn utf16_file_reads_like_its_utf8_twin() {
    let src = common::fixture("real_utf16");
    let bytes = std::fs::read(src.join("opportunities.csv")).expect("fixture");
    assert!(bytes.starts_with(b"\xFF\xFEo\0"), "fixture lost its BOM");
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).expect("UTF-16");
    let twin = tempfile::tempdir().expect("tempdir");
    for f in ["members.csv", "quotas.csv"] {
        std::fs::copy(src.join(f), twin.path().join(f)).expect("copy");
    }
    std::fs::write(twin.path().join("opportunities.csv"), text).expect("write");
    let (code, want, err) = attainment_csv(twin.path());
    assert_eq!(code, 0, "{err}");
    let (code, got, err) = attainment_csv(&src);
    assert_eq!(code, 0, "{err}");
    assert_eq!(got, want);
    assert!(
        got.contains("member,M01,Daniel Ortega,Sales,Q1,100000.00,80000.00,80.00,"),
        "{got}"
    );
}
