//! Pure core of Agora access tokens (006 AccessToken, 007 AccessToken2): decode, verify, validate,
//! repair and build. No clock, environment or I/O: callers pass `now` and every input.
//!
//! A crate of its own so that both agora-doctor and the simulated edge (`sim/`) validate tokens with
//! the same code without a dependency cycle.
//!
//! ```
//! use agora_token_core::*;
//! let tok = rtc_007("970CA35de60c44645bbae8a215061b33", "5CFd2fd1755d40ecb72977518be15d3b",
//!     "demo", &uid_text(42), Role::Publisher, 1_800_000_000, 3600, 3600, 7).unwrap();
//! let exp = Expectation { channel: Some("demo".into()), user: Some(User::Uid(42)),
//!     certificate: Some("5CFd2fd1755d40ecb72977518be15d3b".into()), ..Default::default() };
//! let c = check(&tok, &exp, 1_800_000_100);
//! assert!(c.findings.iter().all(|f| !f.status.fails(false)));
//! assert!(c.findings.iter().any(|f| f.key == keys::SIGNATURE_VALID));
//! ```

pub mod build;
pub mod decode;
pub mod diagnose;
pub mod examine;
pub mod finding;
pub mod keys;
pub mod mint;
pub mod model;
pub mod time;
pub mod validate;
pub mod verify;
mod wire;
pub mod words;

pub use build::{
    build_006, build_007, rebuild_007, rtc_006, rtc_007, rtc_service, rtm_006, rtm_007,
    rtm_service, Build006, Build007, BuildError, Role, V006_LIFETIME,
};
pub use decode::{decode, DecodeError};
pub use diagnose::{diagnose, Code, Diagnosis};
pub use examine::examine;
pub use finding::{Finding, Status};
pub use keys::FINDING_KEYS;
pub use model::*;
pub use validate::{
    check, check_for, diagnosis_finding, inferred_use, validate, validate_for, Check, Expectation,
    ServiceUse, User,
};
pub use verify::{
    crc32, sign_006, sign_007, typed_uid_text, uid_text, verify, verify_006, verify_007,
};
