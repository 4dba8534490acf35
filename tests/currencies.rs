//! Currencies (SPEC §3.6a) and Salesforce's IsClosed / IsWon: amounts in
//! several currencies converted line by line to the reporting currency
//! with the rates of a currencies table, `[currency] rates` or dated
//! rates; `--currency`; a currency without a rate; quotas in their own
//! currency; the scope line naming the currency; a CRM partner field
//! blank on every line. Every figure is worked
//! out by hand in the comments.

use crate::common::{dataset, line, run_inside, MEMBERS};

/// Rates as Salesforce's CurrencyType.csv writes them: USD corporate.
const RATES: &str = "IsoCode,ConversionRate,DecimalPlaces,IsActive,IsCorporate\n\
                     USD,1,2,1,1\n\
                     MXN,18.2,2,1,0\n\
                     COP,4500,2,1,0\n";

/// Won lines of M1 in FY2013 Q1: 1,000.00 MXN, 22.50 COP, 100.00 USD.
const OPPS: &str = "opportunity_id,owner_id,account_id,close_date,status,amount,currency\n\
                    O1,M1,A1,2012-08-01,won,1000.00,MXN\n\
                    O2,M1,A1,2012-08-02,won,22.50,COP\n\
                    O3,M1,A1,2012-08-03,won,100.00,USD\n";

fn with_rates(toml: &str, opps: &str) -> tempfile::TempDir {
    dataset(&[
        ("members.csv", MEMBERS),
        ("opportunities.csv", opps),
        ("CurrencyType.csv", RATES),
        ("atu.toml", toml),
    ])
}

const SF_RATES: &str = "preset = \"salesforce\"\n[files]\ncurrencies = \"CurrencyType.csv\"\n";

#[test]
fn each_line_is_converted_and_rounded_to_the_cent_before_the_sum() {
    let d = with_rates(SF_RATES, OPPS);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    // 1,000.00 / 18.2 = 54.9450… → 54.95; 22.50 / 4500 = 0.005 → 0.01
    // (half away from zero); 100.00 USD as is: 54.95 + 0.01 + 100.00.
    assert!(
        line(&out, "member,M1,Ann,Sales,Q1,").starts_with("member,M1,Ann,Sales,Q1,,154.96,"),
        "{out}"
    );
    let (_, json, _) = run_inside(d.path(), &["attainment", "--format", "json"]);
    assert!(json.contains("all accounts, amounts in USD"), "{json}");
}

#[test]
fn the_reporting_currency_can_be_another_one() {
    let d = with_rates(SF_RATES, OPPS);
    let (code, out, err) = run_inside(d.path(), &["attainment", "--currency", "mxn"]);
    assert_eq!(code, 0, "{err}");
    // amount × rate(MXN) / rate(line): 1,000.00 MXN as is; 22.50 COP ×
    // 18.2 / 4500 = 0.091 → 0.09; 100.00 USD × 18.2 = 1,820.00.
    assert!(
        line(&out, "member,M1,Ann,Sales,Q1,").starts_with("member,M1,Ann,Sales,Q1,,2820.09,"),
        "{out}"
    );
}

#[test]
fn a_currency_without_a_rate_names_it_the_line_and_the_fix() {
    let opps = format!("{OPPS}O4,M1,A1,2012-08-04,won,10.00,GBP\n");
    let d = with_rates(SF_RATES, &opps);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(
        err.contains("error: opportunities.csv:5: amount \"GBP 10.00\" is in GBP, which has no rate to USD on 2012-08-04"),
        "{err}"
    );
    assert!(
        err.contains("help: add GBP to the rates (CurrencyType.csv), e.g. [currency] rates = { GBP = 1.1 } in atu.toml"),
        "{err}"
    );
    // With --skip-invalid the line is left out and the others count.
    let (code, out, err) = run_inside(d.path(), &["attainment", "--skip-invalid"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        line(&out, "member,M1,Ann,Sales,Q1,").starts_with("member,M1,Ann,Sales,Q1,,154.96,"),
        "{out}"
    );
}

#[test]
fn rates_in_the_config_and_a_reporting_currency_without_a_table() {
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("opportunities.csv", OPPS),
        (
            "atu.toml",
            "[currency]\nreport = \"USD\"\nrates = { MXN = 20, COP = \"4000\" }\n",
        ),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    // 1,000.00 / 20 = 50.00; 22.50 / 4000 = 0.005625 → 0.01; + 100.00.
    assert!(
        line(&out, "member,M1,Ann,Sales,Q1,").starts_with("member,M1,Ann,Sales,Q1,,150.01,"),
        "{out}"
    );
    // Rates without a currency of rate 1 nor a report: atu cannot tell.
    std::fs::write(
        d.path().join("atu.toml"),
        "[currency]\nrates = { MXN = 20 }\n",
    )
    .expect("write");
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("help: set [currency] report = \"USD\" in atu.toml, or pass --currency USD"),
        "{err}"
    );
    // A bad rate in the config names the key.
    std::fs::write(
        d.path().join("atu.toml"),
        "[currency]\nreport = \"USD\"\nrates = { MXN = 0 }\n",
    )
    .expect("write");
    let (code, _, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("[currency] rates MXN = 0 is not a rate"),
        "{err}"
    );
}

#[test]
fn dated_rates_take_the_rate_of_the_close_date() {
    let rates =
        "currency,rate,start_date\nUSD,1,2012-01-01\nEUR,0.8,2012-07-01\nEUR,0.75,2012-10-01\n";
    let opps = "opportunity_id,owner_id,account_id,close_date,status,amount,currency\n\
                O1,M1,A1,2012-09-30,won,30.00,EUR\n\
                O2,M1,A1,2012-10-01,won,30.00,EUR\n";
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("opportunities.csv", opps),
        ("currencies.csv", rates),
        ("atu.toml", "[currency]\nreport = \"USD\"\n"),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    // Q1 (Jul–Sep): 30.00 / 0.8 = 37.50 on 2012-09-30; Q2: 30.00 / 0.75 =
    // 40.00 from 2012-10-01 (the quarter boundary).
    assert!(
        line(&out, "member,M1,Ann,Sales,Q1,").starts_with("member,M1,Ann,Sales,Q1,,37.50,"),
        "{out}"
    );
    assert!(
        line(&out, "member,M1,Ann,Sales,Q2,").starts_with("member,M1,Ann,Sales,Q2,,40.00,"),
        "{out}"
    );
}

#[test]
fn quotas_in_their_own_currency_are_converted_too() {
    let quotas = "member_id,fiscal_year,period,quota,currency\nM1,2013,Q1,\"18,200.00\",MXN\n";
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("opportunities.csv", OPPS),
        ("quotas.csv", quotas),
        ("CurrencyType.csv", RATES),
        ("atu.toml", SF_RATES),
    ]);
    let (code, out, err) = run_inside(d.path(), &["attainment"]);
    assert_eq!(code, 0, "{err}");
    // Quota 18,200.00 MXN / 18.2 = 1,000.00 USD; 154.96 / 1,000.00 = 15.50 %.
    assert!(
        line(&out, "member,M1,Ann,Sales,Q1,")
            .starts_with("member,M1,Ann,Sales,Q1,1000.00,154.96,15.50,"),
        "{out}"
    );
}

#[test]
fn is_closed_and_is_won_decide_the_status_whatever_the_stage() {
    // A Data Loader extract with stages in Spanish nobody mapped.
    let opps = "Id,OwnerId,AccountId,CloseDate,StageName,Amount,IsClosed,IsWon\n\
                O1,M1,A1,2012-08-01,Cerrada ganada,100.00,1,1\n\
                O2,M1,A1,2012-08-02,Cerrada perdida,50.00,1,0\n\
                O3,M1,A1,2013-03-02,Negociación,70.00,0,0\n\
                O4,M1,A1,2012-08-03,Closed Won,5.00,,\n";
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("opportunities.csv", opps),
        ("atu.toml", "preset = \"salesforce\"\n"),
    ]);
    let (code, out, err) = run_inside(d.path(), &["pipeline"]);
    assert_eq!(code, 0, "{err}");
    // Won: O1 and O4 (flags blank: its stage says won); lost: O2; open: O3.
    // win rate 2 / 3 = 66.67; pipeline 70.00.
    assert!(
        line(&out, "member,M1,Ann,").starts_with("member,M1,Ann,2,1,66.67,70.00,"),
        "{out}"
    );
    // A flag that says neither and an unknown stage: the row's error names
    // both columns.
    let bad = format!("{opps}O5,M1,A1,2012-08-04,Firmas,5.00,maybe,\n");
    std::fs::write(d.path().join("opportunities.csv"), bad).expect("write");
    let (code, _, err) = run_inside(d.path(), &["pipeline"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("opportunities.csv:6: IsClosed / IsWon / StageName (status) \"Firmas\" is not a known status"),
        "{err}"
    );
}

/// A backup's PrimaryPartnerAccountId blank (or the empty lookup) on every
/// line: partner attach is 0 %, and the warning says where partners may be.
#[test]
fn a_crm_partner_field_that_is_blank_on_every_line_is_said() {
    let opps = "Id,OwnerId,AccountId,CloseDate,StageName,Amount,PrimaryPartnerAccountId\n\
                O1,M1,A1,2012-08-01,Closed Won,100.00,000000000000000AAA\n\
                O2,M1,A1,2012-08-02,Closed Won,50.00,\n";
    let d = dataset(&[
        ("members.csv", MEMBERS),
        ("opportunities.csv", opps),
        ("atu.toml", "preset = \"salesforce\"\n"),
    ]);
    let (code, out, err) = run_inside(d.path(), &["partners"]);
    assert_eq!(code, 0, "{err}");
    // Two won opportunities, none with a partner: 0 / 2 = 0.00 %.
    assert!(
        line(&out, "member,M1,Ann,").starts_with("member,M1,Ann,2,0,0.00,"),
        "{out}"
    );
    assert!(
        err.contains("warning: opportunities.csv: PrimaryPartnerAccountId (partner_id) is blank (or Salesforce's empty lookup 000000000000000AAA) on every line, so no line has a partner and partner attach is 0 %"),
        "{err}"
    );
}
