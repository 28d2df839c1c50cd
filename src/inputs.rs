//! The inputs of a run that talks to Agora (`probe`, `join`, `report`), resolved once against the
//! [`Env`]: the App ID, the App Certificate (one reader: [`crate::token::certificate`]), the token,
//! the channel and uid, and the target — Agora itself, or the simulated world (`--sim`).
//!
//! Under `--sim` there is one simulated project ([`SimWorld`]): its App ID, its certificate and its
//! channel, and it mints every token. The environment's `AGORA_APP_ID` and `AGORA_APP_CERTIFICATE`
//! (which the tool recommends exporting for real runs) are ignored, and the report says so; what the
//! command line names explicitly (`--app-id`, `--cert-file`, `--channel`) becomes the simulated
//! project's, so `probe --sim`, `join --sim`, `report --sim` and the browser flow judge the same
//! project the same way.

use std::path::Path;
use std::sync::Arc;

use agora_sim::edge::{Fault, SimError};
use agora_sim::native::RelayFault;
use agora_sim::world::{SimWorld, WorldConfig};
use agora_token_core::{typed_uid_text, uid_text};

use crate::cli::join::{JoinArgs, SimFault};
use crate::cli::ProbeArgs;
use crate::env::{Env, APP_ID_ENV, CERT_ENV};
use crate::token::certificate::{self, CertSources, Certificate};
use crate::token::TokenError;

/// What the user asked for, as `probe` and `join` share it.
#[derive(Debug, Clone, Default)]
pub struct Asked<'a> {
    /// `--sim`.
    pub sim: bool,
    /// `--app-id` (or `AGORA_APP_ID`, see [`Env::came_from_env`]).
    pub app_id: Option<&'a str>,
    /// `--token`.
    pub token: Option<&'a str>,
    /// `--token-server`: the URL template of the user's token server, asked for the tokens.
    pub token_server: Option<&'a str>,
    /// `--channel`.
    pub channel: Option<&'a str>,
    /// `--uid`.
    pub uid: Option<&'a str>,
    /// `--cert-file`.
    pub cert_file: Option<&'a Path>,
    /// `--cert-file`'s first line, read once ([`Asked::read_cert_file`]) for both the redactor and
    /// the certificate's resolution; `None` for stdin (`-`, read by the resolution alone).
    pub cert_line: Option<Result<String, String>>,
    /// A fault the simulated edge injects (`--sim` only).
    pub edge_fault: Fault,
    /// A fault the simulated native relay injects (`--sim` only).
    pub relay_fault: RelayFault,
    /// The simulated project's token for the uid expired an hour ago (`join --sim-fault expired`).
    pub expired_token: bool,
}

impl<'a> Asked<'a> {
    /// What `probe` (and `report`) ask for, with `--cert-file` read.
    pub fn probe(args: &'a ProbeArgs) -> Self {
        Asked {
            sim: args.sim,
            app_id: args.app_id.as_deref(),
            token: args.token.as_deref(),
            token_server: args.token_server.as_deref(),
            channel: args.channel.as_deref(),
            uid: args.uid.as_deref(),
            // --cert-stdin is --cert-file - (the certificate reader takes `-` as stdin).
            cert_file: args
                .cert_file
                .as_deref()
                .or(args.cert_stdin.then_some(Path::new("-"))),
            ..Asked::default()
        }
        .read_cert_file()
    }

    /// What `join` asks for, with `--cert-file` read; its `--sim-fault` stalls the relay or
    /// expires the token.
    pub fn join(args: &'a JoinArgs) -> Self {
        Asked {
            sim: args.sim,
            app_id: args.app_id.as_deref(),
            token: args.token.as_deref(),
            channel: args.channel.as_deref(),
            uid: Some(args.uid.as_str()),
            cert_file: args.cert_file.as_deref(),
            relay_fault: match args.sim_fault {
                Some(SimFault::Stall) => RelayFault::Stall,
                _ => RelayFault::None,
            },
            expired_token: args.sim_fault == Some(SimFault::Expired),
            ..Asked::default()
        }
        .read_cert_file()
    }

    /// The flags that aim a command at this run's target again (`--sim`, or none for Agora), for
    /// the commands a report gives to reproduce the run.
    pub fn target_flags(&self) -> &'static [&'static str] {
        if self.sim {
            &["--sim"]
        } else {
            &[]
        }
    }

    /// Read `--cert-file` (unless it is stdin): the one read of the file in a run.
    pub fn read_cert_file(mut self) -> Self {
        self.cert_line = self
            .cert_file
            .filter(|p| p.as_os_str() != "-")
            .map(certificate::file_first_line);
        self
    }
}

/// Where the run's requests go.
#[derive(Debug, Clone, Default)]
pub enum Target {
    /// Agora's own service.
    #[default]
    Agora,
    /// The simulated world (a test double), shared by every check of the run.
    Simulated(Arc<SimWorld>),
}

/// A bad input that stops the run before anything is tried (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The certificate cannot be read or is not 32 hex digits.
    #[error(transparent)]
    Certificate(#[from] TokenError),
    /// The simulated world did not start.
    #[error("could not start the simulated edge: {0}; check that loopback (127.0.0.1) is usable")]
    Sim(#[from] SimError),
    /// `--token-server` gave no token (the message names the URL and the next step).
    #[error("{0}")]
    TokenServer(String),
}

/// The secrets a run was given, for the redactor: the token (as given and repaired, its body and
/// its signature) and every certificate it may have read (the environment's, `--cert-file`'s),
/// whether or not they turn out valid.
pub fn given_secrets(asked: &Asked<'_>, env: &Env) -> Vec<String> {
    let mut certificates: Vec<String> = env
        .certificate()
        .filter(|c| !c.trim().is_empty())
        .map(str::to_owned)
        .into_iter()
        .collect();
    if let Some(Ok(cert)) = &asked.cert_line {
        certificates.push(cert.clone());
    }
    let certificates: Vec<&str> = certificates.iter().map(String::as_str).collect();
    let diagnosis = asked.token.map(agora_token_core::diagnose);
    crate::redact::secrets_of(
        asked.token,
        diagnosis.as_ref().and_then(|d| d.token.as_ref()),
        diagnosis.as_ref().and_then(|d| d.repaired.as_deref()),
        &certificates,
    )
}

/// The resolved inputs: the project and its tokens, the target, and what a probe run adds (the
/// page, Chromium, the native SDK and the Web SDK, and the environment they are looked for in).
/// Tests build their own (`Inputs { url: …, ..Inputs::default() }`).
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The App ID (under `--sim`: the simulated project's).
    pub app_id: Option<String>,
    /// The App Certificate (from `AGORA_APP_CERTIFICATE` or `--cert-file`; under `--sim` the
    /// simulated project's), to verify signatures and mint tokens.
    pub certificate: Option<Certificate>,
    /// The token to join with: given, from the token server, or minted by the simulated project.
    pub token: Option<String>,
    /// The room's other participant's token (for uid 0) when the token server gave the tokens.
    pub speaker_token: Option<String>,
    /// True when [`Inputs::token`] was minted by the simulated project, not given.
    pub token_minted: bool,
    /// The tokens minted for the run (for the uid as typed, as a number, and for any uid).
    pub minted: Minted,
    /// The channel (under `--sim`: the simulated project's unless given).
    pub channel: Option<String>,
    /// The uid or user account.
    pub uid: Option<String>,
    /// Agora or the simulated world.
    pub target: Target,
    /// What the resolution decided that the user should know (shown in every report of the run).
    pub notes: Vec<String>,
    /// `--url`: the page the Web SDK runs on (with `http://` added when typed without a scheme).
    pub url: Option<String>,
    /// `--url` as typed, when it had no scheme and `http://` was assumed (said in the output).
    pub url_typed: Option<String>,
    /// Chrome flags the user runs with (`--unsafely-treat-insecure-origin-as-secure=…`).
    pub chrome_flags: Vec<String>,
    /// `--browser`: open `--url` in headless Chromium (the browser check).
    pub browser: bool,
    /// `--flow`: run the Web SDK flow (join → publish → unpublish → leave) in the browser check.
    pub flow: bool,
    /// `--room`: run the two-participant voice room in the browser check (default under --sim).
    pub room: bool,
    /// `--no-browser` / `AGORA_DOCTOR_NO_BROWSER`: never start Chromium (opts out of --sim's web flow).
    pub no_browser: bool,
    /// `--chromium`: the Chromium binary to use instead of searching for one.
    pub chromium: Option<std::path::PathBuf>,
    /// `--sdk`: Agora's native SDK library or its directory (the join check).
    pub sdk: Option<std::path::PathBuf>,
    /// Where the Agora Web SDK the built-in demo page loads is looked for (`--web-sdk` first; see
    /// `browser::web_sdk`).
    pub web_sdk: crate::browser::web_sdk::Search,
    /// agora-doctor's cache folder (the carried SDK double is written there).
    pub cache_dir: Option<std::path::PathBuf>,
    /// `AGORA_SDK_LIB`, read once from the environment (the join check's next place to look).
    pub sdk_env: Option<std::ffi::OsString>,
    /// `LD_LIBRARY_PATH`, read once from the environment (the join check's search).
    pub ld_library_path: Option<std::ffi::OsString>,
    /// The proxy variables that are set (`HTTPS_PROXY=…`), read once from the environment.
    pub proxies: Vec<(String, String)>,
}

impl Inputs {
    /// Resolve the inputs once; under `--sim` this starts the simulated world.
    pub fn resolve(asked: &Asked<'_>, env: &Env) -> Result<Inputs, InputError> {
        if !asked.sim {
            let certificate = env.with_stdin(|stdin| {
                certificate::read(
                    CertSources {
                        file: asked.cert_file,
                        file_line: asked.cert_line.as_ref(),
                        env: env.certificate(),
                        ..CertSources::default()
                    },
                    stdin,
                )
            })?;
            let mut inputs = Inputs::asked(asked, asked.app_id, certificate, Vec::new());
            if let Some(template) = asked.token_server {
                // Without --channel there is nothing to ask for; the checks then say what is missing.
                if let Some(channel) = inputs.channel.clone() {
                    inputs.ask_token_server(template, &channel)?;
                }
            }
            inputs.mint_all(env.now(), false);
            return Ok(inputs);
        }
        let mut notes = Vec::new();
        let app_id_from_env = asked.app_id.is_some() && env.came_from_env("app_id");
        let ignored: Vec<&str> = [
            app_id_from_env.then_some(APP_ID_ENV),
            env.certificate()
                .filter(|c| !c.trim().is_empty())
                .map(|_| CERT_ENV),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !ignored.is_empty() {
            notes.push(format!(
                "--sim ignored {} from the environment: the simulated edge hosts its own project; pass --app-id or --cert-file to make yours the simulated project's, or drop --sim to test your project against Agora",
                ignored.join(" and ")
            ));
        }
        let explicit_app_id = asked.app_id.filter(|_| !app_id_from_env);
        // Only an explicit file names the simulated project's certificate; the variable is ignored.
        let certificate = match asked.cert_file {
            Some(_) => env.with_stdin(|stdin| {
                certificate::read(
                    CertSources {
                        file: asked.cert_file,
                        file_line: asked.cert_line.as_ref(),
                        ..CertSources::default()
                    },
                    stdin,
                )
            })?,
            None => None,
        };
        let world = Arc::new(SimWorld::start(WorldConfig {
            app_id: explicit_app_id.map(str::to_string),
            app_certificate: certificate.as_ref().map(|c| c.expose().to_string()),
            channel: asked.channel.map(str::to_string),
            edge_fault: asked.edge_fault,
            relay_fault: asked.relay_fault,
        })?);
        if let Some(app_id) = explicit_app_id {
            let signer = if certificate.is_some() {
                "the certificate from --cert-file"
            } else {
                "a certificate made for this run"
            };
            notes.push(format!(
                "the simulated project uses App ID {app_id} from --app-id, with {signer}"
            ));
        }
        if (asked.token.is_some() || asked.token_server.is_some()) && certificate.is_none() {
            let given = if asked.token.is_some() {
                "--token"
            } else {
                "the tokens from --token-server"
            };
            notes.push(format!(
                "under --sim the simulated project judges {given} with its own certificate, made for this run: a token your server signed cannot pass; pass --app-id and --cert-file with your project's App ID and the certificate that signed it, drop them to let the simulated project mint its own, or drop --sim to test against Agora"
            ));
        }
        let mut inputs = Inputs::asked(asked, None, certificate, notes);
        if let Some(template) = asked.token_server {
            let channel = asked.channel.unwrap_or(world.channel()).to_string();
            inputs.ask_token_server(template, &channel)?;
        }
        inputs.adopt_world(&world, env.now(), asked.expired_token);
        Ok(inputs)
    }

    /// What the user gave, aimed at Agora until a simulated world is adopted.
    fn asked(
        asked: &Asked<'_>,
        app_id: Option<&str>,
        certificate: Option<Certificate>,
        notes: Vec<String>,
    ) -> Inputs {
        Inputs {
            app_id: app_id.map(str::to_string),
            certificate,
            token: asked.token.map(str::to_string),
            channel: asked.channel.map(str::to_string),
            uid: asked.uid.map(str::to_string),
            notes,
            ..Inputs::default()
        }
    }

    /// Ask the user's token server for the run's tokens as their app does: a publisher token for
    /// the uid (or uid 0), and one for uid 0 for the room's other participant when the uid is not 0.
    fn ask_token_server(&mut self, template: &str, channel: &str) -> Result<(), InputError> {
        let asked_uid = typed_uid_text(self.uid.as_deref());
        let user = if asked_uid.is_empty() {
            "0"
        } else {
            asked_uid.as_str()
        };
        // uid 0 admits any uid, so one token serves both participants when B's uid is 0.
        let users: &[&str] = if user == "0" { &["0"] } else { &[user, "0"] };
        let tokens = crate::token_server::ask::publisher_tokens(template, channel, users)
            .map_err(InputError::TokenServer)?;
        self.token = tokens.first().cloned();
        self.speaker_token = tokens.last().cloned();
        let asked_for = if user == "0" {
            "uid 0, for both participants of the room".to_string()
        } else {
            format!("uid {user}, and uid 0 for the room's other participant")
        };
        self.notes.push(format!(
            "the tokens came from your token server ({template}), asked for channel {channel} as a publisher: {asked_for}"
        ));
        Ok(())
    }

    /// Aim the run at the simulated world: fill what the user left open from its project, mint the
    /// run's tokens with its certificate, and join with the one for the uid when none was given
    /// (`expired`: one that expired an hour ago).
    pub fn adopt_world(&mut self, world: &Arc<SimWorld>, now: u64, expired: bool) {
        self.target = Target::Simulated(Arc::clone(world));
        let project = world.project();
        self.app_id = Some(project.app_id.clone());
        if self.certificate.is_none() {
            self.certificate = Some(Certificate::simulated(&project.app_certificate));
        }
        if self.channel.is_none() {
            self.channel = Some(world.channel().to_string());
        }
        self.mint_all(now, expired);
        if self.token.is_none() {
            // A token that cannot be built is joined with empty, and refused like any bad one.
            self.token = if expired {
                self.minted.expired.clone()
            } else {
                self.minted.typed_uid.clone().map(Result::unwrap_or_default)
            };
            self.token_minted = true;
        }
    }

    /// Mint the run's tokens ([`Minted`]) from its App ID, certificate, channel and uid.
    fn mint_all(&mut self, now: u64, expired: bool) {
        self.minted = Minted::new(
            self.app_id.as_deref(),
            self.certificate.as_ref(),
            self.channel.as_deref(),
            self.uid.as_deref(),
            now,
            expired,
        );
    }

    /// The simulated world, under `--sim`.
    pub fn world(&self) -> Option<&Arc<SimWorld>> {
        match &self.target {
            Target::Simulated(world) => Some(world),
            Target::Agora => None,
        }
    }
}

/// The tokens minted for a run, once, when its inputs are resolved: publisher tokens for the run's
/// channel from its App ID and certificate (the user's, or the simulated project's), valid
/// [`agora_token_core::mint::MINTED_LIFETIME`]. Every token the tool joins with that nobody gave it
/// comes from here.
#[derive(Debug, Clone, Default)]
pub struct Minted {
    /// For the uid as typed (the Web SDK joins with it as given; a user account stays text), or
    /// why it could not be built.
    pub typed_uid: Option<Result<String, String>>,
    /// For the uid as a number (the native SDK joins with numbers), or why it could not be built;
    /// `None` when the uid is no number.
    pub numeric_uid: Option<Result<String, String>>,
    /// For uid 0, which admits any uid (the room's other participant, the native join's listener).
    pub any_uid: Option<Result<String, String>>,
    /// For the uid as a number, issued two hours ago for one hour: expired (asked for only).
    pub expired: Option<String>,
}

impl Minted {
    /// Mint for `channel` and `uid` (as typed; none is uid 0) at `now`; nothing without an App ID,
    /// a certificate and a channel.
    pub fn new(
        app_id: Option<&str>,
        certificate: Option<&Certificate>,
        channel: Option<&str>,
        uid: Option<&str>,
        now: u64,
        expired: bool,
    ) -> Minted {
        let (Some(app_id), Some(certificate), Some(channel)) = (app_id, certificate, channel)
        else {
            return Minted::default();
        };
        let mint = |uid: &str, issued_at: u64, lifetime: u32| {
            agora_token_core::mint::publisher_token_for(
                app_id,
                certificate.expose(),
                channel,
                uid,
                issued_at,
                lifetime,
            )
            .map_err(|e| e.to_string())
        };
        let lifetime = agora_token_core::mint::MINTED_LIFETIME;
        let numeric = uid.unwrap_or("0").parse::<u32>().ok().map(uid_text);
        Minted {
            typed_uid: Some(mint(&typed_uid_text(uid), now, lifetime)),
            numeric_uid: numeric.as_deref().map(|u| mint(u, now, lifetime)),
            any_uid: Some(mint("", now, lifetime)),
            expired: numeric
                .as_deref()
                .filter(|_| expired)
                .map(|u| mint(u, now.saturating_sub(7200), 3600).unwrap_or_default()),
        }
    }

    /// [`Minted::typed_uid`] when it was built.
    pub fn typed(&self) -> Option<String> {
        self.typed_uid.clone().and_then(Result::ok)
    }

    /// [`Minted::numeric_uid`] when it was built.
    pub fn numeric(&self) -> Option<String> {
        self.numeric_uid.clone().and_then(Result::ok)
    }

    /// [`Minted::any_uid`] when it was built.
    pub fn any(&self) -> Option<String> {
        self.any_uid.clone().and_then(Result::ok)
    }
}
