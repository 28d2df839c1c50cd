//! Property tests: build → decode round-trips any channel, uid and expiry in both formats, and a
//! single changed character anywhere in a token is detected or reported (never a panic, never a
//! silently different token).

use agora_token_core::*;
use proptest::prelude::*;

const APP: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const CERT: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn channel() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 !#$%&()+:;<=.>?@\\[\\]^_{}|~,-]{0,64}",
        any::<String>().prop_filter("fits a u16 length", |s| s.len() < 1000),
    ]
}

proptest! {
    #[test]
    fn build_then_decode_007_round_trips(ch in channel(), uid in any::<u32>(), issue in any::<u32>(),
                                         expire in any::<u32>(), salt in any::<u32>(), publisher in any::<bool>()) {
        let role = if publisher { Role::Publisher } else { Role::Subscriber };
        let tok = rtc_007(APP, CERT, &ch, &uid_text(uid), role, issue, expire, expire, salt).unwrap();
        let Token::V007(t) = decode(&tok).unwrap() else { panic!("not 007") };
        prop_assert_eq!(&t.app_id, APP);
        prop_assert_eq!((t.issue_ts, t.expire, t.salt), (issue, expire, salt));
        let (c, u, s) = t.rtc_services().next().unwrap();
        prop_assert_eq!(c, ch.as_str());
        let want_uid = uid_text(uid);
        prop_assert_eq!(u, want_uid.as_str());
        prop_assert_eq!(s.privileges.len(), if publisher { 4 } else { 1 });
        prop_assert!(s.privileges.iter().all(|p| p.value == expire));
        prop_assert!(verify_007(&t, CERT));
        prop_assert_eq!(rebuild_007(&t, CERT).unwrap(), tok);
    }

    #[test]
    fn build_then_decode_006_round_trips(ch in channel(), uid in any::<u32>(), issued in 0u32..4_000_000_000,
                                         expire in any::<u32>(), salt in any::<u32>()) {
        let tok = rtc_006(APP, CERT, &ch, &uid_text(uid), Role::Publisher, issued, expire, salt).unwrap();
        let Token::V006(t) = decode(&tok).unwrap() else { panic!("not 006") };
        prop_assert_eq!(t.crc_channel_name, crc32(&ch));
        prop_assert_eq!(t.crc_uid, crc32(&uid_text(uid)));
        prop_assert_eq!(t.ts, issued.wrapping_add(V006_LIFETIME));
        prop_assert_eq!(t.salt, salt);
        prop_assert!(t.privileges.iter().all(|p| p.value == expire));
        prop_assert!(verify_006(&t, CERT, &ch, &uid_text(uid)));
        let other = format!("{}x", ch);
        prop_assert!(!verify_006(&t, CERT, &other, &uid_text(uid)));
    }

    #[test]
    fn a_single_changed_character_is_detected_or_harmless(
        v006 in any::<bool>(), ch in "[a-z0-9-]{1,20}", uid in 1u32.., salt in any::<u32>(),
        pos in any::<prop::sample::Index>(),
        replacement in prop::sample::select("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= -_%!\n\"".chars().collect::<Vec<_>>()),
    ) {
        let now = 1_795_564_800u32;
        let tok = if v006 {
            rtc_006(APP, CERT, &ch, &uid_text(uid), Role::Publisher, now, now + 3600, salt).unwrap()
        } else {
            rtc_007(APP, CERT, &ch, &uid_text(uid), Role::Publisher, now, 3600, 3600, salt).unwrap()
        };
        let mut chars: Vec<char> = tok.chars().collect();
        let i = pos.index(chars.len());
        prop_assume!(chars[i] != replacement);
        chars[i] = replacement;
        let damaged: String = chars.into_iter().collect();
        let exp = Expectation {
            channel: Some(ch.clone()),
            user: Some(User::Uid(u64::from(uid))),
            app_id: Some(APP.into()),
            role: Some(Role::Publisher),
            certificate: Some(CERT.into()),
        };
        let c = check(&damaged, &exp, u64::from(now) + 60);
        let reported = c.diagnosis.code != Code::Ok || c.findings.iter().any(|f| f.status.fails(false));
        // Not reported is only acceptable when the token means exactly the same (e.g. deflate padding
        // bits after the last block, which inflate ignores): same fields, same signature.
        if !reported {
            let original = decode(&tok).unwrap();
            let seen = c.diagnosis.token.clone().unwrap();
            let same = match (&original, &seen) {
                (Token::V006(a), Token::V006(b)) => a == b,
                (Token::V007(a), Token::V007(b)) => {
                    a.signing_info == b.signing_info && a.signature == b.signature
                }
                _ => false,
            };
            prop_assert!(same, "undetected change at {i}: {damaged}");
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics(prefix in prop::sample::select(vec!["", "006", "007", "007eJx", "005"]),
                                    body in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        use base64::Engine as _;
        let exp = Expectation { channel: Some("c".into()), user: Some(User::Uid(1)), certificate: Some(CERT.into()), ..Default::default() };
        let _ = check(&format!("{prefix}{body}"), &exp, 0);
        // Arbitrary bytes that are valid base64, so decoding reaches zlib and the field parser.
        let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let _ = check(&format!("007{b64}"), &exp, 0);
        let _ = check(&format!("006{APP}{b64}"), &exp, 0);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, &bytes).unwrap();
        let zb = base64::engine::general_purpose::STANDARD.encode(z.finish().unwrap());
        let _ = check(&format!("007{zb}"), &exp, 0);
    }
}

#[test]
fn every_finding_key_is_in_the_contract() {
    // A spread of situations: every key emitted must be one of FINDING_KEYS.
    let exp = Expectation {
        channel: Some("x".repeat(70)),
        user: Some(User::Uid(0)),
        app_id: Some("A1B2C3D4E5F60718293A4B5C6D7E8F90".into()),
        role: Some(Role::Publisher),
        certificate: Some(CERT.into()),
    };
    let tokens = [
        rtc_007(APP, CERT, "c", "0", Role::Subscriber, 100, 0, 5, 1).unwrap(),
        rtc_007(
            APP,
            CERT,
            "c",
            "",
            Role::Publisher,
            4_000_000_000,
            1_900_000_000,
            1_900_000_000,
            1,
        )
        .unwrap(),
        rtc_006(APP, CERT, "c", "0", Role::Subscriber, 100, 50, 1).unwrap(),
        rtm_006(APP, CERT, "u", 100, 50, 1).unwrap(),
        rtm_007(APP, CERT, "u", 100, 86_400, 1).unwrap(),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for t in &tokens {
        for now in [0u64, 200, 5_000_000_000] {
            for f in check(t, &exp, now).findings {
                assert!(
                    FINDING_KEYS.contains(&f.key.as_str()),
                    "{} not in FINDING_KEYS",
                    f.key
                );
                seen.insert(f.key);
            }
        }
    }
    assert!(
        seen.len() >= 15,
        "only {} distinct keys exercised: {seen:?}",
        seen.len()
    );
}
