//! Outputs people look at (issue 13): shell completions and the man page,
//! the HTML scorecard, the xlsx workbook and the terminal scorecard that fits
//! 120 columns.

use crate::common::{root, run};

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _atu"),
        ("zsh", "#compdef atu"),
        ("fish", "complete -c atu"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[atu]"),
    ] {
        let (code, out, err) = run(&root(), &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: {out}");
        assert!(out.contains("scorecard"), "{shell}");
        assert!(out.contains("out-dir"), "{shell}");
    }
    let (code, _, err) = run(&root(), &["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("possible values: bash, elvish, fish, powershell, zsh"),
        "{err}"
    );
}

#[test]
fn man_page_is_roff() {
    let (code, out, err) = run(&root(), &["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(".TH atu 1"), "{out}");
    assert!(out.contains(".SH NAME"));
    assert!(out.contains("scorecard"));
    assert!(out.contains("Exit status: 0 success"));
}
