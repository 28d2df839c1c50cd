//! insta snapshots of the human and JSON output of `agora-doctor token` for every fixture under
//! fixtures/tokens/ (made from the vectors; `--now` fixes the clock, the certificate comes from the
//! environment and must appear nowhere).

use crate::common;

use common::{doctor, fixtures};
use serde_json::Value;

fn run(f: &common::Fixture, json: bool) -> (String, i32) {
    let mut cmd = doctor();
    cmd.args(["--color", "never", "token"])
        .arg(&f.token)
        .args(&f.args)
        .args(["--now", &f.now]);
    if json {
        cmd.arg("--json");
    }
    if let Some(c) = &f.certificate {
        cmd.env("AGORA_APP_CERTIFICATE", c);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    if let Some(c) = &f.certificate {
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains(c.as_str()),
                "{}: certificate printed",
                f.name
            );
            assert!(
                !text.to_lowercase().contains(&c.to_lowercase()),
                "{}: certificate printed",
                f.name
            );
        }
    }
    assert!(stderr.is_empty(), "{}: unexpected stderr {stderr}", f.name);
    (stdout, out.status.code().unwrap())
}

#[test]
fn human_output_of_every_fixture() {
    let all = fixtures();
    assert!(all.len() >= 20, "fixtures missing");
    for f in &all {
        let (out, code) = run(f, false);
        assert!(code == 0 || code == 1, "{}: exit {code}", f.name);
        assert!(
            !out.contains('\u{1b}'),
            "{}: colour with --color never",
            f.name
        );
        insta::assert_snapshot!(format!("{}-human", f.name), format!("exit {code}\n{out}"));
    }
}

#[test]
fn json_output_of_every_fixture() {
    for f in &fixtures() {
        let (out, code) = run(f, true);
        let v: Value = common::schema::parse_json_output(out.as_bytes());
        assert_eq!(v["schema"], "agora-doctor/token/v2");
        assert_eq!(
            v["exit_code"].as_i64(),
            Some(i64::from(code)),
            "{}: exit code in JSON",
            f.name
        );
        insta::assert_json_snapshot!(format!("{}-json", f.name), v);
    }
}
