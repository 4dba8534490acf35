//! How a file is written (SPEC §1.2), on tiny datasets in temporary
//! folders: the delimiter, decimal marks that read both ways, amounts (more
//! than two decimals, absurdly large, a word, two currencies), slash dates
//! whose order any date column proves, UTF-8 under a one-byte encoding,
//! quotes inside fields, report footers and rows named "Total". (The
//! fixtures of each real-export form are tested in `exports`.)

use crate::common::{dataset, fy_line, line, run_inside, MEMBERS, TWO, TWO_QUOTAS};

#[test]
fn a_semicolon_file_is_read_and_a_wrong_delimiter_says_so() {
    let d = dataset(&[("members.csv", "member_id;name\nM1;Ann\n")]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("member,M1,Ann,Sales,FY,"), "{out}");
    // A configured delimiter that does not split the header is named.
    std::fs::write(d.path().join("atu.toml"), "delimiter = \",\"\n").unwrap();
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: members.csv: the header \"member_id;name\" is one field: the file looks separated by semicolons but was read as separated by commas\nhelp: set delimiter = \";\" in atu.toml ([tables.members] delimiter for this table alone)"), "{err}");
}

/// `1,500` and `2.000` in one `;` file: whichever mark is the decimal, one
/// of them has three decimals; atu asks instead of reading 1.50 and 2000.
/// `0,500` is a decimal (a thousands group never follows a lone 0).
#[test]
fn amounts_that_read_both_ways_with_two_marks_are_refused() {
    let d = dataset(&[
        ("members.csv", TWO),
        ("quotas.csv", TWO_QUOTAS),
        ("opportunities.csv", "opportunity_id;owner_id;account_id;close_date;status;amount\nO1;M1;A1;2012-08-15;won;1,500\nO2;M2;A2;2012-09-15;won;2.000\n"),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: opportunities.csv:2: amount \"1,500\" and line 3 amount \"2.000\" use different marks and each reads both ways (thousands or decimals): the decimal mark cannot be told\nhelp: set decimal_mark = \".\" or \",\" in atu.toml ([tables.opportunities] decimal_mark for this table alone)\n"
    );
    std::fs::write(
        d.path().join("opportunities.csv"),
        "opportunity_id;owner_id;account_id;close_date;status;amount\nO1;M1;A1;2012-08-15;won;0,500\nO2;M2;A2;2012-09-15;won;1.000\n",
    )
    .expect("write");
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    // 0,50 + 1000,00 (the dot groups thousands once the comma is proven).
    assert!(
        fy_line(&out).starts_with("team,,Team,Sales,FY,2000.00,1000.50,"),
        "{out}"
    );
}

#[test]
fn amounts_with_more_than_two_decimals_are_warned() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount\nO1,M1,A1,2013-01-05,won,100\nO2,M1,A1,2013-01-05,won,1.234\n",
        ),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: opportunities.csv: 1 amount value(s) have more than two decimals (first on line 3) and are rounded to the cent"), "{err}");
}

#[test]
fn absurd_amounts_are_refused_not_overflowed() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "opportunities.csv",
            "opportunity_id,owner_id,account_id,close_date,status,amount\n\
             O1,M1,A1,2012-08-01,won,50000000000000000\n\
             O2,M1,A1,2012-08-01,won,50000000000000000\n",
        ),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with(
            "error: opportunities.csv: amount \"50000000000000000\" on 2 rows (lines 2, 3) is not an amount\n"
        ),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

/// `TBD` beside `$100.00` is not an amount (not a currency code).
#[test]
fn a_word_in_an_amount_column_is_not_a_currency() {
    let d = dataset(&[
        ("members.csv", TWO),
        ("opportunities.csv", "opportunity_id,owner_id,account_id,close_date,status,amount\nO1,M1,A1,2012-08-15,won,$100.00\nO2,M1,A1,2012-08-15,won,TBD\n"),
    ]);
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: opportunities.csv:3: amount \"TBD\" is not an amount\n"),
        "{err}"
    );
}

/// A Salesforce multi-currency export: `Amount` beside `Amount Currency`
/// holding USD and EUR would add dollars to euros; the converted amount
/// (one currency) is what the preset takes first.
#[test]
fn amounts_in_two_currencies_are_refused_and_the_converted_one_is_used() {
    let opps = "Opportunity ID,Opportunity Owner,Account ID,Close Date,Stage,Amount Currency,Amount,Amount (Converted) Currency,Amount (Converted)\n\
                O1,M1,A1,2012-08-01,Closed Won,USD,\"1,000.00\",USD,\"1,000.00\"\n\
                O2,M1,A1,2012-08-02,Closed Won,EUR,\"1,000.00\",USD,\"1,300.00\"\n";
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("opportunities.csv", opps),
        ("atu.toml", "preset = \"salesforce\"\n"),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    // 1,000.00 + 1,300.00 converted.
    assert!(
        line(&out, "member,M1,Ann,Sales,Q1,").starts_with("member,M1,Ann,Sales,Q1,,2300.00,"),
        "{out}"
    );
    std::fs::write(
        d.path().join("atu.toml"),
        "preset = \"salesforce\"\n[columns.opportunities]\namount = \"Amount\"\n",
    )
    .expect("write");
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err,
        "error: opportunities.csv:3: Amount (amount) \"1,000.00\" is in EUR (its currency column), but line 2 has \"1,000.00\" in USD (its currency column): amounts in several currencies cannot be added\n\
         help: map the converted amount instead, e.g. [columns.opportunities] amount = \"Amount (Converted)\", give the rates (a currencies table such as Salesforce's CurrencyType.csv, or [currency] rates in atu.toml), or export in one currency\n"
    );
}

#[test]
fn date_order_is_proven_by_any_date_column() {
    // start_date is always the 1st (ambiguous); end_date 30/09 proves day/month.
    let d = dataset(&[
        ("members.csv", MEMBERS),
        (
            "quotas.csv",
            "member_id,start_date,end_date,quota\nM1,01/07/2012,30/09/2012,1000\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: quotas.csv: reading slash dates as day/month/year (line 2 end_date \"30/09/2012\" proves it)"), "{err}");
    assert!(
        line(&out, "member,M1,Ann,Sales,Q1,").starts_with("member,M1,Ann,Sales,Q1,1000.00,"),
        "{out}"
    );
}

/// `--encoding windows-1252` over a roster that is UTF-8 with accents:
/// read as UTF-8 (said), so José's revenue is his.
#[test]
fn a_utf8_file_is_not_garbled_by_a_one_byte_encoding() {
    let d = dataset(&[
        ("members.csv", "member_id,name\nM1,José Núñez\nM2,Bo Chen\n"),
        ("quotas.csv", TWO_QUOTAS),
    ]);
    std::fs::write(
        d.path().join("opportunities.csv"),
        b"opportunity_id,owner_id,account_id,close_date,status,amount\nO1,Jos\xE9 N\xFA\xF1ez,A1,2012-08-15,won,100\n",
    )
    .expect("write");
    let (code, out, err) = run_inside(d.path(), &["attainment", "--encoding", "windows-1252"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "warning: members.csv: read as UTF-8, not windows-1252 as set: it is valid UTF-8 with accented letters, which windows-1252 would garble; set the encoding per table ([tables.<table>] encoding) to say so\n"
    );
    assert!(
        line(&out, "member,M1,José Núñez,Sales,FY,")
            .starts_with("member,M1,José Núñez,Sales,FY,1000.00,100.00,10.00,"),
        "{out}"
    );
}

/// A quote inside an unquoted field (`"Acme" Inc`), which the csv crate
/// reads and polars does not: the records are quoted again and read.
#[test]
fn quotes_inside_fields_are_read() {
    let d = dataset(&[
        ("members.csv", TWO),
        ("quotas.csv", TWO_QUOTAS),
        ("opportunities.csv", "opportunity_id,owner_id,account_id,close_date,status,amount\nO1,M1,Acme \"West\" Inc,2012-08-15,won,100\nO2,M1,\"Acme\" Inc,2012-08-15,won,100\n"),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(
        fy_line(&out).starts_with("team,,Team,Sales,FY,2000.00,200.00,10.00,"),
        "{out}"
    );
}

/// A footer after an empty line, without "Grand Totals" (CRLF).
#[test]
fn a_footer_after_an_empty_line_is_left_out() {
    let d = dataset(&[
        ("members.csv", TWO),
        ("quotas.csv", TWO_QUOTAS),
        ("opportunities.csv", "\"opportunity_id\",\"owner_id\",\"account_id\",\"close_date\",\"status\",\"amount\"\r\n\"O1\",\"M1\",\"A1\",\"2012-08-15\",\"won\",\"100\"\r\n\r\n\"Generated By:  Ann Lee  11/27/2026 3:00 PM\"\r\n\"Contoso\"\r\n"),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "warning: opportunities.csv: lines 4–5 are a report footer (\"Generated By:  Ann Lee  11/27/2026 3:00 PM\"…) and are left out\n"
    );
    assert!(
        fy_line(&out).starts_with("team,,Team,Sales,FY,2000.00,100.00,5.00,"),
        "{out}"
    );
}

/// Accounts whose names start with "Total" are data: only mostly blank
/// rows are report totals. 100 + 900 + 500 won.
#[test]
fn rows_named_total_are_data() {
    let d = dataset(&[
        ("members.csv", TWO),
        ("quotas.csv", TWO_QUOTAS),
        (
            "opportunities.csv",
            "account_id,opportunity_id,owner_id,close_date,status,amount\nContoso,O1,M1,2012-08-15,won,100.00\nTotal (Holdings),O2,M1,2012-09-15,won,900.00\nTOTAL: Energies,O3,M2,2012-09-15,won,500.00\n,,,,,1500.00\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1, "the last row has an amount only: {out}");
    assert!(
        err.contains("opportunities.csv:5: opportunity_id \"\" is empty but required"),
        "{err}"
    );
    std::fs::write(
        d.path().join("opportunities.csv"),
        "account_id,opportunity_id,owner_id,close_date,status,amount\nContoso,O1,M1,2012-08-15,won,100.00\nTotal (Holdings),O2,M1,2012-09-15,won,900.00\nTOTAL: Energies,O3,M2,2012-09-15,won,500.00\nTotal,,,,,1500.00\n",
    )
    .expect("write");
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        fy_line(&out).starts_with("team,,Team,Sales,FY,2000.00,1500.00,75.00,"),
        "{out}"
    );
    assert_eq!(
        err,
        "warning: opportunities.csv: lines 5–5 are a report footer (\"Total,,,,,1500.00\"…) and are left out\n"
    );
}
