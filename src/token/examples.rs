//! Built-in samples for `--example`: tokens made with a sample App ID and certificate (from the test
//! vectors, not a real project), each with what a user would ask, so anyone can see the tool work.

use agora_token_core::{self as core, Expectation, Role, User};

use crate::cli::token::Example;

/// The sample App ID of the test vectors.
pub const SAMPLE_APP_ID: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
/// The sample certificate of the test vectors (public test data, never printed all the same).
pub const SAMPLE_CERTIFICATE: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
/// A token from the vectors (`generated/007/rtc-expired-long-ago`): channel `test-channel`, uid 42,
/// issued 2023-11-14 for one hour.
pub const EXPIRED_TOKEN: &str = "007eJxTYFh0N2rxy/XKS9Z3/jqoYVx94MqqybbnpO9l3gpfy5Dwbs98BYZEwySjZOMUk1TTNDMDc0MLI0vjRJMk02SzFPNUizRLA4aPwakCfAwMH5kZGBgZGBlYGBgZQHwmMMkMJlnAJA9DSWpxiW5yRmJeXmoOE4OJEQCTRCPr";

/// One sample: the token and what the user asks.
pub struct Sample {
    /// The token string.
    pub token: String,
    /// Channel, uid, role, app id; the certificate is passed separately.
    pub expectation: Expectation,
    /// The certificate the sample is checked with.
    pub certificate: &'static str,
}

fn ask(channel: &str, user: User) -> Expectation {
    Expectation {
        channel: Some(channel.into()),
        user: Some(user),
        app_id: Some(SAMPLE_APP_ID.into()),
        role: Some(Role::Publisher),
        certificate: None,
    }
}

/// The sample for `example`, built at `now` where the point is not expiry.
pub fn sample(example: Example, now: u64) -> Sample {
    let now32 = u32::try_from(now).unwrap_or(u32::MAX);
    let fresh = |role: Role| {
        core::rtc_007(
            SAMPLE_APP_ID,
            SAMPLE_CERTIFICATE,
            "demo",
            "42",
            role,
            now32,
            3600,
            3600,
            20261125,
        )
        .expect("sample ids are valid")
    };
    // A token checked for channel `demo` and uid 42 with the sample certificate.
    let demo = |token: String| (token, ask("demo", User::Uid(42)), SAMPLE_CERTIFICATE);
    let (token, expectation, certificate) = match example {
        Example::Expired => (
            EXPIRED_TOKEN.to_string(),
            ask("test-channel", User::Uid(42)),
            SAMPLE_CERTIFICATE,
        ),
        Example::Valid => demo(fresh(Role::Publisher)),
        Example::WrongChannel => (
            core::rtc_006(
                SAMPLE_APP_ID,
                SAMPLE_CERTIFICATE,
                "demo",
                "42",
                Role::Publisher,
                now32,
                now32 + 3600,
                7,
            )
            .expect("sample ids are valid"),
            ask("Demo", User::Uid(42)),
            SAMPLE_CERTIFICATE,
        ),
        Example::PlusBecameSpace => {
            // Find a salt whose token contains a `+`, then damage it the way a URL query does.
            let token = (1u32..)
                .map(|salt| {
                    core::rtc_007(
                        SAMPLE_APP_ID,
                        SAMPLE_CERTIFICATE,
                        "demo",
                        "42",
                        Role::Publisher,
                        now32,
                        3600,
                        3600,
                        salt,
                    )
                    .expect("sample ids are valid")
                })
                .find(|t| t.contains('+'))
                .expect("some salt gives a `+`");
            demo(token.replace('+', " "))
        }
        Example::Subscriber => demo(fresh(Role::Subscriber)),
        Example::WrongCertificate => (
            fresh(Role::Publisher),
            ask("demo", User::Uid(42)),
            "0f1e2d3c4b5a69788796a5b4c3d2e1f1",
        ),
        Example::AppIdPasted => (
            SAMPLE_APP_ID.to_string(),
            ask("demo", User::Uid(42)),
            SAMPLE_CERTIFICATE,
        ),
    };
    Sample {
        token,
        expectation,
        certificate,
    }
}
